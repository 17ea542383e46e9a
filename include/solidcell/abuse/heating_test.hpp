#pragma once
// The cell heating (hot-box) test of a standard, run on a cell: the oven ramps from the room temperature to
// the hold temperature, holds, then the cell is observed at room temperature; the runaway chemistry, the
// separator short and the oven's convection and radiation act throughout. The verdict follows the
// standard's thermal-runaway criterion (verdict.hpp).
#include <optional>
#include <string>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/verdict.hpp"

namespace solidcell::abuse {

struct HeatingProcedure {
  std::string standard;  // e.g. "gb38031-2025"
  std::string title;
  double ramp_K_per_s = 5.0 / 60.0;
  double hold_temperature_K = 403.15;
  double hold_s = 1800.0;
  double observation_s = 3600.0;
  double ambient_K = 295.15;
  double initial_soc = 1.0;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  RunawayCriterion criterion;
  std::string source;
};

// data/standards/<name>.toml (or a path); throws InputError naming file, line and field.
HeatingProcedure load_heating_procedure(const std::string& standard_name_or_path);

struct AbuseTrace {
  std::vector<double> time_s, temperature_K, surroundings_K, voltage_V, current_A, heat_rate_W, temperature_rate_K_per_s, state_of_charge, gas_mol;
  std::vector<std::string> reaction_names;
  std::vector<std::vector<double>> reaction_progress;  // [reaction][row]
  std::vector<double> force_N, displacement_m;  // crush test: indenter force and travel per row (empty for other tests)
};

struct AbuseResult {
  std::string test;
  std::string standard;
  std::string cell;
  std::string network;
  AbuseTrace trace;
  Verdict verdict;
  std::vector<std::pair<std::string, double>> reaction_heat_kJ;  // released per reaction (negative: absorbed)
  std::vector<std::pair<std::string, double>> reaction_gas_mol;  // gas released per reaction (lumped tests)
  double electrical_heat_kJ = 0.0;   // Joule heat of the currents and shorts inside the cell
  double terminal_energy_kJ = 0.0;   // delivered through the terminals (negative: charged in)
  double heat_from_surroundings_kJ = 0.0;
  double energy_balance_error_J = 0.0;  // C (T_end - T_0) - (reactions + electrical + surroundings)
  std::optional<double> short_onset_s;
  std::optional<double> separator_shutdown_s;  // when the separator's pores closed (liquid cells with a shutdown separator)
  // 3D tests with bodies pressed on the cell (the crush's indenter and base): the heat they took, part of
  // heat_from_surroundings_kJ (with the opposite sign); none where nothing touches the cell.
  std::optional<double> heat_to_contact_bodies_kJ;
  std::string failure;  // a solver failure: the trace holds what was computed up to it
  // Charging abuse (overcharge_test.hpp); empty or zero for the other tests.
  std::string charge_end;                // what ended the charge: "voltage limit", "state-of-charge limit", "time limit"
  double charge_end_s = 0.0;
  double charge_in_Ah = 0.0;             // from the charger
  double side_reaction_charge_Ah = 0.0;  // taken by the positive's side reaction (charge and observation)
  double side_reaction_heat_kJ = 0.0;    // part of electrical_heat_kJ
  double plated_lithium_g = 0.0;         // lithium plated past a full host anode, or past 100 % SOC on lithium metal
};

struct AbuseOptions {
  double relative_tolerance = 1e-6;
  std::optional<double> initial_soc;         // replaces the procedure's
  double max_operating_temperature_K = 333.15;  // GB 38031 App. C (b) leaves it to the manufacturer: 60 C typical
};

AbuseResult run_heating_test(const CellInventory& cell, const ReactionNetwork& network, const HeatingProcedure& procedure,
                             const AbuseOptions& options = {});

}  // namespace solidcell::abuse
