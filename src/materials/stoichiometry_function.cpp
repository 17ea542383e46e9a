#include "solidcell/materials/stoichiometry_function.hpp"

#include <algorithm>
#include <stdexcept>

#include <muParser.h>

namespace solidcell::materials {

struct StoichiometryFunction::Parser {
  mu::Parser parser;
  double x = 0.0;

  explicit Parser(const std::string& text) {
    parser.DefineVar("x", &x);
    parser.SetExpr(text);
    parser.Eval();  // compile now so that syntax errors surface at load time, not mid-solve
  }
};

namespace {

// BPX (and PyBaMM) write powers as "**"; muparser uses "^".
std::string to_muparser_syntax(std::string text) {
  for (size_t pos = text.find("**"); pos != std::string::npos; pos = text.find("**", pos)) text.replace(pos, 2, "^");
  return text;
}

}  // namespace

StoichiometryFunction::StoichiometryFunction() = default;
StoichiometryFunction::~StoichiometryFunction() = default;
StoichiometryFunction::StoichiometryFunction(StoichiometryFunction&&) noexcept = default;
StoichiometryFunction& StoichiometryFunction::operator=(StoichiometryFunction&&) noexcept = default;

StoichiometryFunction::StoichiometryFunction(const StoichiometryFunction& other)
    : kind_(other.kind_), constant_(other.constant_), text_(other.text_), x_(other.x_), y_(other.y_) {
  if (kind_ == Kind::expression) parser_ = std::make_unique<Parser>(to_muparser_syntax(text_));
}

StoichiometryFunction& StoichiometryFunction::operator=(const StoichiometryFunction& other) {
  if (this != &other) *this = StoichiometryFunction(other);
  return *this;
}

StoichiometryFunction StoichiometryFunction::constant(double value) {
  StoichiometryFunction f;
  f.kind_ = Kind::constant;
  f.constant_ = value;
  return f;
}

StoichiometryFunction StoichiometryFunction::expression(const std::string& text) {
  StoichiometryFunction f;
  f.kind_ = Kind::expression;
  f.text_ = text;
  try {
    f.parser_ = std::make_unique<Parser>(to_muparser_syntax(text));
  } catch (const mu::Parser::exception_type& e) {
    throw std::invalid_argument("invalid expression in x: " + std::string(e.GetMsg()));
  }
  return f;
}

StoichiometryFunction StoichiometryFunction::table(std::vector<double> x, std::vector<double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("table columns differ in length");
  if (x.size() < 2) throw std::invalid_argument("table needs at least two points");
  for (size_t i = 1; i < x.size(); ++i)
    if (!(x[i] > x[i - 1])) throw std::invalid_argument("table stoichiometry must increase strictly");
  StoichiometryFunction f;
  f.kind_ = Kind::table;
  f.x_ = std::move(x);
  f.y_ = std::move(y);
  return f;
}

double StoichiometryFunction::operator()(double x) const {
  switch (kind_) {
    case Kind::constant:
      return constant_;
    case Kind::expression:
      parser_->x = x;
      return parser_->parser.Eval();
    case Kind::table: {
      // Linear inside the table, held constant outside it (no extrapolation beyond measured data).
      if (x <= x_.front()) return y_.front();
      if (x >= x_.back()) return y_.back();
      auto it = std::upper_bound(x_.begin(), x_.end(), x);
      size_t i = static_cast<size_t>(it - x_.begin());
      double t = (x - x_[i - 1]) / (x_[i] - x_[i - 1]);
      return y_[i - 1] + t * (y_[i] - y_[i - 1]);
    }
  }
  return 0.0;
}

}  // namespace solidcell::materials
