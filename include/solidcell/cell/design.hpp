#pragma once
// Design figures of a cell: capacity, energy, mass and volume by component, Wh/kg and Wh/L.
// Pure functions of the Cell; the method is in docs/energy-density.md.
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"

namespace solidcell::cell {

struct BreakdownEntry {
  std::string component;
  double mass_kg = 0.0;
  double volume_m3 = 0.0;
};

struct OcvPoint {
  double capacity_Ah = 0.0;  // discharged from 100 % SOC
  double voltage_V = 0.0;
};

struct DesignFigures {
  std::string cell_name;
  std::string chemistry;
  std::string format;

  double capacity_Ah = 0.0;
  double energy_Wh = 0.0;
  double nominal_voltage_V = 0.0;  // energy / capacity
  double mass_kg = 0.0;
  double volume_m3 = 0.0;          // at full charge (plated lithium included)
  double outer_surface_m2 = 0.0;   // of the housing (0 for lumped cells)
  double specific_energy_Wh_per_kg = 0.0;
  double energy_density_Wh_per_L = 0.0;

  double positive_capacity_Ah = 0.0;  // over the positive's 0-100 % SOC window
  double negative_capacity_Ah = 0.0;  // lithium-hosting capacity of the negative over its window
  std::string limiting_electrode;     // "positive" or "negative"
  double np_ratio = 0.0;
  double lithium_inventory_Ah = 0.0;  // cyclable lithium: cathode window plus excess lithium metal
  double ocv_at_100_soc_V = 0.0;
  double ocv_at_0_soc_V = 0.0;

  double cathode_area_m2 = 0.0;       // all cathode coatings facing an anode
  double areal_capacity_mAh_per_cm2 = 0.0;
  double positive_thickness_m = 0.0;
  double separator_thickness_m = 0.0;
  double negative_thickness_m = 0.0;  // discharged (excess lithium only for lithium metal)
  double plated_lithium_thickness_m = 0.0;  // per unit cell at full charge (lithium metal, anode-free)
  double stack_thickness_discharged_m = 0.0;  // pouch: stack; cylinder: jelly-roll diameter
  double stack_thickness_charged_m = 0.0;

  std::vector<BreakdownEntry> breakdown;  // sums to mass_kg and volume_m3
  std::vector<OcvPoint> ocv_curve;        // open-circuit voltage against discharged capacity
};

// Throws InputError when the design is inconsistent (e.g. the winding does not fit in its can, or a
// lumped cell's stack outweighs the cell).
DesignFigures compute_design(const Cell& cell, const std::string& file = "");

}  // namespace solidcell::cell
