#include "solidcell/materials/stoichiometry_function.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include <muParser.h>

namespace solidcell::materials {

// muparser evaluates through the bound variable x and a mutable value stack, so one parser must not evaluate in
// two threads at once: a cell shared by the workers of a sweep (or by Python threads) would read another
// thread's x. The lock is uncontended in the usual case, and tabulated functions bypass it inside their table.
struct StoichiometryFunction::Parser {
  mu::Parser parser;
  double x = 0.0;
  std::mutex mutex;

  explicit Parser(const std::string& text) {
    parser.DefineVar("x", &x);
    parser.SetExpr(text);
    parser.Eval();  // compile now so that syntax errors surface at load time, not mid-solve
  }

  double operator()(double at) {
    std::lock_guard<std::mutex> lock(mutex);
    x = at;
    return parser.Eval();
  }
};

// Piecewise cubic Hermite interpolant on a uniform grid. Each interval's cubic is kept in the local coordinate
// s in [0, 1], so a value costs a multiply, a floor and a Horner.
struct StoichiometryFunction::Table {
  double lo = 0.0;
  double hi = 0.0;
  double inverse_step = 0.0;
  std::vector<std::array<double, 4>> cubics;  // c0 + s (c1 + s (c2 + s c3))

  // The interval holding x in [lo, hi] (the last one for x = hi) and x's local coordinate in it.
  size_t locate(double x, double& s) const {
    double t = (x - lo) * inverse_step;
    size_t i = std::min(static_cast<size_t>(t), cubics.size() - 1);
    s = t - static_cast<double>(i);
    return i;
  }

  double value(double x) const {
    double s = 0.0;
    const auto& c = cubics[locate(x, s)];
    return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
  }

  double derivative(double x) const {
    double s = 0.0;
    const auto& c = cubics[locate(x, s)];
    return (c[1] + s * (2.0 * c[2] + s * 3.0 * c[3])) * inverse_step;
  }
};

namespace {

constexpr size_t first_intervals = 1024;
constexpr size_t max_intervals = 65536;
// The accepted interpolation error: 1e-10 of the function's scale max|f(node)| for functions below 1 (diffusivities
// ~1e-10 m2/s), at most 1e-10 in absolute terms otherwise (potentials ~4 V: 1e-10 V).
double tolerance_for(double scale) { return 1e-10 * std::min(1.0, scale); }

// Node slopes times the step h from 5-point differences of the node values f (at least 5): central inside,
// shifted towards the inside at the two nodes next to each end; all O(h^4).
std::vector<double> scaled_slopes(const std::vector<double>& f) {
  const size_t n = f.size() - 1;
  std::vector<double> m(n + 1);
  auto forward = [](double f0, double f1, double f2, double f3, double f4) {
    return (-25 * f0 + 48 * f1 - 36 * f2 + 16 * f3 - 3 * f4) / 12;
  };
  auto shifted = [](double f0, double f1, double f2, double f3, double f4) {
    return (-3 * f0 - 10 * f1 + 18 * f2 - 6 * f3 + f4) / 12;
  };
  m[0] = forward(f[0], f[1], f[2], f[3], f[4]);
  m[1] = shifted(f[0], f[1], f[2], f[3], f[4]);
  for (size_t i = 2; i + 2 <= n; ++i) m[i] = (f[i - 2] - 8 * f[i - 1] + 8 * f[i + 1] - f[i + 2]) / 12;
  // Mirrored stencils at the upper end: the direction reverses, so the sign does.
  m[n - 1] = -shifted(f[n], f[n - 1], f[n - 2], f[n - 3], f[n - 4]);
  m[n] = -forward(f[n], f[n - 1], f[n - 2], f[n - 3], f[n - 4]);
  return m;
}

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
    : kind_(other.kind_), constant_(other.constant_), text_(other.text_), x_(other.x_), y_(other.y_), table_(other.table_) {
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
      if (table_ && x >= table_->lo && x <= table_->hi) return table_->value(x);
      return (*parser_)(x);
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

namespace {

// Tables already made in this process, by expression and range: a sweep reads the same materials for every
// case, and building a table costs thousands of expression evaluations. Entries are immutable and shared.
struct TableCache {
  std::mutex mutex;
  std::map<std::tuple<std::string, double, double>, std::shared_ptr<const void>> tables;  // null: no table fits
};
TableCache& table_cache() {
  static TableCache cache;
  return cache;
}

}  // namespace

bool StoichiometryFunction::tabulate(double lo, double hi) {
  if (kind_ != Kind::expression) return false;
  table_.reset();
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi)) return false;
  auto& cache = table_cache();
  const auto key = std::make_tuple(text_, lo, hi);
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (auto it = cache.tables.find(key); it != cache.tables.end()) {
      table_ = std::static_pointer_cast<const Table>(it->second);
      return table_ != nullptr;
    }
  }
  const bool made = build_table(lo, hi);
  std::lock_guard<std::mutex> lock(cache.mutex);
  if (cache.tables.size() < 4096) cache.tables.emplace(key, table_);
  return made;
}

