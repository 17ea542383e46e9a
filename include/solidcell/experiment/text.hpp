#pragma once
// Small text helpers shared by the experiment, drive-cycle and speed-trace readers (ASCII: keywords and headers).
#include <charconv>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace solidcell::experiment::text {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A CSV cell without its surrounding blanks and double quotes (spreadsheets quote header names).
inline std::string_view csv_cell(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  return s;
}

// The cells of one CSV line (no commas inside quotes: these files hold numbers and plain names).
inline std::vector<std::string_view> csv_cells(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(csv_cell(line.substr(start)));
      return out;
    }
    out.push_back(csv_cell(line.substr(start, comma - start)));
    start = comma + 1;
  }
}

// The whole cell as a number (a leading "+" allowed; beyond double's range: infinity), or nullopt. "nan" and
// "inf" parse here and are refused by the callers, which know the field.
inline std::optional<double> csv_number(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0.0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace solidcell::experiment::text
