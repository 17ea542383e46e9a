#pragma once
// Machines per station for a target output: first from the analytic bottleneck rate (capacity of a machine
// x availability, load = target x visits per good cell, with a utilisation ceiling), then checked by the
// discrete-event simulation, adding a machine at the simulated bottleneck until the target is met.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/production/line.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace solidcell::production {

struct PlanOptions {
  double max_utilisation = 0.85;  // analytic sizing leaves this margin for blocking, starving and batching
  bool check_by_simulation = true;
  // Simulated check: warm-up (0: twice the sum of the stations' cycle times, so that batch stations such
  // as ageing are filled) and window (0: four weeks of operation or ten line traversals, the longer).
  double warmup_s = 0.0;
  double window_s = 0.0;
  int min_lot_cells = 1;          // flow_line(): lots for big plants
  std::uint64_t seed = 1;
  int max_rounds = 50;            // machines added one at a time at most this often
};

struct StationPlan {
  std::string name;
  int machines_analytic = 0;     // from the load and the utilisation ceiling
  int machines = 0;              // after the simulated check
  double visits_per_good_cell = 0.0;
  double machine_capacity_cells_per_h = 0.0;  // availability included
  double load_cells_per_h = 0.0;              // at the target
  double utilisation = 0.0;                   // load / (machines x capacity)
};

struct CapacityPlan {
  double target_Wh_per_year = 0.0;
  double target_good_cells_per_h = 0.0;
  std::vector<StationPlan> stations;
  int analytic_bottleneck = -1;               // the station with the highest utilisation
  double analytic_good_cells_per_h = 0.0;     // with the final machine counts
  Line line;                                   // the input line with the planned machine counts
  std::optional<SimulationResult> check;      // the last simulated check
  double simulated_good_cells_per_h = 0.0;
  int machines_added_by_simulation = 0;
  bool target_met = false;
};

CapacityPlan plan_capacity(const Line& line, double target_GWh_per_year, const PlanOptions& options = {});

// Default warm-up and window of a simulated check (see PlanOptions).
double default_warmup_s(const FlowLine& line);
double default_window_s(const FlowLine& line);

}  // namespace solidcell::production
