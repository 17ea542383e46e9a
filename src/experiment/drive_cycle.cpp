#include "solidcell/experiment/drive_cycle.hpp"
#include "solidcell/experiment/text.hpp"

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

namespace solidcell::experiment {

namespace {

using text::lower;
using text::csv_cells;
using text::csv_number;
using text::trim;

// A column name the reader knows, with the factor to SI (divided, so that "50 mA" is exactly 0.05 A).
struct ColumnUnit {
  const char* name;  // lower case
  double divisor;
  double multiplier;
};

constexpr ColumnUnit time_columns[] = {{"time_s", 1, 1}, {"time [s]", 1, 1}};
constexpr ColumnUnit current_columns[] = {
    {"current_a", 1, 1}, {"current [a]", 1, 1}, {"current_ma", 1000, 1}, {"current [ma]", 1000, 1}};
constexpr ColumnUnit power_columns[] = {
    {"power_w", 1, 1}, {"power [w]", 1, 1}, {"power_kw", 1, 1000}, {"power [kw]", 1, 1000}};

const ColumnUnit* find_column(std::string_view name, const ColumnUnit* begin, const ColumnUnit* end) {
  std::string key = lower(name);
  for (const ColumnUnit* c = begin; c != end; ++c) {
    if (key == c->name) return c;
  }
  return nullptr;
}

std::string quoted(std::string_view s) { return fmt::format("\"{}\"", s); }

}  // namespace

double DriveCycle::duration_s() const {
  if (time_s.empty()) throw std::logic_error("empty drive cycle");
  return time_s.back();
}

double DriveCycle::value_at(double t) const {
  if (time_s.empty() || time_s.size() != values.size()) throw std::logic_error("empty or inconsistent drive cycle");
  if (std::isnan(t)) return t;
  if (t <= time_s.front()) return values.front();
  if (t >= time_s.back()) return values.back();
  auto hi = static_cast<size_t>(std::upper_bound(time_s.begin(), time_s.end(), t) - time_s.begin());
  size_t lo = hi - 1;
  double w = (t - time_s[lo]) / (time_s[hi] - time_s[lo]);
  return values[lo] + w * (values[hi] - values[lo]);
}

DriveCycle parse_drive_cycle_csv(std::string_view text, const std::string& source, DriveCycleQuantity quantity) {
  const bool is_current = quantity == DriveCycleQuantity::current;
  const char* expected_header = is_current ? "time_s,current_A" : "time_s,power_W";
  const std::string header_allowed = fmt::format(
      "the first line must be the header {} ({}; PyBaMM's \"Time [s]\", {} are accepted too)", expected_header,
      is_current ? "or current_mA" : "or power_kW",
      is_current ? "\"Current [A]\"" : "\"Power [W]\", \"Power [kW]\"");

  // Spreadsheet exports often start with a UTF-8 byte-order mark.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  DriveCycle cycle;
  cycle.quantity = quantity;
  cycle.source = source;
  std::string time_name;
  std::string value_name;
  const ColumnUnit* value_unit = nullptr;

  int line_no = 0;
  int last_line = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;  // blank lines and comments
    last_line = line_no;

    auto cells = csv_cells(line);
    if (!value_unit) {
      // The header: names with units, checked against the step's quantity.
      InputLocation where{source, line_no, "header"};
      if (cells.size() != 2) throw InputError(where, quoted(line), header_allowed);
      if (csv_number(cells[0])) {
        throw InputError(where, quoted(line), header_allowed + "; this line holds numbers");
      }
      if (!find_column(cells[0], std::begin(time_columns), std::end(time_columns))) {
        throw InputError(where, quoted(cells[0]), header_allowed);
      }
      const auto* wanted_begin = is_current ? std::begin(current_columns) : std::begin(power_columns);
      const auto* wanted_end = is_current ? std::end(current_columns) : std::end(power_columns);
      value_unit = find_column(cells[1], wanted_begin, wanted_end);
      if (!value_unit) {
        const auto* other_begin = is_current ? std::begin(power_columns) : std::begin(current_columns);
        const auto* other_end = is_current ? std::end(power_columns) : std::end(current_columns);
        std::string allowed = header_allowed;
        if (find_column(cells[1], other_begin, other_end)) {
          allowed = fmt::format("the step reads {} (\"Drive cycle {} from ...\") but this file gives {}; {}",
                                to_string(quantity), to_string(quantity), is_current ? "power" : "current",
                                header_allowed);
        }
        throw InputError(where, quoted(cells[1]), allowed);
      }
      time_name = std::string(cells[0]);
      value_name = std::string(cells[1]);
      continue;
    }

    if (cells.size() != 2) {
      throw InputError(InputLocation{source, line_no, ""}, quoted(line),
                       fmt::format("each row must have 2 columns, {},{}", time_name, value_name));
    }
    auto read = [&](std::string_view cell, const std::string& name) {
      auto v = csv_number(cell);
      if (!v) throw InputError(InputLocation{source, line_no, name}, quoted(cell), "must be a number");
      if (!std::isfinite(*v)) throw InputError(InputLocation{source, line_no, name}, std::string(cell), "must be finite");
      return *v;
    };
    double t = read(cells[0], time_name);
    double v = read(cells[1], value_name);
    if (cycle.time_s.empty() && t != 0.0) {
      throw InputError(InputLocation{source, line_no, time_name}, std::string(cells[0]),
                       "the first row must be at time 0 (times count from the start of the step)");
    }
    if (!cycle.time_s.empty() && t <= cycle.time_s.back()) {
      throw InputError(InputLocation{source, line_no, time_name}, std::string(cells[0]),
                       fmt::format("must increase strictly from row to row (the row before has {})",
                                   cycle.time_s.back()));
    }
    cycle.time_s.push_back(t);
    cycle.values.push_back(v * value_unit->multiplier / value_unit->divisor);
  }

  if (!value_unit) throw InputError(InputLocation{source, 0, ""}, "", "empty file: " + header_allowed);
  if (cycle.time_s.size() < 2) {
    throw InputError(InputLocation{source, last_line, ""}, "",
                     fmt::format("a drive cycle needs at least 2 data rows after the header, found {}",
                                 cycle.time_s.size()));
  }
  return cycle;
}

DriveCycle load_drive_cycle(const std::string& path, DriveCycleQuantity quantity) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw InputError(InputLocation{path, 0, ""}, "", "drive-cycle file not found or not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, ""}, "", "drive-cycle file cannot be opened for reading");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_drive_cycle_csv(ss.str(), path, quantity);
}

const char* to_string(DriveCycleQuantity quantity) {
  switch (quantity) {
    case DriveCycleQuantity::current: return "current";
    case DriveCycleQuantity::power: return "power";
  }
  return "unknown";
}

}  // namespace solidcell::experiment
