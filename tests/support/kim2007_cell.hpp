#pragma once
// Kim, Pesaran and Spotnitz 2007's LiCoO2 18650 for abuse tests (J. Power Sources 170, 476): r 9 mm,
// L 65 mm, rho c_p = 2.14e6 J/(m3 K) (2580 kg/m3 x 830 J/(kg K)), and the reactant masses W x V of their
// Table 1 (W_c 6.104e5, W_p 1.221e6, W_e 4.069e5 g/m3); 4.2 V, 2.6 A.h. Shared by the unit tests and the
// cross-check against tools/abuse_reference.py.
#include <cmath>

#include "solidcell/abuse/cell_inventory.hpp"

namespace solidcell::abuse::test_cells {

inline constexpr double kim_radius_m = 0.009;
inline constexpr double kim_length_m = 0.065;

inline double kim_18650_volume_m3() { return M_PI * kim_radius_m * kim_radius_m * kim_length_m; }

inline CellInventory kim_18650() {
  CellInventory c;
  c.cell_name = "kim2007-18650";
  c.chemistry = "liquid";
  const double volume = kim_18650_volume_m3();
  c.mass_kg = 2580.0 * volume;
  c.heat_capacity_J_per_K = 2.14e6 * volume;
  c.surface_m2 = 2.0 * M_PI * kim_radius_m * kim_length_m + 2.0 * M_PI * kim_radius_m * kim_radius_m;
  c.capacity_Ah = 2.6;
  c.internal_resistance_ohm = 0.05;
  c.reactant_kg[static_cast<std::size_t>(Reactant::negative_active)] = 6.104e2 * volume;
  c.reactant_kg[static_cast<std::size_t>(Reactant::positive_active)] = 1.221e3 * volume;
  c.reactant_kg[static_cast<std::size_t>(Reactant::electrolyte)] = 4.069e2 * volume;
  c.ocv_curve = {{0.0, 4.2}, {2.6, 3.0}};
  return c;
}

}  // namespace solidcell::abuse::test_cells
