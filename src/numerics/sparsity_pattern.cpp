#include "solidcell/numerics/sparsity_pattern.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solidcell/numerics/dae_system.hpp"

namespace solidcell::numerics {

SparsityPattern SparsityPattern::banded(std::size_t size, int lower_bandwidth, int upper_bandwidth) {
  SparsityPattern p(size);
  const auto n = static_cast<long>(size);
  for (long c = 0; c < n; ++c)
    for (long r = std::max(0L, c - upper_bandwidth); r <= std::min(n - 1, c + lower_bandwidth); ++r)
      p.add(static_cast<std::size_t>(r), static_cast<std::size_t>(c));
  return p;
}

void SparsityPattern::finish() {
  for (auto& rows : rows_) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  }
}

bool SparsityPattern::contains(std::size_t row, std::size_t column) const {
  const auto& rows = rows_[column];
  return std::binary_search(rows.begin(), rows.end(), static_cast<int>(row));
}

std::size_t SparsityPattern::nonzeros() const {
  std::size_t total = 0;
  for (const auto& rows : rows_) total += rows.size();
  return total;
}

int SparsityPattern::lower_bandwidth() const {
  int band = 0;
  for (std::size_t c = 0; c < rows_.size(); ++c)
    if (!rows_[c].empty()) band = std::max(band, rows_[c].back() - static_cast<int>(c));
  return band;
}

int SparsityPattern::upper_bandwidth() const {
  int band = 0;
  for (std::size_t c = 0; c < rows_.size(); ++c)
    if (!rows_[c].empty()) band = std::max(band, static_cast<int>(c) - rows_[c].front());
  return band;
}

std::size_t default_dense_row_threshold(std::size_t size) { return std::max<std::size_t>(24, size / 3); }

ColumnGroups group_columns(const SparsityPattern& pattern, std::size_t dense_row_threshold, std::size_t max_dense_rows) {
  const std::size_t n = pattern.size();
  // Columns of each row, to find a column's neighbours (columns sharing a row).
  std::vector<std::vector<int>> columns_of_row(n);
  for (std::size_t c = 0; c < n; ++c)
    for (int r : pattern.rows_of_column(c)) columns_of_row[static_cast<std::size_t>(r)].push_back(static_cast<int>(c));
  ColumnGroups g;
  g.dense_row.assign(n, 0);
  std::size_t dense_rows = 0;
  for (std::size_t r = 0; r < n; ++r) {
    g.dense_row[r] = columns_of_row[r].size() > dense_row_threshold ? 1 : 0;
    dense_rows += static_cast<std::size_t>(g.dense_row[r]);
  }
  // Dropping entries is only worth it for a few lumped balances; when many rows are long (a wide band)
  // the Jacobian is computed exactly.
  if (dense_rows > max_dense_rows) std::fill(g.dense_row.begin(), g.dense_row.end(), 0);

  // A dense row keeps only the entries of single-column groups: its own diagonal column must be alone, or
  // the Newton matrix would lose that diagonal.
  std::vector<char> alone(n, 0);
  for (std::size_t r = 0; r < n; ++r)
    if (g.dense_row[r]) alone[r] = 1;
  // Greedy colouring in column order: each column takes the lowest group none of its neighbours holds.
  g.group_of_column.assign(n, -1);
  std::vector<std::size_t> taken_by(n + 1, n);  // taken_by[group] == c: a neighbour of c holds it
  for (std::size_t c = 0; c < n; ++c) {
    for (int r : pattern.rows_of_column(c)) {
      if (g.dense_row[static_cast<std::size_t>(r)]) continue;
      for (int other : columns_of_row[static_cast<std::size_t>(r)]) {
        int group = g.group_of_column[static_cast<std::size_t>(other)];
        if (group >= 0) taken_by[static_cast<std::size_t>(group)] = c;
      }
    }
    int group = 0;
    if (alone[c]) {
      group = static_cast<int>(g.columns.size());  // a group of its own
    } else {
      while (taken_by[static_cast<std::size_t>(group)] == c ||
             (static_cast<std::size_t>(group) < g.columns.size() && !g.columns[static_cast<std::size_t>(group)].empty() &&
              alone[static_cast<std::size_t>(g.columns[static_cast<std::size_t>(group)].front())]))
        ++group;
    }
    g.group_of_column[c] = group;
    if (static_cast<std::size_t>(group) >= g.columns.size()) g.columns.resize(static_cast<std::size_t>(group) + 1);
    g.columns[static_cast<std::size_t>(group)].push_back(static_cast<int>(c));
  }
  return g;
}

SparsityPattern probe_sparsity(const DaeSystem& system, double t, const std::vector<double>& y, const std::vector<double>& yp) {
  const std::size_t n = system.size();
  std::vector<double> r0(n), r1(n), y1 = y, yp1 = yp;
  if (!system.residual(t, y.data(), yp.data(), r0.data())) throw std::invalid_argument("probe_sparsity: the residual fails at the given state");
  SparsityPattern p(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double inc = 1e-7 * std::max(1e-3, std::abs(y[c]));
    y1[c] += inc;
    yp1[c] += inc;
    if (system.residual(t, y1.data(), yp1.data(), r1.data()))
      for (std::size_t r = 0; r < n; ++r)
        if (r1[r] != r0[r]) p.add(r, c);
    y1[c] = y[c];
    yp1[c] = yp[c];
  }
  p.finish();
  return p;
}

}  // namespace solidcell::numerics
