#include "solidcell/vehicle/speed_trace.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/experiment/text.hpp"
#include "solidcell/vehicle/nedc.hpp"

namespace solidcell::vehicle {

namespace {

using experiment::text::lower;
using experiment::text::csv_cells;
using experiment::text::csv_number;
using experiment::text::trim;

enum class Role { time, speed, grade, ignored };

// A column name the reader knows (lower case), what it holds and its factor to SI.
struct KnownColumn {
  const char* name;
  Role role;
  double to_si;
};

constexpr KnownColumn known_columns[] = {
    {"cycsecs", Role::time, 1.0},
    {"time_s", Role::time, 1.0},
    {"time_seconds", Role::time, 1.0},
    {"cycmps", Role::speed, 1.0},
    {"speed_mps", Role::speed, 1.0},
    {"speed_meters_per_second", Role::speed, 1.0},
    {"speed_kmh", Role::speed, 1.0 / 3.6},
    {"cycgrade", Role::grade, 1.0},
    {"grade", Role::grade, 1.0},
    {"cycroadtype", Role::ignored, 1.0},  // FASTSim's road-type tag: not used by the longitudinal model
};

constexpr const char* header_allowed =
    "the header must name a time column (cycSecs, time_s or time_seconds), one speed column (cycMps, speed_mps, "
    "speed_meters_per_second or speed_kmh) and optionally a grade (cycGrade or grade) and cycRoadType";

}  // namespace

double SpeedTrace::duration_s() const {
  if (time_s.empty()) throw std::logic_error("empty speed trace");
  return time_s.back() - time_s.front();
}

double SpeedTrace::distance_m() const {
  double d = 0.0;
  for (size_t k = 1; k < time_s.size(); ++k) d += 0.5 * (speed_mps[k - 1] + speed_mps[k]) * (time_s[k] - time_s[k - 1]);
  return d;
}

double SpeedTrace::max_speed_mps() const {
  return speed_mps.empty() ? 0.0 : *std::max_element(speed_mps.begin(), speed_mps.end());
}

double SpeedTrace::mean_speed_mps() const { return distance_m() / duration_s(); }

SpeedTrace parse_speed_trace_csv(std::string_view text, const std::string& source) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // FASTSim's wltc_3b.csv starts with a BOM

  SpeedTrace trace;
  trace.source = source;
  trace.name = std::filesystem::path(source).stem().string();
  std::vector<std::string> names;
  std::vector<const KnownColumn*> columns;
  int time_col = -1, speed_col = -1, grade_col = -1;

  int line_no = 0, last_line = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    last_line = line_no;
    auto cells = csv_cells(line);

    if (columns.empty()) {
      InputLocation where{source, line_no, "header"};
      if (csv_number(cells[0])) throw InputError(where, fmt::format("\"{}\"", line), std::string(header_allowed) + "; this line holds numbers");
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string key = lower(cells[c]);
        const KnownColumn* known = nullptr;
        for (const auto& k : known_columns)
          if (key == k.name) known = &k;
        InputLocation col_where{source, line_no, fmt::format("column {}", c + 1)};
        if (!known) throw InputError(col_where, fmt::format("\"{}\"", cells[c]), header_allowed);
        int& slot = known->role == Role::time ? time_col : known->role == Role::speed ? speed_col : grade_col;
        if (known->role != Role::ignored) {
          if (slot >= 0) throw InputError(col_where, fmt::format("\"{}\"", cells[c]), fmt::format("a second {} column; {}", key, header_allowed));
          slot = static_cast<int>(c);
        }
        names.emplace_back(cells[c]);
        columns.push_back(known);
      }
      if (time_col != 0) throw InputError(where, fmt::format("\"{}\"", line), std::string(header_allowed) + "; time must be the first column");
      if (speed_col < 0) throw InputError(where, fmt::format("\"{}\"", line), std::string(header_allowed) + "; no speed column");
      continue;
    }

    if (cells.size() != columns.size())
      throw InputError(InputLocation{source, line_no, ""}, fmt::format("\"{}\"", line),
                       fmt::format("each row must have {} columns like the header", columns.size()));
    auto read = [&](int c) {
      const auto cc = static_cast<size_t>(c);
      auto v = csv_number(cells[cc]);
      InputLocation where{source, line_no, names[cc]};
      if (!v) throw InputError(where, fmt::format("\"{}\"", cells[cc]), "must be a number");
      if (!std::isfinite(*v)) throw InputError(where, std::string(cells[cc]), "must be finite");
      return *v * columns[cc]->to_si;
    };
    const double t = read(time_col), v = read(speed_col);
    const double g = grade_col >= 0 ? read(grade_col) : 0.0;
    if (trace.time_s.empty() && t != 0.0)
      throw InputError(InputLocation{source, line_no, names[0]}, std::string(cells[0]), "the first row must be at time 0");
    if (!trace.time_s.empty() && t <= trace.time_s.back())
      throw InputError(InputLocation{source, line_no, names[0]}, std::string(cells[0]),
                       fmt::format("must increase strictly from row to row (the row before has {})", trace.time_s.back()));
    if (v < 0.0 || v > 150.0)  // 540 km/h: a unit mix-up, not a road vehicle
      throw InputError(InputLocation{source, line_no, names[static_cast<size_t>(speed_col)]}, std::string(cells[static_cast<size_t>(speed_col)]),
                       "allowed range [0, 150] m/s (0-540 km/h)");
    if (std::abs(g) > 0.5)
      throw InputError(InputLocation{source, line_no, names[static_cast<size_t>(grade_col)]}, std::string(cells[static_cast<size_t>(grade_col)]),
                       "allowed range [-0.5, 0.5] (rise over run)");
    trace.time_s.push_back(t);
    trace.speed_mps.push_back(v);
    trace.grade.push_back(g);
  }
  if (columns.empty()) throw InputError(InputLocation{source, 0, ""}, "", std::string("empty file: ") + header_allowed);
  if (trace.time_s.size() < 2)
    throw InputError(InputLocation{source, last_line, ""}, "",
                     fmt::format("a speed trace needs at least 2 data rows after the header, found {}", trace.time_s.size()));
  return trace;
}

SpeedTrace load_speed_trace(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(InputLocation{path, 0, ""}, "", "speed-trace file not found or not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, ""}, "", "speed-trace file cannot be opened for reading");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_speed_trace_csv(ss.str(), path);
}

std::vector<std::string> builtin_speed_trace_names() { return {"nedc"}; }

SpeedTrace speed_trace_by_name_or_file(const std::string& name_or_path) {
  if (lower(name_or_path) == "nedc") return nedc_speed_trace();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(name_or_path, ec))
    throw InputError(InputLocation{name_or_path, 0, "cycle"}, name_or_path,
                     "a built-in cycle (nedc) or a speed-trace CSV file; the file was not found");
  return load_speed_trace(name_or_path);
}

}  // namespace solidcell::vehicle
