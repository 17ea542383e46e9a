#include "solidcell/production/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <fmt/format.h>

namespace solidcell::production {

AnnualVolume annual_volume(const Line& line, const SimulationResult& r) {
  AnnualVolume v;
  v.basis = "simulation";
  const double scale = operating_s_per_year(line) / r.window_s;
  v.good_cells = static_cast<double>(r.good_cells) * scale;
  for (const auto& s : r.stations) {
    v.processed_cells.push_back(static_cast<double>(s.processed_cells) * scale);
    v.scrap_cells.push_back(static_cast<double>(s.scrap_cells) * scale);
    v.busy_machine_h.push_back(s.busy_machine_s * scale / 3600.0);
    v.idle_up_machine_h.push_back(s.idle_up_machine_s * scale / 3600.0);
  }
  return v;
}

AnnualVolume analytic_annual_volume(const Line& line) {
  AnnualVolume v;
  v.basis = "analytic";
  const auto flow = flow_line(line);
  const auto visits = visits_per_good_cell(flow);
  const double hours = line.operating_hours_per_year.value;
  v.good_cells = analytic_good_cells_per_s(flow) * hours * 3600.0;
  for (std::size_t i = 0; i < flow.stations.size(); ++i) {
    const auto& s = flow.stations[i];
    const double processed = v.good_cells * visits[i];
    const double busy_h = processed / s.batch_cells * s.cycle_time_s / 3600.0;
    const double availability = std::isfinite(s.mtbf_s) ? s.mtbf_s / (s.mtbf_s + s.mttr_s) : 1.0;
    v.processed_cells.push_back(processed);
    v.scrap_cells.push_back(processed * s.scrap_fraction);
    v.busy_machine_h.push_back(busy_h);
    v.idle_up_machine_h.push_back(std::max(0.0, s.machines * hours * availability - busy_h));
  }
  return v;
}

namespace {

// CNY per kg of a cell material: its price, or its precursors' when the line makes it.
double unit_price(const Line& line, const std::string& material) {
  for (const auto& r : line.recipes)
    if (r.product == material) {
      double p = 0.0;
      for (const auto& [pre, kg] : r.kg_per_kg) p += kg * line.price(pre)->CNY_per_kg.value;
      return p;
    }
  return line.price(material)->CNY_per_kg.value;
}

}  // namespace

CostBreakdown cost_per_kWh(const Line& line, const AnnualVolume& v, const CostOptions& options) {
  CostBreakdown c;
  c.exchange_rate_CNY_per_USD = line.exchange_rate_CNY_per_USD.value;
  c.electricity_price_CNY_per_MWh = options.electricity_price_CNY_per_MWh.value_or(line.electricity_price_CNY_per_MWh.value);
  c.good_kWh_per_year = v.good_cells * line.cell_energy_Wh / 1000.0;
  const double kWh = c.good_kWh_per_year;
  const auto n = line.stations.size();

  // Materials of a good cell, listed by what is bought (recipes expanded into their precursors).
  std::map<std::string, double> bought_kg;  // per cell
  double cell_materials_CNY = 0.0;
  for (const auto& [m, kg] : line.cell_materials_kg) {
    cell_materials_CNY += kg * unit_price(line, m);
    auto r = std::find_if(line.recipes.begin(), line.recipes.end(), [&](const Recipe& x) { return x.product == m; });
    if (r == line.recipes.end()) bought_kg[m] += kg;
    else
      for (const auto& [pre, share] : r->kg_per_kg) bought_kg[pre] += kg * share;
  }
  const double cells_per_kWh = 1000.0 / line.cell_energy_Wh;
  for (const auto& [m, kg] : bought_kg) {
    MaterialCost mc;
    mc.material = m;
    mc.kg_per_kWh = kg * cells_per_kWh;
    mc.CNY_per_kg = line.price(m)->CNY_per_kg.value;
    mc.CNY_per_kWh = mc.kg_per_kWh * mc.CNY_per_kg;
    c.materials.push_back(mc);
  }
  std::sort(c.materials.begin(), c.materials.end(), [](const MaterialCost& a, const MaterialCost& b) { return a.CNY_per_kWh > b.CNY_per_kWh; });

  // A cell scrapped at a station loses the materials added up to there (unassigned ones: from the start).
  std::vector<double> value_upto(n, 0.0);
  std::map<std::string, int> added_at;
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& m : line.stations[i].adds_materials) added_at.emplace(m, static_cast<int>(i));
  for (const auto& [m, kg] : line.cell_materials_kg) {
    const auto it = added_at.find(m);
    const std::size_t from = it == added_at.end() ? 0 : static_cast<std::size_t>(it->second);
    for (std::size_t i = from; i < n; ++i) value_upto[i] += kg * unit_price(line, m);
  }
  double scrap_CNY = 0.0;
  for (std::size_t i = 0; i < n; ++i) scrap_CNY += v.scrap_cells[i] * value_upto[i];

