#pragma once
// Discrete-event simulation of a FlowLine: parallel machines with full-batch starts, finite buffers with
// blocking after service, random time-dependent breakdowns, scrap and rework loops, seeded streams.
// Cells are counted, not tracked one by one (they are identical), so a station's buffer is an integer and
// the event queue holds only machine events: one completion per batch, failures and repairs. Lead time
// comes from Little's law (mean WIP / entry rate), which holds for any work-conserving line.
#include <cstdint>
#include <string>
#include <vector>

#include "solidcell/production/flow_line.hpp"

namespace solidcell::production {

struct SimulationOptions {
  double period_s = 0.0;   // simulated time from an empty line
  double warmup_s = 0.0;   // statistics are collected over [warmup_s, period_s]
  std::uint64_t seed = 1;  // each station draws from its own streams derived from it
};

struct StationStats {
  std::string name;
  int machines = 0;
  long long processed_cells = 0;  // cells that finished a cycle here (all passes)
  long long good_cells = 0;       // ... and went on
  long long scrap_cells = 0;
  long long rework_cells = 0;
  // Shares of machine time (machines x window), summing to 1: busy, blocked (holding finished cells that the
  // next buffer cannot take), starved (up and idle, waiting for a full batch), down (under repair).
  double busy_fraction = 0.0;
  double blocked_fraction = 0.0;
  double starved_fraction = 0.0;
  double down_fraction = 0.0;
  double busy_machine_s = 0.0;     // for energy use
  double idle_up_machine_s = 0.0;  // starved or blocked while up
  // OEE = availability x performance x quality (Nakajima): uptime share; ideal cycle time x cells
  // processed / uptime; first-pass good share.
  double availability = 0.0;
  double performance = 0.0;
  double quality = 0.0;
  double oee = 0.0;
  double active_fraction = 0.0;       // busy + down: what the utilisation bottleneck method compares
  double mean_active_period_s = 0.0;  // mean length of uninterrupted busy-or-down periods per machine
  double mean_wip_cells = 0.0;        // time average of cells in the buffer, rework queue and machines
};

struct SimulationResult {
  double window_s = 0.0;            // period - warmup
  long long cells_started = 0;      // entered the line during the window
  long long good_cells = 0;         // left the last station during the window
  long long scrap_cells = 0;        // scrapped at any station during the window
  long long wip_at_window_start = 0;
  long long wip_at_end = 0;         // cells_started + wip_at_window_start = good + scrap + wip_at_end
  double mean_wip_cells = 0.0;      // time average over the window, whole line
  double mean_lead_time_s = 0.0;    // Little's law: mean_wip / (cells_started / window)
  double good_cells_per_s = 0.0;
  double yield = 0.0;               // good / (good + scrap) over the window
  std::vector<StationStats> stations;
  int bottleneck = -1;              // utilisation method: the station with the largest active fraction
  std::string bottleneck_method = "utilisation (largest share of time busy or down)";
  long long events = 0;             // processed events (cancelled ones excluded)
};

// Throws std::invalid_argument for an ill-formed FlowLine (no stations, batch < 1, rework_to after its
// station, ...); line files are checked before they get here, with InputError.
SimulationResult simulate_line(const FlowLine& line, const SimulationOptions& options);

}  // namespace solidcell::production
