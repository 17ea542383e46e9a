#pragma once
// A vehicle speed trace (a drive cycle as the road sees it): speed and road grade against time, read from a
// user's CSV file or built in (NEDC, nedc.hpp). Accepted headers, one row per sample:
//   cycSecs,cycMps[,cycGrade][,cycRoadType]          FASTSim 2 (an optional UTF-8 byte-order mark)
//   time_seconds,speed_meters_per_second[,grade]     FASTSim 3
//   time_s,speed_kmh[,grade]  or  time_s,speed_mps[,grade]
// Grade is rise over run (0.05 = 5 %). Time starts at 0 and increases strictly.
#include <string>
#include <string_view>
#include <vector>

namespace solidcell::vehicle {

struct SpeedTrace {
  std::string name;            // "nedc", or the file's stem
  std::string source;          // the file it was read from, or the regulation it was built from
  std::vector<double> time_s;  // starts at 0, strictly increasing, at least two samples
  std::vector<double> speed_mps;
  std::vector<double> grade;   // rise over run at each sample (0 where the file has none)

  double duration_s() const;
  // Distance [m] with the speed linear between samples (the trapezoidal rule).
  double distance_m() const;
  double max_speed_mps() const;
  double mean_speed_mps() const;  // distance over duration, stops included
};

// Reads and checks a speed-trace CSV file; bad content throws InputError with the file, line, column,
// value and what is allowed.
SpeedTrace load_speed_trace(const std::string& path);
SpeedTrace parse_speed_trace_csv(std::string_view text, const std::string& source);

// A built-in cycle by name ("nedc") or a CSV file: what every `--cycle` option accepts.
SpeedTrace speed_trace_by_name_or_file(const std::string& name_or_path);
std::vector<std::string> builtin_speed_trace_names();

}  // namespace solidcell::vehicle
