#pragma once
// A drive cycle: current or power against time, read from a user's CSV file, for "Drive cycle current from
// FILE" steps. The file has a header line and two numeric columns:
//   time_s,current_A        (or current_mA; PyBaMM's "Time [s]", "Current [A]" are accepted too)
//   time_s,power_W          (or power_kW; "Power [W]", "Power [kW]")
// Time starts at 0 and increases strictly; current and power are positive for discharge, as in PyBaMM.
#include <string>
#include <string_view>
#include <vector>

namespace solidcell::experiment {

enum class DriveCycleQuantity { current, power };

struct DriveCycle {
  DriveCycleQuantity quantity = DriveCycleQuantity::current;
  std::string source;          // the file it was read from
  std::vector<double> time_s;  // starts at 0, strictly increasing, at least two samples
  std::vector<double> values;  // A or W (converted from the file's unit), positive for discharge

  // The span of the data: the last time [s].
  double duration_s() const;
  // The value at time t [s] from the start of the step, interpolated linearly between samples, as PyBaMM
  // interpolates drive cycles (so results compare, and the imposed current stays continuous, which the
  // implicit solver needs; a zero-order hold would put a jump at every sample). Before 0 and after the last
  // sample the end values hold; repeating a cycle that is shorter than its step is the simulation's choice.
  double value_at(double t) const;
};

// Reads and checks a drive-cycle CSV file; bad content throws InputError with the file, line, column,
// value and what is allowed.
DriveCycle load_drive_cycle(const std::string& path, DriveCycleQuantity quantity);
// The same for text already in memory; `source` names it in error messages.
DriveCycle parse_drive_cycle_csv(std::string_view text, const std::string& source, DriveCycleQuantity quantity);

const char* to_string(DriveCycleQuantity quantity);

}  // namespace solidcell::experiment
