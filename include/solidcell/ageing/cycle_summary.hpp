#pragma once
// What a cycling study records after each cycle: capacity, resistance, lithium inventory and the SEI that
// took it. Definitions (docs/ageing.md):
//  - discharge capacity: the charge passed by the cycle's discharging steps [A.h];
//  - resistance: (U_ocv - V) / I ten seconds into the cycle's first discharge step (the first current step if none
//    discharges), U_ocv from the mean particle stoichiometries: a 10 s DC resistance that includes the film, ohmic,
//    kinetic and early diffusion losses;
//  - lithium inventory: cyclable lithium (particles and electrolyte) at the end of the cycle.
#include <array>
#include <optional>
#include <vector>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::ageing {

inline constexpr double resistance_pulse_s = 10.0;

// The mechanisms a capacity loss is shared among (docs/ageing.md, "Shares of the capacity lost").
enum class FadeMechanism { sei, cei, contact_loss, lithium_inventory, lithium_voids, lithium_plating, loss_of_active_material, other };
inline constexpr std::size_t fade_mechanisms = 8;
// "SEI", "CEI", "contact loss", "lithium inventory", "lithium voids", "lithium plating", "loss of active material", "other"
const char* to_string(FadeMechanism m);

struct CycleSummary {
  int cycle = 0;           // 1-based
  bool simulated = true;   // false: interpolated between solved cycles (accelerated studies)
  double discharge_capacity_Ah = 0.0;
  double charge_capacity_Ah = 0.0;      // positive
  double discharge_energy_Wh = 0.0;
  double capacity_retention = 1.0;      // discharge capacity / cycle 1's
  double resistance_ohm = 0.0;          // NaN when the cycle has no current step
  double resistance_growth = 0.0;       // resistance / cycle 1's - 1
  double lithium_inventory_mol = 0.0;   // cyclable, end of cycle
  double lithium_total_mol = 0.0;       // cyclable + SEI + plated + dead: constant (bookkeeping check)
  double lithium_lost_to_sei_mol = 0.0; // since the start of the study
  double capacity_lost_to_sei_Ah = 0.0; // the same lithium as charge
  double sei_thickness_m = 0.0;         // x-averaged over the negative
  // Lithium plating of a liquid cell's negative (zero without it), at the end of the cycle.
  double plated_lithium_mol = 0.0;      // reversible (strippable) plated lithium
  double dead_lithium_mol = 0.0;        // plated lithium that can no longer be stripped
  double lithium_lost_to_negative_plating_mol = 0.0;  // plated + dead - the fresh cell's plated lithium
  double capacity_lost_to_negative_plating_Ah = 0.0;  // the same lithium as charge
  // Loss of active material of a liquid cell (fractions as fresh, zero lithium, without it), at the end of the cycle.
  double negative_active_fraction = 0.0;  // x-averaged active material volume fraction
  double positive_active_fraction = 0.0;
  double lithium_lost_to_active_material_loss_mol = 0.0;  // held by the material lost (both electrodes)
  double duration_s = 0.0;
  bool stopped_early = false;           // a cut-off or a solver failure ended the cycle before its last step
  // Solid-state fade (zero, or one for the fractions, without it).
  double cei_thickness_m = 0.0;
  double contact_fraction = 1.0;          // of the positive's CAM still connected
  double lithium_contact_fraction = 1.0;  // of the lithium|electrolyte interface
  double lithium_lost_to_cei_mol = 0.0;
  double lithium_lost_to_contact_mol = 0.0;
  double lithium_lost_to_plating_mol = 0.0;  // coulombic inefficiency
  double lithium_reservoir_mol = 0.0;        // the negative's strippable lithium at the end of the cycle; NaN if unlimited
  // Positive lithium + negative reservoir + every loss - the fresh cell's lithium: zero when the bookkeeping closes.
  double lithium_bookkeeping_error_mol = 0.0;
  // The capacity lost since cycle 1, by FadeMechanism [A.h], and each one's share of it (summing to 1 once any
  // capacity is lost).
  std::array<double, fade_mechanisms> capacity_lost_Ah{};
  std::array<double, fade_mechanisms> capacity_loss_share{};
};

// The summary of one solved cycle; `first` is cycle 1's summary (nullptr for cycle 1 itself).
CycleSummary summarise_cycle(int cycle, const experiment::Solution& solution, const AgeingCell& cell,
                             const std::vector<experiment::Step>& steps, const CycleSummary* first);

// The 10 s resistance of a solved run (see above); NaN without a current step.
double pulse_resistance_ohm(const experiment::Solution& solution, const std::vector<experiment::Step>& steps);

}  // namespace solidcell::ageing
