#pragma once
// Every abuse test by name, so that the CLI, the report and the sensitivity study run them alike:
// heating (hot box), nail, overcharge, crush and short (external). A standard that has no procedure for a
// test (GB 38031-2020 and -2025 dropped the cell nail test) falls back to the standard that has one, and the
// result names the standard used.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"

namespace solidcell::abuse {

// The tests in the order of the report's matrix.
const std::vector<std::string>& abuse_test_names();
bool is_abuse_test(const std::string& name);
// The standard a test falls back to when the chosen one has no procedure for it.
std::string fallback_standard(const std::string& test);

// One cell in one abuse test: the cell, what the runaway model knows of it and the chemistry, and the
// knobs the sensitivity study turns.
struct AbuseCase {
  cell::Cell cell;
  CellInventory inventory;
  ReactionNetwork network;
  AbuseOptions options;
  double convection_factor = 1.0;  // scales the chamber's (or room's) heat-transfer coefficient
  double nail_contact_factor = 1.0;  // scales the nail's contact resistance per shorted layer
  bool three_d = false;            // heating, crush: the 3D finite-volume model (the nail test is always 3D)
  ThreeDOptions three_d_options;   // grid and tolerances of the 3D runs
  // The nail's position as fractions (nail_test.hpp: a pouch's electrode length and width; a cylindrical
  // cell's height and its offset across the diameter, 0.5 through the axis); none: the standard's.
  std::optional<double> nail_position_x, nail_position_y;
};

AbuseCase make_abuse_case(const cell::Cell& cell, const std::string& cell_file, const std::string& network_name_or_path = "");

// Runs `test` under `standard` (a name in data/standards or a file). Throws InputError for an unknown test
// or a standard file that is malformed.
AbuseResult run_abuse_test(const std::string& test, const AbuseCase& c, const std::string& standard);

}  // namespace solidcell::abuse
