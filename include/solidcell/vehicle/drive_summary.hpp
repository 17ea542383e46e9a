#pragma once
// A drive's results as JSON: what `solidcell drive --json` prints for each cell, the Python package returns and
// the report reads (pack figures, energy balance in kWh, consumption, range and how it was found, cell limits).
#include <nlohmann/json.hpp>

#include "solidcell/vehicle/drive.hpp"

namespace solidcell::vehicle {

nlohmann::json drive_summary_json(const DriveReport& r);

}  // namespace solidcell::vehicle
