#include "solidcell/production/flow_line.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace solidcell::production {

std::vector<double> visits_per_good_cell(const FlowLine& line) {
  const auto n = line.stations.size();
  if (n == 0) throw std::invalid_argument("visits_per_good_cell: a line needs at least one station");
  // Flows per cell entering the line: x_j = (x_{j-1} passed on) + (rework sent back to j). Rework fractions
  // are below 1, so Gauss-Seidel sweeps converge (the loop gain is below 1).
  std::vector<double> x(n, 0.0);
  for (int sweep = 0; sweep < 100000; ++sweep) {
    double change = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      double in = j == 0 ? 1.0 : x[j - 1] * (1.0 - line.stations[j - 1].scrap_fraction - line.stations[j - 1].rework_fraction);
      for (std::size_t i = j; i < n; ++i) {
        const auto& s = line.stations[i];
        const auto to = s.rework_to < 0 ? static_cast<int>(i) : s.rework_to;
        if (to == static_cast<int>(j)) in += s.rework_fraction * x[i];
      }
      change = std::max(change, std::abs(in - x[j]));
      x[j] = in;
    }
    if (change < 1e-15) break;
  }
  const auto& last = line.stations.back();
  const double out = x.back() * (1.0 - last.scrap_fraction - last.rework_fraction);
  if (!(out > 0.0)) throw std::invalid_argument("visits_per_good_cell: no good cells leave the line");
  for (auto& v : x) v /= out;
  return x;
}

double machine_capacity_per_s(const FlowStation& s) {
  const double availability = std::isfinite(s.mtbf_s) ? s.mtbf_s / (s.mtbf_s + s.mttr_s) : 1.0;
  return s.batch_cells / s.cycle_time_s * availability;
}

double analytic_good_cells_per_s(const FlowLine& line) {
  const auto visits = visits_per_good_cell(line);
  double rate = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < line.stations.size(); ++i)
    rate = std::min(rate, line.stations[i].machines * machine_capacity_per_s(line.stations[i]) / visits[i]);
  return rate;
}

}  // namespace solidcell::production
