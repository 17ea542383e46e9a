#include "solidcell/sweep/sweep_spec.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "solidcell/base/content_hash.hpp"

namespace solidcell::sweep {

const char* to_string(Method m) {
  switch (m) {
    case Method::grid: return "grid";
    case Method::latin_hypercube: return "latin_hypercube";
    case Method::monte_carlo: return "monte_carlo";
  }
  return "grid";
}

const char* to_string(Distribution d) {
  switch (d) {
    case Distribution::uniform: return "uniform";
    case Distribution::normal: return "normal";
    case Distribution::lognormal: return "lognormal";
  }
  return "uniform";
}

namespace {

constexpr double any_low = -std::numeric_limits<double>::max();
constexpr double any_high = std::numeric_limits<double>::max();
const io::Range any_number{any_low, any_high};
constexpr long long max_cases = 10'000'000;
constexpr long long max_cases_per_file = 100'000;  // a batch is held in memory until written

Method read_method(const io::TomlTable& t) {
  const auto m = t.choice("method", {"grid", "latin_hypercube", "monte_carlo"});
  if (m == "latin_hypercube") return Method::latin_hypercube;
  if (m == "monte_carlo") return Method::monte_carlo;
  return Method::grid;
}

ParameterSpec read_parameter(const io::TomlTable& t, Method method) {
  ParameterSpec p;
  p.name = t.string("name");
  p.line = t.where("name").line;
  p.source = t.optional_string("source").value_or("");
  p.comment = t.optional_string("comment").value_or("");
  if (method == Method::grid) {
    if (t.has("low") || t.has("high") || t.has("distribution"))
      t.fail(t.has("low") ? "low" : t.has("high") ? "high" : "distribution", "",
             "method = \"grid\" takes a list of values; low, high and distribution are for latin_hypercube and monte_carlo");
    if (!t.has("values")) t.fail("values", "", "required for method = \"grid\": a list of numbers, e.g. values = [1.0, 2.0]");
    p.values = t.number_array("values", any_number);
    if (p.values.empty()) t.fail("values", "[]", "at least one value");
    return p;
  }
  if (t.has("values"))
    t.fail("values", "[array]", "values are for method = \"grid\"; random methods take low, high and distribution");
  p.low = t.number("low", any_number);
  p.high = t.number("high", any_number);
  if (t.has("distribution")) {
    const auto d = t.choice("distribution", {"uniform", "normal", "lognormal"});
    p.distribution = d == "normal" ? Distribution::normal : d == "lognormal" ? Distribution::lognormal : Distribution::uniform;
  }
  if (!(p.high > p.low)) t.fail("high", io::format_number(p.high), fmt::format("must be greater than low = {}", io::format_number(p.low)));
  if (p.distribution == Distribution::lognormal && !(p.low > 0.0))
    t.fail("low", io::format_number(p.low), "lognormal needs low > 0 (its 95 % interval is [low, high])");
  return p;
}

// Everything that decides the results, in a fixed text form: the document without the keys that only say
// where or under which name the results go.
std::string canonical_text(const toml::table& doc) {
  toml::table copy = doc;
  if (auto* s = copy["sweep"].as_table()) {
    s->erase("output");
    s->erase("name");
    s->erase("description");
  }
  std::ostringstream os;
  os << toml::toml_formatter(copy);
  return os.str();
}

}  // namespace

std::size_t SweepSpec::case_count() const {
  if (method != Method::grid) return samples;
  std::size_t n = 1;
  for (const auto& p : parameters) n *= p.values.size();
  return n;
}

io::TomlTable SweepSpec::study_table() const {
  static const toml::table empty;
  if (const auto* t = doc["study"].as_table()) return io::TomlTable(*t, file, "study");
  return io::TomlTable(empty, file, "study");
}

InputLocation SweepSpec::where_outputs() const {
  if (const auto* t = doc["outputs"].as_table()) return io::TomlTable(*t, file, "outputs").where("summary");
  return InputLocation{file, 0, "outputs.summary"};
}

SweepSpec parse_sweep_spec(std::string_view text, const std::string& file) {
  SweepSpec spec;
  spec.file = file;
  spec.doc = io::parse_toml_text(text, file);
  io::TomlTable root(spec.doc, file, "");
  for (const auto& key : root.keys())
    if (key != "sweep" && key != "study" && key != "parameter" && key != "outputs")
      root.fail(key, "", "unknown table: a sweep spec has [sweep], [study], [[parameter]] and [outputs]");

  if (!root.has("sweep")) root.fail("sweep", "", "required table [sweep] (name, study, method) is missing");
  if (!spec.doc["sweep"].is_table()) root.fail("sweep", "", "must be a table: [sweep]");
  auto sweep = root.table("sweep");
  spec.name = sweep.string("name");
  spec.description = sweep.optional_string("description").value_or("");
  spec.study = sweep.string("study");
  spec.method = read_method(sweep);
  if (spec.method == Method::grid) {
    if (sweep.has("samples")) sweep.fail("samples", "", "method = \"grid\" runs every combination of the values; samples is for latin_hypercube and monte_carlo");
  } else {
    spec.samples = static_cast<std::size_t>(sweep.integer("samples", 1, max_cases));
  }
  if (sweep.has("seed")) spec.seed = static_cast<std::uint64_t>(sweep.integer("seed", 0, std::numeric_limits<long long>::max()));
  spec.output = sweep.optional_string("output").value_or("");
  sweep.accept("source");
  sweep.reject_unknown_keys();

  if (root.has("study") && !spec.doc["study"].is_table()) root.fail("study", "", "must be a table: [study]");
  root.accept("study");  // the study reads it

  const auto* params = root.node("parameter");
  if (!params || !params->is_array_of_tables() || params->as_array()->empty())
    root.fail("parameter", "", "at least one [[parameter]] table (name, and values or low/high)");
  int index = 0;
  for (const auto& node : *params->as_array()) {
    io::TomlTable t(*node.as_table(), file, fmt::format("parameter[{}]", index++));
    auto p = read_parameter(t, spec.method);
    t.reject_unknown_keys();
    for (const auto& q : spec.parameters)
      if (q.name == p.name) t.fail("name", "\"" + p.name + "\"", fmt::format("each parameter once (also given on line {})", q.line));
    spec.parameters.push_back(std::move(p));
  }
  if (spec.method == Method::grid) {
    long double n = 1;
    for (const auto& p : spec.parameters) n *= static_cast<long double>(p.values.size());
    if (n > static_cast<long double>(max_cases))
      sweep.fail("method", "\"grid\"", fmt::format("at most {} cases; this grid has {:.0f}", max_cases, static_cast<double>(n)));
  }

  if (root.has("outputs")) {
    if (!spec.doc["outputs"].is_table()) root.fail("outputs", "", "must be a table: [outputs]");
    auto out = root.table("outputs");
    if (out.has("summary")) {
      const auto* n = out.node("summary");
      const auto* arr = n->as_array();
      if (!arr || arr->empty()) out.fail("summary", "", "a non-empty list of scalar result names");
      for (const auto& e : *arr) {
        auto s = e.value_exact<std::string>();
        if (!s) out.fail("summary", "[array]", "a list of strings (scalar result names)");
        spec.summary_outputs.push_back(*s);
      }
    }
    if (out.has("time_series")) {
      const auto* n = out.node("time_series");
      auto b = n->value_exact<bool>();
      if (!b) out.fail("time_series", "", "true or false");
      spec.time_series = *b;
    }
    if (out.has("cases_per_file")) spec.cases_per_file = static_cast<std::size_t>(out.integer("cases_per_file", 1, max_cases_per_file));
    out.reject_unknown_keys();
  }
  spec.hash = hex64(fnv1a64(canonical_text(spec.doc)));
  return spec;
}

SweepSpec read_sweep_spec(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(InputLocation{path, 0, ""}, "", "sweep spec not found or not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, ""}, "", "sweep spec cannot be opened for reading");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_sweep_spec(ss.str(), path);
}

}  // namespace solidcell::sweep
