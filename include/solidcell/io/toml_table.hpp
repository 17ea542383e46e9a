#pragma once
// Checked access to one TOML table: every read names its key, checks the physical range and remembers
// that the key was used, so that unknown (misspelt) keys can be refused at the end.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "solidcell/base/input_error.hpp"

namespace solidcell::io {

// A closed or open interval with the wording used in error messages.
struct Range {
  double low;
  double high;
  bool low_open = false;
  bool high_open = false;

  bool contains(double v) const;
  std::string describe() const;  // e.g. "allowed range (0, 1]"

  static Range positive(double high);       // (0, high]
  static Range non_negative(double high);   // [0, high]
  static Range fraction_open_top();         // [0, 1)
  static Range unit_interval();             // [0, 1]
};

class TomlTable {
 public:
  TomlTable(const toml::table& table, std::string file, std::string path);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;

  double number(std::string_view key, const Range& range) const;
  std::optional<double> optional_number(std::string_view key, const Range& range) const;
  long long integer(std::string_view key, long long low, long long high) const;
  std::string string(std::string_view key) const;
  std::optional<std::string> optional_string(std::string_view key) const;
  // A string that must be one of `choices`.
  std::string choice(std::string_view key, const std::vector<std::string>& choices) const;
  std::vector<double> number_array(std::string_view key, const Range& range) const;
  // An inline table of name -> number, e.g. mass_fractions = { ncm811 = 0.8, li6ps5cl = 0.2 }.
  std::map<std::string, double> number_map(std::string_view key, const Range& range) const;

  TomlTable table(std::string_view key) const;
  std::optional<TomlTable> optional_table(std::string_view key) const;

  // The TOML node of a key with its location, for readers that accept several types.
  const toml::node* node(std::string_view key) const;

  InputLocation where(std::string_view key) const;  // the key's line, or the table's if absent
  InputLocation where_table() const;
  [[noreturn]] void fail(std::string_view key, std::string value, std::string allowed) const;

  // Refuse every key that no reader asked for (typos, fields from another schema).
  void reject_unknown_keys() const;
  // Mark keys as read without reading them (e.g. free-text notes).
  void accept(std::string_view key) const;

 private:
  std::string field(std::string_view key) const;
  const toml::node* require(std::string_view key) const;

  const toml::table* table_;
  std::string file_;
  std::string path_;
  mutable std::set<std::string, std::less<>> used_;
};

// Parses a TOML file; syntax errors become InputError with the line of the fault.
toml::table load_toml_file(const std::string& path);
toml::table parse_toml_text(std::string_view text, const std::string& source_name);

std::string format_number(double v);

}  // namespace solidcell::io
