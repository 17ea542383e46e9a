#include "solidcell/production/line.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/production/bill_of_materials.hpp"

namespace solidcell::production {

const char* to_string(Atmosphere a) {
  switch (a) {
    case Atmosphere::ambient: return "ambient";
    case Atmosphere::dry_room: return "dry_room";
    case Atmosphere::inert_gas: return "inert_gas";
  }
  return "?";
}

const char* to_string(StationUnit u) {
  switch (u) {
    case StationUnit::cell: return "cell";
    case StationUnit::m2_cathode: return "m2_cathode";
    case StationUnit::kg_positive_electrode: return "kg_positive_electrode";
    case StationUnit::kg_solid_electrolyte: return "kg_solid_electrolyte";
    case StationUnit::layer: return "layer";
  }
  return "?";
}

const MaterialPrice* Line::price(const std::string& material) const {
  for (const auto& p : prices)
    if (p.material == material) return &p;
  return nullptr;
}

int Line::station_index(const std::string& n) const {
  for (std::size_t i = 0; i < stations.size(); ++i)
    if (stations[i].name == n) return static_cast<int>(i);
  return -1;
}

namespace {

using io::Range;
using io::TomlTable;

// KEY and its optional KEY_range = [low, high], which must contain the value.
Ranged ranged(const TomlTable& t, const std::string& key, const Range& r) {
  const double v = t.number(key, r);
  const std::string rk = key + "_range";
  if (!t.has(rk)) {
    t.accept(rk);
    return Ranged::fixed(v);
  }
  const auto a = t.number_array(rk, r);
  if (a.size() != 2 || a[0] > a[1]) t.fail(rk, fmt::format("{} numbers", a.size()), "must be [low, high] with low <= high");
  if (v < a[0] || v > a[1])
    t.fail(rk, fmt::format("[{}, {}]", io::format_number(a[0]), io::format_number(a[1])),
           fmt::format("must contain the value of {} ({})", key, io::format_number(v)));
  return Ranged{v, a[0], a[1]};
}

// A factor range for the tornado (the factor itself is 1 in the file's line).
Ranged factor_range(const TomlTable& t, const std::string& key) {
  const auto a = t.number_array(key, Range::positive(100.0));
  if (a.size() != 2 || a[0] > 1.0 || a[1] < 1.0) t.fail(key, fmt::format("{} numbers", a.size()), "must be [low, high] with low <= 1 <= high");
  return Ranged{1.0, a[0], a[1]};
}

std::vector<std::string> string_array(const TomlTable& t, const std::string& key) {
  std::vector<std::string> out;
  const auto* n = t.node(key);
  if (!n) return out;
  const auto* arr = n->as_array();
  if (!arr) t.fail(key, "(not an array)", "must be an array of material names");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto s = arr->get(i)->value_exact<std::string>();
    if (!s) t.fail(key, fmt::format("element {}", i), "must be a string (a material of the cell)");
    out.push_back(*s);
  }
  return out;
}

double units_per_cell(const TomlTable& t, StationUnit unit, const cell::Cell& cell, const cell::DesignFigures& d,
                      const std::map<std::string, double>& bom) {
  switch (unit) {
    case StationUnit::cell: return 1.0;
    case StationUnit::m2_cathode: return d.cathode_area_m2;
    case StationUnit::kg_positive_electrode:
      for (const auto& e : d.breakdown)
        if (e.component == "positive electrode") return e.mass_kg;
      break;
    case StationUnit::kg_solid_electrolyte: {
      double kg = 0.0;
      for (const auto& [m, mass] : bom)
        if (cell.materials.count(m) && cell.material(m).role == materials::Role::solid_electrolyte) kg += mass;
      if (kg > 0.0) return kg;
      t.fail("unit", "\"kg_solid_electrolyte\"", fmt::format("cell {} has no solid electrolyte", cell.name));
    }
    case StationUnit::layer:
      if (const auto* p = std::get_if<cell::PouchFormat>(&cell.format)) return p->unit_cells;
      t.fail("unit", "\"layer\"", fmt::format("cell {} is not a stacked pouch; count its stations in cells or m2_cathode", cell.name));
  }
  t.fail("unit", to_string(unit), "the cell design gives no amount for this unit");
}

Station read_station(const TomlTable& t, const cell::Cell& cell, const cell::DesignFigures& d, const std::map<std::string, double>& bom,
                     const std::vector<Station>& before) {
  Station s;
  s.name = t.string("name");
  for (const auto& b : before)
    if (b.name == s.name) t.fail("name", "\"" + s.name + "\"", "station names must be unique");
  s.description = t.optional_string("description").value_or("");
  const auto unit = t.choice("unit", {"cell", "m2_cathode", "kg_positive_electrode", "kg_solid_electrolyte", "layer"});
  s.unit = unit == "cell" ? StationUnit::cell
         : unit == "m2_cathode" ? StationUnit::m2_cathode
         : unit == "kg_positive_electrode" ? StationUnit::kg_positive_electrode
         : unit == "kg_solid_electrolyte" ? StationUnit::kg_solid_electrolyte
                                          : StationUnit::layer;
  s.units_per_cell = units_per_cell(t, s.unit, cell, d, bom);
  const double batch_units = t.optional_number("batch_units", Range::positive(1e9)).value_or(1.0);
  // A batch holds whole cells, at least one (a lot of coated foil smaller than a cell is one cell's worth).
  s.batch_cells = std::max(1, static_cast<int>(std::floor(batch_units / s.units_per_cell + 1e-9)));

  const int given = int{t.has("rate_units_per_h")} + int{t.has("cycle_time_s")} + int{t.has("cycle_time_h")};
  if (given != 1) t.fail("rate_units_per_h", "", "give exactly one of rate_units_per_h, cycle_time_s, cycle_time_h");
  if (auto rate = t.optional_number("rate_units_per_h", Range::positive(1e9))) {
    s.cycle_time_s = s.batch_cells * s.units_per_cell / *rate * 3600.0;
  } else if (auto c = t.optional_number("cycle_time_s", Range::positive(1e9))) {
    s.cycle_time_s = *c;
  } else {
    s.cycle_time_s = *t.optional_number("cycle_time_h", Range::positive(1e6)) * 3600.0;
  }
  const auto dist = t.has("time_distribution") ? t.choice("time_distribution", {"deterministic", "exponential"}) : std::string("deterministic");
  if (!t.has("time_distribution")) t.accept("time_distribution");
  s.distribution = dist == "exponential" ? TimeDistribution::exponential : TimeDistribution::deterministic;
  s.machines = static_cast<int>(t.integer("machines", 1, 1000000));
  s.mtbf_s = t.number("mtbf_h", Range::positive(1e7)) * 3600.0;
  s.mttr_s = t.number("mttr_h", Range::non_negative(1e4)) * 3600.0;
  s.scrap_fraction = t.number("scrap_fraction", Range{0.0, 0.9});
  s.rework_fraction = t.optional_number("rework_fraction", Range{0.0, 0.9}).value_or(0.0);
  if (!(s.scrap_fraction + s.rework_fraction < 1.0))
    t.fail("rework_fraction", io::format_number(s.rework_fraction), "scrap_fraction + rework_fraction must be below 1");
  if (auto to = t.optional_string("rework_to")) {
    s.rework_to = -2;
    for (std::size_t i = 0; i < before.size(); ++i)
      if (before[i].name == *to) s.rework_to = static_cast<int>(i);
    if (*to == s.name) s.rework_to = static_cast<int>(before.size());
    if (s.rework_to == -2) t.fail("rework_to", "\"" + *to + "\"", "must name this station or one before it");
  }
  if (t.has("buffer_before_cells")) {
    s.buffer_before_cells = t.integer("buffer_before_cells", 0, 1000000000);
    // A batch machine upstream holds its finished batch until the buffer has taken all of it.
    if (!before.empty() && s.buffer_before_cells < before.back().batch_cells)
      t.fail("buffer_before_cells", std::to_string(s.buffer_before_cells),
             fmt::format("must hold at least one batch of the station before ({}: {} cells)", before.back().name, before.back().batch_cells));
  } else {
    t.accept("buffer_before_cells");
  }
  s.power_kW = t.number("power_kW", Range::non_negative(1e5));
  s.idle_power_kW = t.optional_number("idle_power_kW", Range::non_negative(1e5)).value_or(0.0);
  s.energy_kWh_per_cell = t.optional_number("energy_kWh_per_unit", Range::non_negative(1e6)).value_or(0.0) * s.units_per_cell;
  s.operators_per_machine = t.number("operators_per_machine", Range::non_negative(100.0));
  s.capital_CNY_per_machine = t.number("capital_CNY_per_machine", Range::non_negative(1e11));
  s.footprint_m2_per_machine = t.number("footprint_m2_per_machine", Range::non_negative(1e6));
  const auto atm = t.choice("atmosphere", {"ambient", "dry_room", "inert_gas"});
  s.atmosphere = atm == "dry_room" ? Atmosphere::dry_room : atm == "inert_gas" ? Atmosphere::inert_gas : Atmosphere::ambient;
  s.adds_materials = string_array(t, "adds_materials");
  for (const auto& m : s.adds_materials)
    if (!bom.count(m))
      t.fail("adds_materials", "\"" + m + "\"", fmt::format("not a material of cell {} (its bill of materials)", cell.name));
  s.source = t.string("source");
  t.accept("assumption");
  t.reject_unknown_keys();
  return s;
}

}  // namespace

