#pragma once
// The external short-circuit test of a standard, run on a lumped cell: the terminals are joined through a small
// resistance for a fixed time (GB 38031-2025 8.1.4: < 5 mOhm, 10 min) or until the case is back near the
// ambient (UL 1642, UN 38.3 T5), then the cell is observed. The current is the cell's EMF behind its internal
// resistance, capped by its mass transport (CellInventory::limiting_current_A, transport_limit.hpp); its
// Joule heat, the runaway chemistry and the chamber's convection and radiation act throughout
// (thermal_runaway_model.hpp). The verdict follows the standard: no fire, no explosion, and where the
// standard has one, a case-temperature limit.
#include <optional>
#include <string>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/verdict.hpp"

namespace solidcell::abuse {

struct ExternalShortProcedure {
  std::string standard;
  std::string title;
  double resistance_ohm = 0.005;       // across the terminals
  double short_s = 600.0;              // how long the short is held (a fixed time)
  // UL 1642 / UN 38.3: the short is held until the cell has warmed and cooled back to within this many kelvin
  // of the ambient (at most short_s); unset: a fixed time.
  std::optional<double> until_ambient_within_K;
  double observation_s = 3600.0;       // after the short is opened
  double ambient_K = 295.15;
  double initial_soc = 1.0;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  std::optional<double> max_case_temperature_K;  // UL 1642: 150 C, UN 38.3 T5: 170 C; GB 38031: none
  RunawayCriterion criterion;
  std::string source;
};

// data/standards/<name>.toml [external_short] (or a path); throws InputError naming file, line, field, value
// and the allowed range.
ExternalShortProcedure load_external_short_procedure(const std::string& standard_name_or_path);

// test = "short". The trace's current is the current through the short while it is closed.
AbuseResult run_external_short_test(const CellInventory& cell, const ReactionNetwork& network, const ExternalShortProcedure& procedure,
                                    const AbuseOptions& options = {});

}  // namespace solidcell::abuse
