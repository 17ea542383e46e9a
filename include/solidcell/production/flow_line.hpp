#pragma once
// The line as the discrete-event simulator sees it: a serial chain of stations that move cells (or
// cell-equivalents of electrode, electrolyte, ...). Everything here is in cells and seconds; the line
// files' own units (m2, kg, layers) are converted by line.hpp before a FlowLine is built.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace solidcell::production {

enum class TimeDistribution { deterministic, exponential };

// One station: identical parallel machines, each taking a full batch from the buffer before it.
struct FlowStation {
  std::string name;
  int machines = 1;
  int batch_cells = 1;                 // cells per cycle; a machine starts only with a full batch
  double cycle_time_s = 1.0;           // mean time of one cycle (one batch) on one machine
  TimeDistribution distribution = TimeDistribution::deterministic;
  // Time-dependent failures: a machine fails after Exp(mtbf) of calendar time whatever it is doing and is
  // repaired after Exp(mttr); work in progress resumes where it stopped. Infinity: never fails.
  double mtbf_s = std::numeric_limits<double>::infinity();
  double mttr_s = 0.0;
  double scrap_fraction = 0.0;         // per cell and pass
  double rework_fraction = 0.0;        // per cell and pass: sent back to station rework_to
  int rework_to = -1;                  // index of a station at or before this one; -1 = this station
  long long buffer_capacity = -1;      // cells waiting before the station (not in machines); -1 = unbounded
};

// How cells enter the first station.
struct ArrivalProcess {
  enum class Kind { saturated, poisson, deterministic };
  Kind kind = Kind::saturated;         // saturated: raw material is never short (a production line)
  double rate_per_s = 0.0;             // poisson and deterministic; the first buffer is then unbounded
};

struct FlowLine {
  std::vector<FlowStation> stations;
  ArrivalProcess arrivals;
};

// Long-run rate of good cells out of the line if every station ran at its capacity times availability:
// the analytic bottleneck, with the visits that scrap and rework cause (see visits_per_good_cell).
double analytic_good_cells_per_s(const FlowLine& line);
// Cells each station processes per good cell that leaves the line (above 1 with scrap and rework).
std::vector<double> visits_per_good_cell(const FlowLine& line);
// Capacity of one machine of a station in cells per second of calendar time, availability included.
double machine_capacity_per_s(const FlowStation& s);

}  // namespace solidcell::production
