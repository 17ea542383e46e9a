#pragma once
// A property that depends on stoichiometry x = c_s / c_max (open-circuit potential, diffusivity, ...):
// a constant, an expression in x (muparser syntax; Python's ** is accepted as BPX writes it) or a table
// interpolated linearly. An expression can be tabulated (see tabulate()) so that the solver's hot path does not
// run muparser. Evaluation is thread-safe, on copies (independent apart from the immutable table they share) and
// on one object shared by threads (its parser is locked); tabulate() is not.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace solidcell::materials {

class StoichiometryFunction {
 public:
  StoichiometryFunction();  // constant zero
  static StoichiometryFunction constant(double value);
  // Throws std::invalid_argument with muparser's message when the expression is not valid.
  static StoichiometryFunction expression(const std::string& text);
  // Throws std::invalid_argument unless x is strictly increasing and both arrays match in length (>= 2).
  static StoichiometryFunction table(std::vector<double> x, std::vector<double> y);

  StoichiometryFunction(const StoichiometryFunction& other);
  StoichiometryFunction& operator=(const StoichiometryFunction& other);
  StoichiometryFunction(StoichiometryFunction&&) noexcept;
  StoichiometryFunction& operator=(StoichiometryFunction&&) noexcept;
  ~StoichiometryFunction();

  double operator()(double x) const;

  // Expressions only: samples the expression on a uniform grid on [lo, hi] and from then on evaluates a piecewise
  // cubic Hermite interpolant there (node slopes from 5-point differences, O(h^4)); outside [lo, hi] the expression
  // is evaluated as before. The grid starts at 1024 intervals and doubles up to 65536 until the interpolant agrees
  // with the expression within 1e-10 min(1, max|f(node)|) at every interval's quarter points and midpoint: relative
  // to the scale of small functions (diffusivities ~1e-10 m2/s), 1e-10 absolute otherwise (1e-10 V for potentials).
  // Returns false, and keeps no table, for constants and tables, for an empty or infinite [lo, hi], when the
  // expression is not finite at a sample, or when 65536 intervals are not accurate enough. Copies share the table
  // (it is immutable). Not thread-safe on the same object (it replaces the table); copies made before keep theirs.
  bool tabulate(double lo, double hi);
  bool tabulated() const { return table_ != nullptr; }
  std::size_t tabulation_intervals() const;  // 0 unless tabulated

  // df/dx: the interpolant's derivative inside the table of a tabulated expression, a central difference of the
  // expression elsewhere; 0 for a constant; the segment's slope for a table (0 outside it, where it is held).
  double derivative(double x) const;

  enum class Kind { constant, expression, table };
  Kind kind() const { return kind_; }
  double constant_value() const { return constant_; }
  const std::string& expression_text() const { return text_; }
  const std::vector<double>& table_x() const { return x_; }
  const std::vector<double>& table_y() const { return y_; }

 private:
  bool build_table(double lo, double hi);  // tabulate() without the process-wide cache
  struct Parser;  // hides muparser from users of this header
  struct Table;
  Kind kind_ = Kind::constant;
  double constant_ = 0.0;
  std::string text_;
  std::vector<double> x_, y_;
  std::unique_ptr<Parser> parser_;  // per copy: muparser evaluates through a mutable variable (locked: evaluation is thread-safe)
  std::shared_ptr<const Table> table_;
};

}  // namespace solidcell::materials
