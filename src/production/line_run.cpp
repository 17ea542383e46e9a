#include "solidcell/production/line_run.hpp"

#include <cmath>
#include <cstdlib>

#include "solidcell/base/input_error.hpp"

namespace solidcell::production {

SimulationResult run_line(const Line& line, const LineRunOptions& options) {
  SimulationOptions so;
  so.period_s = options.period_s > 0.0 ? options.period_s : operating_s_per_year(line);
  so.warmup_s = options.warmup_s;
  so.seed = options.seed;
  if (!(so.warmup_s >= 0.0 && so.warmup_s < so.period_s))
    throw InputError(InputLocation{"", 0, "warmup"}, std::to_string(so.warmup_s / 3600.0) + " h", "must be shorter than the period");
  return simulate_line(flow_line(line, options.min_lot_cells), so);
}

double parse_period_s(const std::string& text, const Line& line, const std::string& field) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double x = std::strtod(begin, &end);
  const std::string unit(end);
  double scale = 0.0;
  if (unit == "y") scale = operating_s_per_year(line);
  else if (unit == "w") scale = 7 * 86400.0;
  else if (unit == "d") scale = 86400.0;
  else if (unit == "h") scale = 3600.0;
  else if (unit == "min") scale = 60.0;
  else if (unit == "s") scale = 1.0;
  if (end == begin || scale == 0.0 || !(x > 0.0) || !std::isfinite(x))
    throw InputError(InputLocation{"", 0, field}, text, "a positive number with a unit: y (operating year), w, d, h, min or s, e.g. 1y or 30d");
  return x * scale;
}

}  // namespace solidcell::production
