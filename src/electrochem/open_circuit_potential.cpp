#include "solidcell/electrochem/open_circuit_potential.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace solidcell::electrochem {
namespace {

// A(x) = a [ln(1 + exp(-b (max(x, x_lim) - c))) - b min(0, x - x_lim)]: a softplus wall that turns linear
// below x_lim, where the exponential would overflow.
double barrier(double x) {
  if (x > 0.02) return 0.0;  // below 1e-50 V from here on: skip the exponential on the hot path
  constexpr double a = 205.0568621937484;
  constexpr double b = 6910.192179565431;
  constexpr double c = -7.7e-4;
  static const double x_lim = c - std::log(2.0 / std::numeric_limits<double>::epsilon()) / b;
  return a * (std::log1p(std::exp(-b * (std::max(x, x_lim) - c))) - b * std::min(0.0, x - x_lim));
}

}  // namespace

double open_circuit_potential(const materials::StoichiometryFunction& fit, double x, double from, double to) {
  double inside = std::clamp(x, from + 1e-10, to - 1e-10);
  return fit(inside) + barrier(x - from) - barrier(to - x);
}

}  // namespace solidcell::electrochem
