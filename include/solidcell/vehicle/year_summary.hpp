#pragma once
// A year of use as JSON: what `solidcell year --json` prints and the Python package returns (pack, day,
// climate, capacity and resistance at the end, each mechanism's share of the capacity lost, range at the start
// and end, and capacity_retention / resistance_growth per day).
#include <string>

#include <nlohmann/json.hpp>

#include "solidcell/vehicle/speed_trace.hpp"
#include "solidcell/vehicle/vehicle.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

namespace solidcell::vehicle {

// `sized_to`: how the pack was chosen ("as given", "volume of model3-class-ncm811", ...).
nlohmann::json year_summary_json(const YearResult& r, const Vehicle& vehicle, const SpeedTrace& trace, bool accelerated, const std::string& sized_to);

}  // namespace solidcell::vehicle
