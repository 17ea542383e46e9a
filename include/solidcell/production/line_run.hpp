#pragma once
// Running a loaded line: the simulation clock counts operating time (the line file's operating hours per
// year make one year), so "1y" is one year of operation.
#include <cstdint>
#include <string>

#include "solidcell/production/line.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace solidcell::production {

struct LineRunOptions {
  double period_s = 0.0;   // 0: one operating year
  double warmup_s = 0.0;   // statistics from here on (the line starts empty)
  std::uint64_t seed = 1;
  int min_lot_cells = 1;   // see flow_line()
};

SimulationResult run_line(const Line& line, const LineRunOptions& options = {});

// "1y", "0.5y", "2w", "30d", "8h", "90min", "3600s" (a number and a unit; y = the line's operating year,
// d = 24 h, w = 7 d of the simulation clock). Throws InputError on the field `field`.
double parse_period_s(const std::string& text, const Line& line, const std::string& field = "period");

}  // namespace solidcell::production
