#include "solidcell/io/toml_table.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace solidcell::io {

std::string format_number(double v) { return fmt::format("{}", v); }

bool Range::contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (low_open ? v <= low : v < low) return false;
  if (high_open ? v >= high : v > high) return false;
  return true;
}

std::string Range::describe() const {
  return fmt::format("allowed range {}{}, {}{}", low_open ? "(" : "[", format_number(low), format_number(high),
                     high_open ? ")" : "]");
}

Range Range::positive(double high) { return Range{0.0, high, true, false}; }
Range Range::non_negative(double high) { return Range{0.0, high, false, false}; }
Range Range::fraction_open_top() { return Range{0.0, 1.0, false, true}; }
Range Range::unit_interval() { return Range{0.0, 1.0, false, false}; }

TomlTable::TomlTable(const toml::table& table, std::string file, std::string path)
    : table_(&table), file_(std::move(file)), path_(std::move(path)) {}

std::string TomlTable::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool TomlTable::has(std::string_view key) const { return table_->contains(key); }

std::vector<std::string> TomlTable::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : *table_) out.emplace_back(k.str());
  return out;
}

InputLocation TomlTable::where(std::string_view key) const {
  int line = 0;
  if (const auto* n = table_->get(key)) {
    // A key's node points at its value; tables defined by [header] point at the header.
    line = static_cast<int>(n->source().begin.line);
  } else {
    line = static_cast<int>(table_->source().begin.line);
  }
  return InputLocation{file_, line, field(key)};
}

InputLocation TomlTable::where_table() const {
  return InputLocation{file_, static_cast<int>(table_->source().begin.line), path_};
}

void TomlTable::fail(std::string_view key, std::string value, std::string allowed) const {
  throw InputError(where(key), std::move(value), std::move(allowed));
}

const toml::node* TomlTable::node(std::string_view key) const {
  used_.emplace(key);
  return table_->get(key);
}

const toml::node* TomlTable::require(std::string_view key) const {
  used_.emplace(key);
  const auto* n = table_->get(key);
  if (!n) {
    throw InputError(InputLocation{file_, static_cast<int>(table_->source().begin.line), field(key)}, "",
                     path_.empty() ? "required field is missing"
                                   : fmt::format("required field is missing from [{}]", path_));
  }
  return n;
}

namespace {

std::string describe_node(const toml::node& n) {
  std::ostringstream os;
  if (n.is_string()) {
    os << '"' << n.as_string()->get() << '"';
  } else if (n.is_table()) {
    os << "{table}";
  } else if (n.is_array()) {
    os << "[array]";
  } else {
    n.visit([&](auto&& v) { os << v; });
  }
  return os.str();
}

std::optional<double> as_number(const toml::node& n) {
  if (auto f = n.value_exact<double>()) return *f;
  if (auto i = n.value_exact<int64_t>()) return static_cast<double>(*i);
  return std::nullopt;
}

}  // namespace

double TomlTable::number(std::string_view key, const Range& range) const {
  const auto* n = require(key);
  auto v = as_number(*n);
  if (!v) fail(key, describe_node(*n), "must be a number");
  if (!range.contains(*v)) fail(key, format_number(*v), range.describe());
  return *v;
}

std::optional<double> TomlTable::optional_number(std::string_view key, const Range& range) const {
  if (!has(key)) {
    used_.emplace(key);
    return std::nullopt;
  }
  return number(key, range);
}

long long TomlTable::integer(std::string_view key, long long low, long long high) const {
  const auto* n = require(key);
  auto v = n->value_exact<int64_t>();
  if (!v) fail(key, describe_node(*n), "must be an integer");
  if (*v < low || *v > high) fail(key, std::to_string(*v), fmt::format("allowed range [{}, {}]", low, high));
  return *v;
}

std::string TomlTable::string(std::string_view key) const {
  const auto* n = require(key);
  auto v = n->value_exact<std::string>();
  if (!v) fail(key, describe_node(*n), "must be a string");
  if (v->empty()) fail(key, "\"\"", "must not be empty");
  return *v;
}

std::optional<std::string> TomlTable::optional_string(std::string_view key) const {
  if (!has(key)) {
    used_.emplace(key);
    return std::nullopt;
  }
  return string(key);
}

std::string TomlTable::choice(std::string_view key, const std::vector<std::string>& choices) const {
  auto v = string(key);
  for (const auto& c : choices)
    if (c == v) return v;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + std::string("\"") + c + "\"";
  fail(key, "\"" + v + "\"", "must be one of " + list);
}

std::vector<double> TomlTable::number_array(std::string_view key, const Range& range) const {
  const auto* n = require(key);
  const auto* arr = n->as_array();
  if (!arr) fail(key, describe_node(*n), "must be an array of numbers");
  std::vector<double> out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    auto v = as_number(*arr->get(i));
    if (!v) fail(key, describe_node(*arr->get(i)), fmt::format("element {} must be a number", i));
    if (!range.contains(*v)) fail(key, format_number(*v), fmt::format("element {}: {}", i, range.describe()));
    out.push_back(*v);
  }
  return out;
}

std::map<std::string, double> TomlTable::number_map(std::string_view key, const Range& range) const {
  const auto* n = require(key);
  const auto* t = n->as_table();
  if (!t) fail(key, describe_node(*n), "must be a table of name = number, e.g. { ncm811 = 0.8, li6ps5cl = 0.2 }");
  std::map<std::string, double> out;
  for (const auto& [k, v] : *t) {
    auto x = as_number(v);
    std::string name(k.str());
    if (!x) fail(key, name + " = " + describe_node(v), "each entry must be a number");
    if (!range.contains(*x)) fail(key, name + " = " + format_number(*x), range.describe());
    out.emplace(name, *x);
  }
  if (out.empty()) fail(key, "{}", "must name at least one entry");
  return out;
}

TomlTable TomlTable::table(std::string_view key) const {
  const auto* n = require(key);
  const auto* t = n->as_table();
  if (!t) fail(key, describe_node(*n), "must be a table");
  return TomlTable(*t, file_, field(key));
}

std::optional<TomlTable> TomlTable::optional_table(std::string_view key) const {
  if (!has(key)) {
    used_.emplace(key);
    return std::nullopt;
  }
  return table(key);
}

void TomlTable::accept(std::string_view key) const { used_.emplace(key); }

void TomlTable::reject_unknown_keys() const {
  for (const auto& [k, v] : *table_) {
    if (!used_.contains(k.str())) {
      throw InputError(InputLocation{file_, static_cast<int>(v.source().begin.line), field(k.str())}, "",
                       path_.empty() ? "unknown key (check the spelling against docs/cell-files.md)"
                                     : fmt::format("unknown key in [{}] (check the spelling against docs/cell-files.md)",
                                                   path_));
    }
  }
}

toml::table parse_toml_text(std::string_view text, const std::string& source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(InputLocation{source_name, static_cast<int>(e.source().begin.line), ""}, "",
                     fmt::format("TOML syntax error: {}", e.description()));
  }
}

toml::table load_toml_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw InputError(InputLocation{path, 0, ""}, "", "file not found or not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, ""}, "", "file cannot be opened for reading");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_toml_text(ss.str(), path);
}

}  // namespace solidcell::io