bool StoichiometryFunction::build_table(double lo, double hi) {
  auto& expression = *parser_;
  // samples[k] = f(lo + k (hi - lo) / (4 n)): nodes at k = 4 i, the checkpoints (quarter points and midpoint) in
  // between. Doubling n keeps every sample (scaling by 2 is exact), so only the new odd k are evaluated.
  auto sample_at = [&](size_t k, size_t n) { return lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(4 * n); };
  std::vector<double> samples(4 * first_intervals + 1);
  for (size_t k = 0; k < samples.size(); ++k) samples[k] = expression(sample_at(k, first_intervals));
  for (size_t n = first_intervals;; n *= 2) {
    if (n > first_intervals) {
      std::vector<double> finer(4 * n + 1);
      for (size_t k = 0; k < finer.size(); ++k) finer[k] = k % 2 == 0 ? samples[k / 2] : expression(sample_at(k, n));
      samples = std::move(finer);
    }
    // A non-finite sample becomes a node at the next doubling: no table can represent it.
    if (!std::all_of(samples.begin(), samples.end(), [](double v) { return std::isfinite(v); })) return false;

    std::vector<double> nodes(n + 1);
    double scale = 0.0;
    for (size_t i = 0; i <= n; ++i) {
      nodes[i] = samples[4 * i];
      scale = std::max(scale, std::abs(nodes[i]));
    }
    auto slopes = scaled_slopes(nodes);
    auto table = std::make_shared<Table>();
    table->lo = lo;
    table->hi = hi;
    table->inverse_step = static_cast<double>(n) / (hi - lo);
    table->cubics.resize(n);
    for (size_t i = 0; i < n; ++i) {
      double p0 = nodes[i], p1 = nodes[i + 1], m0 = slopes[i], m1 = slopes[i + 1];
      table->cubics[i] = {p0, m0, 3 * (p1 - p0) - 2 * m0 - m1, 2 * (p0 - p1) + m0 + m1};
    }

    const double tolerance = tolerance_for(scale);
    bool accurate = true;
    for (size_t k = 1; k < samples.size() && accurate; ++k)
      if (k % 4 != 0) accurate = std::abs(table->value(sample_at(k, n)) - samples[k]) <= tolerance;
    if (accurate) {
      table_ = std::move(table);
      return true;
    }
    if (n == max_intervals) return false;
  }
}

size_t StoichiometryFunction::tabulation_intervals() const { return table_ ? table_->cubics.size() : 0; }

double StoichiometryFunction::derivative(double x) const {
  switch (kind_) {
    case Kind::constant:
      return 0.0;
    case Kind::expression: {
      if (table_ && x >= table_->lo && x <= table_->hi) return table_->derivative(x);
      const double h = std::cbrt(DBL_EPSILON) * std::max(1.0, std::abs(x));  // balances truncation and rounding
      return ((*parser_)(x + h) - (*parser_)(x - h)) / (2 * h);
    }
    case Kind::table: {
      if (x < x_.front() || x >= x_.back()) return 0.0;
      size_t i = static_cast<size_t>(std::upper_bound(x_.begin(), x_.end(), x) - x_.begin());
      return (y_[i] - y_[i - 1]) / (x_[i] - x_[i - 1]);
    }
  }
  return 0.0;
}

}  // namespace solidcell::materials
