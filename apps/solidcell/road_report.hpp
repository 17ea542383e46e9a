#pragma once
// The road part of `solidcell qualify`: packs of the reference pack's volume for the first solid-state cell(s)
// and the liquid baseline in the reference car, consumption and range on NEDC and the user's cycle files, and an
// accelerated year of daily driving for the first cell and the baseline; kept to some 20 s in all.
#include <functional>
#include <string>
#include <vector>

#include "solidcell/report/html_report.hpp"
#include "solidcell/report/road_section.hpp"

namespace solidcell::cli {

// `cycle_files`: speed-trace CSV files driven besides NEDC. `progress` (may be empty) hears each study start.
report::RoadReport qualify_road(const std::vector<report::ReportCell>& subjects, const report::ReportCell& baseline,
                                const std::vector<std::string>& cycle_files, const std::function<void(const std::string&)>& progress);

// A few lines for the terminal: pack energy, consumption and range per cycle, retention after the year per cell.
std::string road_text(const report::RoadReport& road);

}  // namespace solidcell::cli
