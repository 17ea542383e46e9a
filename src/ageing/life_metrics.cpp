#include "solidcell/ageing/life_metrics.hpp"

#include <cmath>
#include <limits>

namespace solidcell::ageing {

std::optional<int> end_of_life_cycle(const std::vector<int>& cycles, const std::vector<double>& retention, double threshold) {
  for (std::size_t k = 0; k < cycles.size() && k < retention.size(); ++k)
    if (retention[k] < threshold) return cycles[k];
  return std::nullopt;
}

namespace {

// Least-squares fit of y = b0 + b1 x + b2 max(x - xb, 0): the continuous two-line model; returns the residual
// sum of squares and the two slopes (b1 before, b1 + b2 after).
double fit_two_lines(const std::vector<double>& x, const std::vector<double>& y, double xb, double* before, double* after) {
  // Normal equations of the 3 x 3 system, solved by Cramer's rule.
  double s[3][3] = {}, r[3] = {};
  for (std::size_t k = 0; k < x.size(); ++k) {
    double f[3] = {1.0, x[k], std::max(x[k] - xb, 0.0)};
    for (int a = 0; a < 3; ++a) {
      r[a] += f[a] * y[k];
      for (int b = 0; b < 3; ++b) s[a][b] += f[a] * f[b];
    }
  }
  auto det = [](double m[3][3]) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  };
  double d = det(s);
  if (std::abs(d) < 1e-300) return std::numeric_limits<double>::infinity();
  double b[3];
  for (int c = 0; c < 3; ++c) {
    double m[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) m[i][j] = j == c ? r[i] : s[i][j];
    b[c] = det(m) / d;
  }
  double sse = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    double e = y[k] - (b[0] + b[1] * x[k] + b[2] * std::max(x[k] - xb, 0.0));
    sse += e * e;
  }
  *before = b[1];
  *after = b[1] + b[2];
  return sse;
}

}  // namespace

std::optional<Knee> find_knee(const std::vector<int>& cycles, const std::vector<double>& retention, double steepening) {
  const std::size_t n = std::min(cycles.size(), retention.size());
  if (n < 6) return std::nullopt;
  std::vector<double> x(n), y(n);
  for (std::size_t k = 0; k < n; ++k) {
    x[k] = cycles[k];
    y[k] = retention[k];
  }
  // One line, for comparison.
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < n; ++k) mx += x[k] / n, my += y[k] / n;
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < n; ++k) sxy += (x[k] - mx) * (y[k] - my), sxx += (x[k] - mx) * (x[k] - mx);
  double slope = sxy / sxx, sse_line = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    double e = y[k] - (my + slope * (x[k] - mx));
    sse_line += e * e;
  }
  // Breakpoints at the data's cycles, leaving at least three points on each side.
  double best = std::numeric_limits<double>::infinity();
  Knee knee;
  for (std::size_t k = 2; k + 3 < n; ++k) {
    double before = 0, after = 0;
    double sse = fit_two_lines(x, y, x[k], &before, &after);
    if (sse < best) {
      best = sse;
      knee = Knee{cycles[k], before, after};
    }
  }
  if (!std::isfinite(best)) return std::nullopt;
  const bool falls_faster = knee.slope_after < 0.0 && -knee.slope_after > steepening * std::max(-knee.slope_before, 0.0);
  const bool explains = best < 0.25 * sse_line;
  if (!falls_faster || !explains) return std::nullopt;
  return knee;
}

}  // namespace solidcell::ageing
