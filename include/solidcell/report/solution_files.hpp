#pragma once
// Writes a Solution where users expect it: solution.csv (time series with PyBaMM's variable names),
// profiles.csv (through-thickness fields at the end of each step), solution.h5 (both, with metadata),
// voltage.svg (voltage against discharge capacity) and summary.json.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "solidcell/experiment/simulation.hpp"

namespace solidcell::report {

struct RunMetadata {
  std::string version;
  std::string git_sha;
  std::string created_utc;
  std::string cell;
  std::string cell_file;
  std::string input_hash;
  std::string model;
  std::string experiment;
};

nlohmann::json solution_summary(const experiment::Solution& solution);
// Writes every file (each through a temporary name); returns the paths written.
std::vector<std::filesystem::path> write_solution_files(const std::filesystem::path& dir, const experiment::Solution& solution,
                                                        const RunMetadata& meta);

}  // namespace solidcell::report
