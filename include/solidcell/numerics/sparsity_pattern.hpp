#pragma once
// Which entries of a DAE's Jacobian dF/dy + cj dF/dy' can be non-zero, and the grouping of columns that
// lets a difference quotient fill many columns with one residual evaluation: columns that touch no common
// row can be perturbed together (Curtis, Powell and Reid 1974, J. Inst. Maths Applics 13:117).
#include <cstddef>
#include <vector>

namespace solidcell::numerics {

class DaeSystem;

class SparsityPattern {
 public:
  SparsityPattern() = default;
  explicit SparsityPattern(std::size_t size) : rows_(size) {}
  // Every entry within the band (the pattern a band Jacobian assumes).
  static SparsityPattern banded(std::size_t size, int lower_bandwidth, int upper_bandwidth);

  std::size_t size() const { return rows_.size(); }
  void add(std::size_t row, std::size_t column) { rows_[column].push_back(static_cast<int>(row)); }
  // Sorts each column's rows and drops repeats; call after the last add().
  void finish();
  const std::vector<int>& rows_of_column(std::size_t column) const { return rows_[column]; }
  bool contains(std::size_t row, std::size_t column) const;
  std::size_t nonzeros() const;
  // Largest |row - column| over the entries below / above the diagonal.
  int lower_bandwidth() const;
  int upper_bandwidth() const;

 private:
  std::vector<std::vector<int>> rows_;  // per column, sorted after finish()
};

// Columns in one group share no row, so one perturbed residual gives all their entries. A row that
// touches more than `dense_row_threshold` columns (a lumped energy balance reaches every unknown) would
// force every column into a group of its own; such rows are left out of the grouping, and only their
// entries in single-column groups are computed (the rest are dropped, which Newton's iteration tolerates).
// Only when there are at most `max_dense_rows` of them: many long rows mean a wide band, computed exactly.
struct ColumnGroups {
  std::vector<std::vector<int>> columns;  // per group
  std::vector<int> group_of_column;
  std::vector<char> dense_row;
};
ColumnGroups group_columns(const SparsityPattern& pattern, std::size_t dense_row_threshold, std::size_t max_dense_rows = 2);
// The threshold group_columns is called with by the integrators: rows reaching over a third of the
// unknowns (and more than 24 of them) count as dense.
std::size_t default_dense_row_threshold(std::size_t size);

// The entries that actually change when each unknown (and its derivative) is perturbed alone at (t, y, yp):
// n + 1 residual evaluations. For tests that check a model's declared pattern, and for systems that have
// none. Entries that vanish at this state by coincidence are missed: probe several states.
SparsityPattern probe_sparsity(const DaeSystem& system, double t, const std::vector<double>& y, const std::vector<double>& yp);

}  // namespace solidcell::numerics
