#pragma once
// Where a cell's runaway threshold lies: the lowest constant oven temperature at which it runs away
// (GB 38031-2025 App. C criterion) within the exposure time, found by bisection. The cell starts at room
// temperature and goes into the hot oven at once (Hatchard 2001 / Kim 2007's oven test).
#include <optional>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"

namespace solidcell::abuse {

struct OvenThresholdOptions {
  double soc = 1.0;
  double exposure_s = 4.0 * 3600.0;
  double room_K = 298.15;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  double low_K = 373.15;   // bracket searched
  double high_K = 573.15;
  double resolution_K = 0.5;
  RunawayCriterion criterion;
};

// A constant oven at oven_K for the exposure time, as a HeatingProcedure (a step from room temperature).
HeatingProcedure constant_oven(double oven_K, const OvenThresholdOptions& o);

// The threshold, or nothing when the cell does not run away even at high_K (or already does at low_K,
// which the result's flag tells).
struct OvenThreshold {
  std::optional<double> threshold_K;
  bool runs_away_at_low = false;
  int runs = 0;
};
OvenThreshold oven_threshold(const CellInventory& cell, const ReactionNetwork& network, const OvenThresholdOptions& options = {});

}  // namespace solidcell::abuse
