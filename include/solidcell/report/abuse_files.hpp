#pragma once
// An abuse test's outputs: the summary (JSON, with the verdict and where the heat came from), the trace as
// CSV, and SVG plots of temperature and voltage against time.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "solidcell/abuse/heating_test.hpp"

namespace solidcell::report {

nlohmann::json abuse_summary(const abuse::AbuseResult& r);
// Writes trace.csv, temperature.svg, voltage.svg and summary.json into dir (created); returns the paths.
std::vector<std::filesystem::path> write_abuse_files(const std::filesystem::path& dir, const abuse::AbuseResult& r, const nlohmann::json& metadata);

}  // namespace solidcell::report
