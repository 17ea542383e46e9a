#pragma once
// Machine-readable results of a line run for the CLI (--json) and files: a JSON summary and the
// per-station table as CSV.
#include <string>

#include <nlohmann/json.hpp>

#include "solidcell/production/capacity_planning.hpp"
#include "solidcell/production/cost_model.hpp"
#include "solidcell/production/line.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace solidcell::production {

// Keys (among others): cells_per_year, gwh_per_year, bottleneck, yield, cost_per_kWh_usd,
// cost_per_kWh_cny, energy_kWh_per_kWh_cell, stations[], cost_breakdown[], and capacity_plan when given.
nlohmann::json line_summary_json(const Line& line, const SimulationResult& result, const CostBreakdown& cost,
                                 const CapacityPlan* plan = nullptr);

// One row per station: name, machines, processed/good/scrap/rework cells, busy/blocked/starved/down
// shares, availability, performance, quality, OEE, mean WIP; a header row of quoted names with units.
std::string station_table_csv(const SimulationResult& result);

}  // namespace solidcell::production