Line read_line_toml(const toml::table& doc, const std::string& file) {
  TomlTable root(doc, file, "");
  Line line;
  line.file = file;

  const auto head = root.table("line");
  line.name = head.string("name");
  line.description = head.optional_string("description").value_or("");
  line.cell_name = head.string("cell");
  line.nameplate_Wh_per_year = head.number("nameplate_GWh_per_year", Range::positive(1e4)) * 1e9;
  line.source = head.string("source");
  head.reject_unknown_keys();

  cell::Cell cell;
  try {
    cell = cell::load_cell(line.cell_name);
  } catch (const InputError& e) {
    head.fail("cell", "\"" + line.cell_name + "\"", std::string("cannot load the cell: ") + e.what());
  }
  const auto design = cell::compute_design(cell);
  line.cell_capacity_Ah = design.capacity_Ah;
  line.cell_energy_Wh = design.energy_Wh;
  line.cell_materials_kg = bill_of_materials_kg(cell, design);

  const auto op = root.table("operation");
  line.operating_hours_per_year = ranged(op, "operating_hours_per_year", Range::positive(8760.0));
  line.shifts_per_day = static_cast<int>(op.integer("shifts_per_day", 1, 4));
  line.crews = op.number("crews", Range::positive(10.0));
  op.string("source");
  op.reject_unknown_keys();

  const auto dry = root.table("dry_room");
  line.dry_room_area_m2 = dry.number("area_m2", Range::non_negative(1e7));
  line.dry_room_power_kW_per_m2 = ranged(dry, "power_kW_per_m2", Range::non_negative(20.0));
  line.dry_room_hours_per_year = ranged(dry, "hours_per_year", Range::non_negative(8760.0));
  line.dry_room_dew_point_C = dry.number("dew_point_C", Range{-100.0, 0.0});
  line.dry_room_capital_CNY_per_m2 = dry.number("capital_CNY_per_m2", Range::non_negative(1e6));
  line.inert_gas_power_kW_per_m2 = ranged(dry, "inert_gas_power_kW_per_m2", Range::non_negative(50.0));
  dry.string("source");
  dry.reject_unknown_keys();

  const auto eco = root.table("economics");
  line.exchange_rate_CNY_per_USD = ranged(eco, "exchange_rate_CNY_per_USD", Range::positive(100.0));
  line.electricity_price_CNY_per_MWh = ranged(eco, "electricity_price_CNY_per_MWh", Range::non_negative(1e4));
  line.depreciation_years = ranged(eco, "depreciation_years", Range::positive(50.0));
  line.labour_cost_CNY_per_operator_year = ranged(eco, "labour_cost_CNY_per_operator_year", Range::non_negative(1e7));
  line.overhead_fraction = ranged(eco, "overhead_fraction", Range::non_negative(5.0));
  line.margin_fraction = ranged(eco, "margin_fraction", Range::non_negative(2.0));
  line.capital_cost_factor = factor_range(eco, "capital_cost_factor_range");
  line.scrap_factor = factor_range(eco, "scrap_factor_range");
  eco.string("source");
  eco.reject_unknown_keys();

  if (auto rec = root.optional_table("recipes")) {
    for (const auto& key : rec->keys()) {
      const auto t = rec->table(key);
      Recipe r;
      r.product = key;
      r.kg_per_kg = t.number_map("kg_per_kg", Range::positive(100.0));
      r.source = t.string("source");
      t.reject_unknown_keys();
      line.recipes.push_back(std::move(r));
    }
    rec->reject_unknown_keys();
  }

  const auto prices = root.table("prices");
  for (const auto& key : prices.keys()) {
    const auto t = prices.table(key);
    MaterialPrice p;
    p.material = key;
    p.CNY_per_kg = ranged(t, "CNY_per_kg", Range::non_negative(1e7));
    p.date = t.string("date");
    p.source = t.string("source");
    t.reject_unknown_keys();
    line.prices.push_back(std::move(p));
  }
  // Every material of the cell needs a price: its own, or its precursors' when the line makes it.
  for (const auto& [material, kg] : line.cell_materials_kg) {
    const auto recipe = std::find_if(line.recipes.begin(), line.recipes.end(), [&](const Recipe& r) { return r.product == material; });
    if (recipe == line.recipes.end()) {
      if (!line.price(material))
        prices.fail(material, "", fmt::format("a price is required: cell {} contains {:.4g} g of {} per cell", line.cell_name, kg * 1e3, material));
    } else {
      for (const auto& [pre, share] : recipe->kg_per_kg)
        if (!line.price(pre))
          prices.fail(pre, "", fmt::format("a price is required: precursor of {} (recipes.{})", material, material));
    }
  }

  const auto* stations = root.node("station");
  if (!stations || !stations->is_array_of_tables() || stations->as_array()->empty())
    root.fail("station", "", "at least one [[station]] table is required");
  const auto& arr = *stations->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const auto& tbl = *arr.get(i)->as_table();
    auto name = tbl["name"].value<std::string>();
    TomlTable t(tbl, file, name ? "station." + *name : fmt::format("station[{}]", i));
    line.stations.push_back(read_station(t, cell, design, line.cell_materials_kg, line.stations));
  }

  double footprint = 0.0;
  for (const auto& s : line.stations)
    if (s.atmosphere == Atmosphere::dry_room) footprint += s.footprint_m2_per_machine * s.machines;
  line.dry_room_station_footprint_m2 = footprint;
  if (line.dry_room_area_m2 < footprint)
    dry.fail("area_m2", io::format_number(line.dry_room_area_m2),
             fmt::format("must hold the dry-room stations' machines ({} m2 of footprint)", io::format_number(footprint)));
  root.reject_unknown_keys();
  return line;
}

