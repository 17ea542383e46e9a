#include "solidcell/abuse/short_circuit.hpp"

#include <algorithm>
#include <cmath>

namespace solidcell::abuse {

ShortCircuitPower short_circuit_power(double open_circuit_V, double internal_resistance_ohm, double contact_resistance_ohm,
                                      double conductor_resistance_ohm) {
  ShortCircuitPower p;
  const double total = internal_resistance_ohm + contact_resistance_ohm + conductor_resistance_ohm;
  if (!std::isfinite(total) || !(total > 0.0) || open_circuit_V <= 0.0) return p;
  p.current_A = open_circuit_V / total;
  const double i2 = p.current_A * p.current_A;
  p.internal_W = i2 * internal_resistance_ohm;
  p.contact_W = i2 * contact_resistance_ohm;
  p.conductor_W = i2 * conductor_resistance_ohm;
  return p;
}

ShortCircuitPower NailShortPath::power(double open_circuit_V, double internal_resistance_ohm) const {
  if (pairs <= 0) return {};
  return short_circuit_power(open_circuit_V, internal_resistance_ohm, contact_resistance_ohm(), nail_resistance_ohm());
}

int unit_cells_crossed(double depth_m, double unit_cell_thickness_m, int unit_cells) {
  if (!(depth_m > 0.0) || !(unit_cell_thickness_m > 0.0)) return 0;
  const double k = std::floor(depth_m / unit_cell_thickness_m + 0.5);
  return static_cast<int>(std::clamp(k, 0.0, static_cast<double>(unit_cells)));
}

double crossing_time_s(int k, double unit_cell_thickness_m, double speed_m_per_s) { return (k - 0.5) * unit_cell_thickness_m / speed_m_per_s; }

}  // namespace solidcell::abuse
