#pragma once
// The crush test of a standard on a lumped cell: a rigid indenter (GB 38031-2025 8.1.7: R75 mm semi-cylinder,
// <= 2 mm/s, perpendicular to the plates) presses into the stack (crush_mechanics.hpp) until the first stop
// criterion (voltage, deformation, force), holds, is withdrawn, and the cell is observed. Once the failing layer
// (separator, solid electrolyte) fails under the indenter, the failed area shorts the cell through
// ElectricalLoad::internal_short_ohm; the damage stays after the withdrawal. Heat, runaway chemistry and the
// verdict as in the other abuse tests (runaway_driver.hpp).
#include <string>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/crush_mechanics.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"

namespace solidcell::abuse {

struct CrushProcedure {
  std::string standard;
  std::string title;
  Indenter indenter;                          // GB 38031: semi-cylinder, R = 75 mm
  double speed_m_per_s = 0.002;
  double stop_voltage_V = 0.0;                // stop when the terminal voltage falls to it
  double stop_deformation_fraction = 0.15;    // of the cell's thickness
  double stop_force_N = 1e5;
  double stop_force_per_cell_weight = 1000.0;  // stop also at this many times the cell's weight (0: none)
  double hold_s = 600.0;                      // at the stop displacement
  double observation_s = 3600.0;              // after the withdrawal
  double ambient_K = 295.15;
  double initial_soc = 1.0;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  RunawayCriterion criterion;
  std::string source;
};

// data/standards/<name>.toml [crush] (or a path); throws InputError naming file, line, field, value and range.
CrushProcedure load_crush_procedure(const std::string& standard_name_or_path);

// test = "crush", with the cell's built-in stack mechanics (default_mechanics_name) or the given one. The trace
// carries force_N and displacement_m; short_onset_s is when the failing layer failed. The reasons say which
// criterion stopped the crush.
AbuseResult run_crush_test(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                           const AbuseOptions& options = {});
AbuseResult run_crush_test(const CrushMechanics& mechanics, const CellInventory& inventory, const ReactionNetwork& network,
                           const CrushProcedure& procedure, const AbuseOptions& options = {});

}  // namespace solidcell::abuse