Line load_line(const std::string& name_or_path) {
  const std::string file = builtin_or_given_file(name_or_path, "lines", "line").string();
  return read_line_toml(io::load_toml_file(file), file);
}

std::vector<std::string> builtin_line_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(builtin_data_dir() / "lines", ec))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

FlowLine flow_line(const Line& line, int min_lot_cells) {
  FlowLine f;
  for (const auto& s : line.stations) {
    FlowStation fs;
    fs.name = s.name;
    fs.machines = s.machines;
    fs.batch_cells = s.batch_cells;
    fs.cycle_time_s = s.cycle_time_s;
    if (s.batch_cells < min_lot_cells) {
      // Same rate, fewer events: k cells per cycle in k times the time.
      const int k = (min_lot_cells + s.batch_cells - 1) / s.batch_cells;
      fs.batch_cells = s.batch_cells * k;
      fs.cycle_time_s = s.cycle_time_s * k;
    }
    fs.distribution = s.distribution;
    fs.mtbf_s = s.mtbf_s;
    fs.mttr_s = s.mttr_s;
    fs.scrap_fraction = s.scrap_fraction;
    fs.rework_fraction = s.rework_fraction;
    fs.rework_to = s.rework_to;
    fs.buffer_capacity = s.buffer_before_cells;
    f.stations.push_back(std::move(fs));
  }
  return f;
}

double operating_s_per_year(const Line& line) { return line.operating_hours_per_year.value * 3600.0; }

double dry_room_area_m2(const Line& line) {
  double footprint = 0.0;
  for (const auto& s : line.stations)
    if (s.atmosphere == Atmosphere::dry_room) footprint += s.footprint_m2_per_machine * s.machines;
  if (line.dry_room_station_footprint_m2 > 0.0) return line.dry_room_area_m2 * footprint / line.dry_room_station_footprint_m2;
  return line.dry_room_area_m2;
}

double inert_gas_area_m2(const Line& line) {
  double a = 0.0;
  for (const auto& s : line.stations)
    if (s.atmosphere == Atmosphere::inert_gas) a += s.footprint_m2_per_machine * s.machines;
  return a;
}

double capital_CNY(const Line& line) {
  double c = 0.0;
  for (const auto& s : line.stations) c += s.capital_CNY_per_machine * s.machines;
  c += dry_room_area_m2(line) * line.dry_room_capital_CNY_per_m2;
  return c * line.capital_cost_factor.value;
}

}  // namespace solidcell::production
