#pragma once
// A sweep spec (TOML): which study, which parameters over which values or ranges, how they are sampled
// (grid, Latin hypercube, Monte Carlo) and which scalar results go to the summary. docs/sweeps.md is the
// schema. Every error is an InputError with the file, line, field, value and what is allowed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "solidcell/io/toml_table.hpp"

namespace solidcell::sweep {

enum class Method { grid, latin_hypercube, monte_carlo };
const char* to_string(Method m);

// How a random method draws a parameter between low and high: uniform on [low, high]; normal or lognormal
// with [low, high] as its central 95 % interval (2.5 % and 97.5 % quantiles), so the ends mean the same
// thing for all three.
enum class Distribution { uniform, normal, lognormal };
const char* to_string(Distribution d);

struct ParameterSpec {
  std::string name;              // a model input, a cell-file path or a study setting: the study decides
  std::vector<double> values;    // grid
  double low = 0.0, high = 0.0;  // random methods
  Distribution distribution = Distribution::uniform;
  std::string source;
  std::string comment;
  int line = 0;                  // of the name, for the study's errors
};

struct SweepSpec {
  std::string file;  // as the user gave it
  std::string name;
  std::string description;
  std::string study;  // a name in study_kinds()
  Method method = Method::grid;
  std::uint64_t seed = 1;
  std::size_t samples = 0;  // random methods; grid: the product of the value counts
  std::string output;       // folder; "" when the spec names none
  std::vector<ParameterSpec> parameters;
  std::vector<std::string> summary_outputs;  // [outputs] summary; empty: every scalar of the study
  bool time_series = true;                    // [outputs] time_series: arrays in the case files
  std::size_t cases_per_file = 1;             // [outputs] cases_per_file: > 1 batches cases (batch_file.hpp)
  std::string hash;                           // of everything that decides the cases' results
  toml::table doc;                            // the parsed file: the study reads [study] from it

  std::size_t case_count() const;
  // The [study] table (an empty one when absent), for the study's reader.
  io::TomlTable study_table() const;
  InputLocation where_outputs() const;  // the line of [outputs] summary, for unknown output names
};

SweepSpec read_sweep_spec(const std::string& path);
SweepSpec parse_sweep_spec(std::string_view text, const std::string& file);

}  // namespace solidcell::sweep
