#include "solidcell/production/line_summary.hpp"

#include <fmt/format.h>

#include "solidcell/production/line_run.hpp"

namespace solidcell::production {

nlohmann::json line_summary_json(const Line& line, const SimulationResult& r, const CostBreakdown& cost, const CapacityPlan* plan) {
  const double per_year = operating_s_per_year(line) / r.window_s;
  const double cells_per_year = static_cast<double>(r.good_cells) * per_year;
  nlohmann::json stations = nlohmann::json::array();
  for (std::size_t i = 0; i < r.stations.size(); ++i) {
    const auto& s = r.stations[i];
    stations.push_back({{"name", s.name},
                        {"machines", s.machines},
                        {"atmosphere", to_string(line.stations[i].atmosphere)},
                        {"processed_cells", s.processed_cells},
                        {"good_cells", s.good_cells},
                        {"scrap_cells", s.scrap_cells},
                        {"rework_cells", s.rework_cells},
                        {"busy_fraction", s.busy_fraction},
                        {"blocked_fraction", s.blocked_fraction},
                        {"starved_fraction", s.starved_fraction},
                        {"down_fraction", s.down_fraction},
                        {"availability", s.availability},
                        {"performance", s.performance},
                        {"quality", s.quality},
                        {"oee", s.oee},
                        {"active_fraction", s.active_fraction},
                        {"mean_active_period_h", s.mean_active_period_s / 3600.0},
                        {"mean_wip_cells", s.mean_wip_cells}});
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : cost.items)
    items.push_back({{"item", c.name}, {"CNY_per_kWh", c.CNY_per_kWh}, {"USD_per_kWh", c.USD_per_kWh}, {"share", c.share}});
  nlohmann::json materials = nlohmann::json::array();
  for (const auto& m : cost.materials)
    materials.push_back({{"material", m.material}, {"kg_per_kWh", m.kg_per_kWh}, {"CNY_per_kg", m.CNY_per_kg}, {"CNY_per_kWh", m.CNY_per_kWh}});
  nlohmann::json j{
      {"line", line.name},
      {"file", line.file},
      {"cell", line.cell_name},
      {"cell_capacity_Ah", line.cell_capacity_Ah},
      {"cell_energy_Wh", line.cell_energy_Wh},
      {"period_h", r.window_s / 3600.0},
      {"operating_hours_per_year", line.operating_hours_per_year.value},
      {"cells_started", r.cells_started},
      {"good_cells", r.good_cells},
      {"scrap_cells", r.scrap_cells},
      {"wip_at_end_cells", r.wip_at_end},
      {"cells_per_year", cells_per_year},
      {"gwh_per_year", cells_per_year * line.cell_energy_Wh / 1e9},
      {"bottleneck", r.bottleneck >= 0 ? r.stations[r.bottleneck].name : std::string()},
      {"bottleneck_method", r.bottleneck_method},
      {"yield", r.yield},
      {"mean_wip_cells", r.mean_wip_cells},
      {"mean_lead_time_h", r.mean_lead_time_s / 3600.0},
      {"events", r.events},
      {"cost_per_kWh_usd", cost.total_USD_per_kWh},
      {"cost_per_kWh_cny", cost.total_CNY_per_kWh},
      {"price_per_kWh_usd", cost.price_USD_per_kWh},
      {"price_per_kWh_cny", cost.price_CNY_per_kWh},
      {"energy_kWh_per_kWh_cell", cost.energy_kWh_per_kWh_cell},
      {"electricity_price_CNY_per_MWh", cost.electricity_price_CNY_per_MWh},
      {"exchange_rate_CNY_per_USD", cost.exchange_rate_CNY_per_USD},
      {"capital_CNY", cost.capital_CNY},
      {"dry_room_area_m2", cost.dry_room_area_m2},
      {"operators", cost.operators},
      {"stations", stations},
      {"cost_breakdown", items},
      {"materials", materials},
  };
  if (plan) {
    nlohmann::json ps = nlohmann::json::array();
    for (const auto& p : plan->stations)
      ps.push_back({{"name", p.name},
                    {"machines_analytic", p.machines_analytic},
                    {"machines", p.machines},
                    {"visits_per_good_cell", p.visits_per_good_cell},
                    {"machine_capacity_cells_per_h", p.machine_capacity_cells_per_h},
                    {"load_cells_per_h", p.load_cells_per_h},
                    {"utilisation", p.utilisation}});
    j["capacity_plan"] = {{"target_gwh_per_year", plan->target_Wh_per_year / 1e9},
                          {"target_good_cells_per_h", plan->target_good_cells_per_h},
                          {"analytic_good_cells_per_h", plan->analytic_good_cells_per_h},
                          {"simulated_good_cells_per_h", plan->simulated_good_cells_per_h},
                          {"machines_added_by_simulation", plan->machines_added_by_simulation},
                          {"target_met", plan->target_met},
                          {"analytic_bottleneck", plan->analytic_bottleneck >= 0 ? plan->stations[plan->analytic_bottleneck].name : std::string()},
                          {"stations", ps}};
  }
  return j;
}

std::string station_table_csv(const SimulationResult& r) {
  std::string out =
      "\"Station\",\"Machines\",\"Processed [cells]\",\"Good [cells]\",\"Scrap [cells]\",\"Rework [cells]\",\"Busy [-]\","
      "\"Blocked [-]\",\"Starved [-]\",\"Down [-]\",\"Availability [-]\",\"Performance [-]\",\"Quality [-]\",\"OEE [-]\","
      "\"Mean active period [h]\",\"Mean WIP [cells]\"\n";
  for (const auto& s : r.stations) {
    std::string name = s.name;
    for (std::size_t p = name.find('"'); p != std::string::npos; p = name.find('"', p + 2)) name.insert(p, "\"");
    out += fmt::format("\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", name, s.machines, s.processed_cells, s.good_cells, s.scrap_cells,
                       s.rework_cells, s.busy_fraction, s.blocked_fraction, s.starved_fraction, s.down_fraction, s.availability,
                       s.performance, s.quality, s.oee, s.mean_active_period_s / 3600.0, s.mean_wip_cells);
  }
  return out;
}

}  // namespace solidcell::production
