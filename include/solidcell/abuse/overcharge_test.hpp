#pragma once
// The overcharge test of a standard, run on a cell: a charger drives a constant current into the cell (from
// full, or from empty for UL 1642) until the standard's limit (a voltage, a charge-counted state of charge, a
// time or a charge input), then the cell is observed at rest. The cell's EMF goes on past 100 % SOC from its
// electrodes (CellInventory::electrodes: the positive delithiates further, a full graphite host plates
// lithium), the network's positive side reaction (electrolyte oxidation) takes part of the current and heats the
// cell, and the runaway chemistry reacts with the delithiated positive and the plated lithium
// (ModelFeatures::overcharge). The verdict follows the standard's runaway criterion (verdict.hpp).
#include <optional>
#include <string>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/verdict.hpp"

namespace solidcell::abuse {

struct OverchargeProcedure {
  std::string standard;  // e.g. "gb38031-2025"
  std::string title;
  // Charge current = current_multiple x I_n, with I_n = C / n the n-hour rate (GB 38031: 1 I3; GB/T 31485: 1 I1).
  double current_multiple = 1.0;
  double current_rate_hours = 3.0;
  double initial_soc = 1.0;
  // Limits of the charge; the first reached ends it. At least one must be set.
  std::optional<double> voltage_limit_factor;  // x the cell's charge cut-off voltage (terminal voltage)
  std::optional<double> soc_limit;             // state of charge counted from the charge put in (1.15 = 115 %)
  std::optional<double> max_charge_s;          // charging time
  std::optional<double> max_charge_input;      // charge put in, in multiples of the capacity (UL 1642: 2.5)
  double supply_voltage_factor = 2.0;  // the supply's compliance voltage, x the charge cut-off (assumption: UN 38.3 T7's 2x)
  double observation_s = 3600.0;
  double ambient_K = 295.15;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  RunawayCriterion criterion;
  std::string source;

  double current_A(double capacity_Ah) const { return current_multiple * capacity_Ah / current_rate_hours; }
};

// data/standards/<name>.toml (or a path), its [overcharge] table; throws InputError naming file, line and field.
OverchargeProcedure load_overcharge_procedure(const std::string& standard_name_or_path);

// Needs an inventory made from a cell file (its `electrodes`); throws InputError otherwise, and when the
// procedure has no limit, no current, or a voltage limit for a cell without a charge cut-off voltage.
AbuseResult run_overcharge_test(const CellInventory& cell, const ReactionNetwork& network, const OverchargeProcedure& procedure,
                                const AbuseOptions& options = {});

}  // namespace solidcell::abuse
