#pragma once
// What an abuse simulation needs to know of a cell, taken from its design: mass, heat capacity and outer
// surface, the mass of each reactant the runaway chemistry consumes, the open-circuit voltage against
// state of charge, and a DC internal resistance (from a 10 s, 1C pulse of the DFN).
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::abuse {

// Electrode stoichiometries against the state of charge, aligned as the design aligns them (both electrodes at
// their 100 % SOC stoichiometry when the cell is full): a charge q = (soc - 1) Q beyond full takes the positive to
// x_p = x_p,100 - q / Q_p and the negative host to x_n = x_n,100 + q / Q_n (Q_p, Q_n: whole-cell charge per unit
// stoichiometry). The potentials are the materials' OCP fits with the engine's walls (electrochem::
// open_circuit_potential) at the physical ends only: the positive's at x = 0 (no lithium left), the host's at
// its full end, where the potential falls through 0 V vs Li and lithium plates; beyond that the negative sits at
// 0 V. Lithium-metal and anode-free negatives sit at 0 V throughout and plate all the charge.
struct ElectrodeBalance {
  materials::StoichiometryFunction positive_ocp_V;
  double positive_stoichiometry_full = 0.0;        // x_p at 100 % SOC
  double positive_charge_per_stoichiometry_C = 0.0;
  bool negative_host = false;                      // graphite-type host; false: lithium metal or anode-free
  materials::StoichiometryFunction negative_ocp_V;  // host only
  double negative_stoichiometry_full = 0.0;        // x_n at 100 % SOC
  double negative_charge_per_stoichiometry_C = 0.0;
  double negative_wall_stoichiometry = 1.0;        // the host's full end (its OCP's valid_to)
  double plating_onset_soc = 0.0;                  // where the host is full: its potential reaches 0 V vs Li
  double positive_empty_soc = 0.0;                 // where x_p = 0
  double capacity_C = 0.0;                         // Q, the cell's capacity
  double facing_area_m2 = 0.0;                     // cathode coating facing an anode (side-current densities)

  double positive_stoichiometry(double soc) const { return positive_stoichiometry_full - (soc - 1.0) * capacity_C / positive_charge_per_stoichiometry_C; }
  double negative_stoichiometry(double soc) const;  // host only
  double positive_potential_V(double soc) const;    // vs Li
  double negative_potential_V(double soc) const;    // vs Li; 0 once lithium plates
  // Charge (in units of Q) plated as lithium metal beyond 100 % SOC on a host, or at soc beyond 1 on lithium metal.
  double overcharge_plated_soc(double soc) const;
};

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
  double charge_voltage_max_V = 0.0;       // the cell's charge cut-off voltage (0: not known)
  // The two electrodes behind the EMF (from the cell's layers and materials; absent for a hand-made
  // inventory): the overcharge continues them past 100 % SOC, and the side reactions see the positive's potential.
  std::optional<ElectrodeBalance> electrodes;

  double reactant_mass_kg(Reactant r, double soc) const;
  // soc <= 1: the design's OCV curve; soc > 1 (overcharge, needs `electrodes`): U_pos(soc) - U_neg(soc).
  double open_circuit_voltage(double soc) const;
};

CellInventory cell_inventory(const cell::Cell& cell, const std::string& file = "");

}  // namespace solidcell::abuse
