#pragma once
// A property that depends on stoichiometry x = c_s / c_max (open-circuit potential, diffusivity, ...):
// a constant, an expression in x (muparser syntax; Python's ** is accepted as BPX writes it) or a table
// interpolated linearly. Copies are independent, so each thread can evaluate its own copy.
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

  enum class Kind { constant, expression, table };
  Kind kind() const { return kind_; }
  double constant_value() const { return constant_; }
  const std::string& expression_text() const { return text_; }
  const std::vector<double>& table_x() const { return x_; }
  const std::vector<double>& table_y() const { return y_; }

 private:
  struct Parser;  // hides muparser from users of this header
  Kind kind_ = Kind::constant;
  double constant_ = 0.0;
  std::string text_;
  std::vector<double> x_, y_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace solidcell::materials
