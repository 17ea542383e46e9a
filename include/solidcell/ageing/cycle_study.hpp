#pragma once
// Cycling studies: an experiment (one cycle: any steps) run N times on an AgeingCell, carrying its state,
// with a summary per cycle, end of life and knee.
//
// Accelerated mode (docs/ageing.md): cycles are solved in full only at selected points; between them the
// cell's whole state (SEI thickness and the lithium it took included) is extrapolated linearly by the per-cycle
// change measured on the last solved cycle, over a jump of k cycles, and the skipped cycles' summaries are
// interpolated. After each jump one cycle is solved in full; the change of the per-cycle rates across the jump
// estimates the extrapolation's error, (k/2) |rate after - rate before| in points of capacity retention (lithium
// lost to SEI as charge, and the discharge capacity itself). A jump whose estimate exceeds the tolerance is
// undone and retried shorter; an accepted one sets the next k = k sqrt(tol / error), at most doubling.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/ageing/cycle_summary.hpp"
#include "solidcell/ageing/life_metrics.hpp"

namespace solidcell::ageing {

struct CycleStudyOptions {
  int cycles = 1;
  bool accelerate = false;
  double tolerance = 2e-4;   // per jump, as a fraction of retention (2e-4 = 0.02 points)
  int warmup_cycles = 3;     // solved in full before the first jump
  int max_jump = 50;         // cycles skipped at most in one jump
  double end_of_life_retention = 0.8;
  std::function<void(int cycles_done, int cycles)> progress;  // after each solved cycle (may be empty)
};

struct CycleStudyResult {
  std::vector<CycleSummary> cycles;  // one per cycle, 1..N (fewer if a cycle failed)
  int solved_cycles = 0;             // cycles solved in full
  int rejected_jumps = 0;
  std::optional<int> end_of_life_cycle;  // first cycle below the threshold
  std::optional<Knee> knee;
  std::string stopped;  // why the study ended before N cycles (a cut-off or a solver failure), empty otherwise
  std::vector<AgeingEvent> events;  // solid-state shorts (the study ends at one: `stopped` says so)
  double wall_time_s = 0.0;

  std::vector<double> capacity_retention() const;
  std::vector<double> resistance_growth() const;
};

// Throws InputError (field "cycles" or "tolerance") for options out of range.
CycleStudyResult run_cycle_study(AgeingCell& cell, const std::vector<experiment::Step>& cycle, const CycleStudyOptions& options);

// A cycle that may change from one cycle to the next (a day of driving at that day's ambient temperature), and
// how a solved one is summarised; the year of use (vehicle/year_of_use.hpp) runs its days through this.
struct CycleSource {
  // The steps of cycle n (1-based), called just before cycle n is solved (it may set the cell's ambient
  // temperature). A skipped cycle's steps are never asked for.
  std::function<std::vector<experiment::Step>(int cycle)> steps;
  // The summary of a solved cycle; empty: summarise_cycle. The accelerated mode's error estimate reads
  // discharge_capacity_Ah, so a source whose cycles do not measure capacity puts a check-up's capacity there.
  std::function<CycleSummary(int cycle, const experiment::Solution& solution, const AgeingCell& cell,
                             const std::vector<experiment::Step>& steps, const CycleSummary* first)>
      summarise;
};
// The same study with cycles from `source`; the fixed-cycle overload above is this with the same steps each time.
CycleStudyResult run_cycle_study(AgeingCell& cell, const CycleSource& source, const CycleStudyOptions& options);

}  // namespace solidcell::ageing
