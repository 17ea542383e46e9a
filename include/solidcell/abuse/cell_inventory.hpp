#pragma once
// What an abuse simulation needs to know of a cell, taken from its design: mass, heat capacity and outer
// surface, the mass of each reactant the runaway chemistry consumes, the open-circuit voltage against
// state of charge, and a DC internal resistance (from a 10 s, 1C pulse of the DFN).
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::abuse {

struct CellInventory {
  std::string cell_name;
  std::string chemistry;
  double mass_kg = 0.0;
  double heat_capacity_J_per_K = 0.0;
  double surface_m2 = 0.0;
  double capacity_Ah = 0.0;
  double internal_resistance_ohm = 0.0;
  // Discharge current the cell's mass transport can carry at most (electrolyte depletion, solid diffusion);
  // infinite when not known.
  double limiting_current_A = std::numeric_limits<double>::infinity();
  double lithium_excess_kg = 0.0;        // lithium metal present at 0 % SOC
  double lithium_plated_full_kg = 0.0;   // lithium plated at 100 % SOC (lithium-metal and anode-free cells)
  std::array<double, 5> reactant_kg{};   // by Reactant, at full charge
  std::vector<cell::OcvPoint> ocv_curve;  // open-circuit voltage against discharged capacity

  double reactant_mass_kg(Reactant r, double soc) const;
  double open_circuit_voltage(double soc) const;
};

CellInventory cell_inventory(const cell::Cell& cell, const std::string& file = "");

}  // namespace solidcell::abuse