  double process_kWh = 0.0, operators = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = line.stations[i];
    process_kWh += v.busy_machine_h[i] * s.power_kW + v.idle_up_machine_h[i] * s.idle_power_kW + v.processed_cells[i] * s.energy_kWh_per_cell;
    operators += s.operators_per_machine * s.machines * line.crews;
  }
  c.dry_room_area_m2 = dry_room_area_m2(line);
  const double dry_kWh = (c.dry_room_area_m2 * line.dry_room_power_kW_per_m2.value +
                          inert_gas_area_m2(line) * line.inert_gas_power_kW_per_m2.value) *
                         line.dry_room_hours_per_year.value;
  const double CNY_per_kWh_el = c.electricity_price_CNY_per_MWh / 1000.0;
  c.energy_kWh_per_kWh_cell = (process_kWh + dry_kWh) / kWh;
  c.capital_CNY = capital_CNY(line);
  c.operators = operators;

  const double materials = v.good_cells * cell_materials_CNY;
  const double process_energy = process_kWh * CNY_per_kWh_el;
  const double dry_energy = dry_kWh * CNY_per_kWh_el;
  const double labour = operators * line.labour_cost_CNY_per_operator_year.value;
  const double depreciation = c.capital_CNY / line.depreciation_years.value;
  const double overhead = line.overhead_fraction.value * (labour + depreciation + process_energy + dry_energy);
  const std::pair<const char*, double> items[] = {{"materials", materials},       {"scrap", scrap_CNY},
                                                  {"process energy", process_energy}, {"dry-room energy", dry_energy},
                                                  {"labour", labour},             {"depreciation", depreciation},
                                                  {"overhead", overhead}};
  double total = 0.0;
  for (const auto& [name, cny] : items) total += cny;
  for (const auto& [name, cny] : items)
    c.items.push_back(CostItem{name, cny / kWh, cny / kWh / c.exchange_rate_CNY_per_USD, total > 0.0 ? cny / total : 0.0});
  c.total_CNY_per_kWh = total / kWh;
  c.total_USD_per_kWh = c.total_CNY_per_kWh / c.exchange_rate_CNY_per_USD;
  c.price_CNY_per_kWh = c.total_CNY_per_kWh * (1.0 + line.margin_fraction.value);
  c.price_USD_per_kWh = c.price_CNY_per_kWh / c.exchange_rate_CNY_per_USD;
  return c;
}

std::vector<TornadoRow> cost_tornado(const Line& line, const CostOptions& options) {
  auto cost_of = [&](const Line& l, const CostOptions& o) { return cost_per_kWh(l, analytic_annual_volume(l), o).total_CNY_per_kWh; };
  std::vector<TornadoRow> rows;
  auto add = [&](const std::string& name, const Ranged& r, const std::function<void(Line&, double)>& set) {
    if (!r.has_range()) return;
    TornadoRow row;
    row.input = name;
    row.base_input = r.value;
    row.low_input = r.low;
    row.high_input = r.high;
    Line lo = line, hi = line;
    set(lo, r.low);
    set(hi, r.high);
    row.cost_at_low_CNY_per_kWh = cost_of(lo, options);
    row.cost_at_high_CNY_per_kWh = cost_of(hi, options);
    row.swing_CNY_per_kWh = std::abs(row.cost_at_high_CNY_per_kWh - row.cost_at_low_CNY_per_kWh);
    rows.push_back(row);
  };
  for (std::size_t k = 0; k < line.prices.size(); ++k)
    add(fmt::format("price of {} [CNY/kg]", line.prices[k].material), line.prices[k].CNY_per_kg,
        [k](Line& l, double x) { l.prices[k].CNY_per_kg.value = x; });
  {
    // The electricity row moves the file's range even when the caller set a price.
    Ranged el = line.electricity_price_CNY_per_MWh;
    if (options.electricity_price_CNY_per_MWh) el.value = *options.electricity_price_CNY_per_MWh;
    if (el.has_range()) {
      TornadoRow row;
      row.input = "electricity price [CNY/MWh]";
      row.base_input = el.value;
      row.low_input = el.low;
      row.high_input = el.high;
      row.cost_at_low_CNY_per_kWh = cost_of(line, CostOptions{el.low});
      row.cost_at_high_CNY_per_kWh = cost_of(line, CostOptions{el.high});
      row.swing_CNY_per_kWh = std::abs(row.cost_at_high_CNY_per_kWh - row.cost_at_low_CNY_per_kWh);
      rows.push_back(row);
    }
  }
  add("labour cost [CNY/operator-year]", line.labour_cost_CNY_per_operator_year, [](Line& l, double x) { l.labour_cost_CNY_per_operator_year.value = x; });
  add("depreciation [years]", line.depreciation_years, [](Line& l, double x) { l.depreciation_years.value = x; });
  add("overhead [fraction]", line.overhead_fraction, [](Line& l, double x) { l.overhead_fraction.value = x; });
  add("operating hours [h/year]", line.operating_hours_per_year, [](Line& l, double x) { l.operating_hours_per_year.value = x; });
  add("dry-room power [kW/m2]", line.dry_room_power_kW_per_m2, [](Line& l, double x) { l.dry_room_power_kW_per_m2.value = x; });
  add("dry-room hours [h/year]", line.dry_room_hours_per_year, [](Line& l, double x) { l.dry_room_hours_per_year.value = x; });
  add("inert-gas power [kW/m2]", line.inert_gas_power_kW_per_m2, [](Line& l, double x) { l.inert_gas_power_kW_per_m2.value = x; });
  add("capital cost [factor]", line.capital_cost_factor, [](Line& l, double x) { l.capital_cost_factor.value = x; });
  add("scrap fractions [factor]", line.scrap_factor, [](Line& l, double x) {
    for (auto& s : l.stations) s.scrap_fraction = std::min(s.scrap_fraction * x, 0.999 - s.rework_fraction);
  });
  std::sort(rows.begin(), rows.end(), [](const TornadoRow& a, const TornadoRow& b) { return a.swing_CNY_per_kWh > b.swing_CNY_per_kWh; });
  return rows;
}

}  // namespace solidcell::production
