#pragma once
// A production line as its file describes it (data/lines/*.toml, schema in data/lines/README.md): the cell
// it makes, its stations in process order, shifts, dry room, prices and economics. Read once, converted to
// SI (seconds, kg, m2) and to cells: each station's rate is turned into cells with the cell's own design
// figures (cathode area, electrolyte mass, layers), so the same line file follows a different cell.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "solidcell/production/flow_line.hpp"

namespace solidcell::production {

enum class Atmosphere { ambient, dry_room, inert_gas };
// What a station's rate and batch count: whole cells, coated cathode area, positive-electrode composite,
// solid electrolyte, or unit-cell layers (stacking).
enum class StationUnit { cell, m2_cathode, kg_positive_electrode, kg_solid_electrolyte, layer };

const char* to_string(Atmosphere a);
const char* to_string(StationUnit u);

// A number with the range its file gives as KEY_range = [low, high] (low = high = value when none): the
// sensitivity (tornado) table moves each input over its range.
struct Ranged {
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  bool has_range() const { return low < high; }
  static Ranged fixed(double v) { return Ranged{v, v, v}; }
};

struct Station {
  std::string name;
  std::string description;
  StationUnit unit = StationUnit::cell;
  double units_per_cell = 1.0;     // from the cell design (m2, kg or layers per cell)
  int batch_cells = 1;             // cells per cycle of one machine
  double cycle_time_s = 0.0;       // per batch on one machine
  TimeDistribution distribution = TimeDistribution::deterministic;
  int machines = 1;
  double mtbf_s = 0.0;
  double mttr_s = 0.0;
  double scrap_fraction = 0.0;
  double rework_fraction = 0.0;
  int rework_to = -1;              // station index; -1 = itself
  long long buffer_before_cells = -1;  // -1: unbounded
  double power_kW = 0.0;           // per machine while busy
  double idle_power_kW = 0.0;      // per machine while up and not busy
  double energy_kWh_per_cell = 0.0;  // on top of the power, per cell processed
  double operators_per_machine = 0.0;  // per shift
  double capital_CNY_per_machine = 0.0;
  double footprint_m2_per_machine = 0.0;
  Atmosphere atmosphere = Atmosphere::ambient;
  std::vector<std::string> adds_materials;  // BOM materials that enter the product here (for the value of scrap)
  std::string source;
};

struct MaterialPrice {
  std::string material;  // a material of the cell, a precursor of a recipe, or tabs_and_parts
  Ranged CNY_per_kg;
  std::string date;
  std::string source;
};

// A cell material the line makes itself from precursors (kg of precursor per kg of product).
struct Recipe {
  std::string product;
  std::map<std::string, double> kg_per_kg;
  std::string source;
};

struct Line {
  std::string name;
  std::string description;
  std::string file;
  std::string source;

  std::string cell_name;
  double cell_capacity_Ah = 0.0;  // from the cell's design figures
  double cell_energy_Wh = 0.0;
  std::map<std::string, double> cell_materials_kg;  // bill of materials of one cell (bill_of_materials.hpp)
  double nameplate_Wh_per_year = 0.0;

  Ranged operating_hours_per_year;
  int shifts_per_day = 3;
  double crews = 4.0;  // operator teams that cover the shifts (holidays, a fourth crew for 24/7)

  double dry_room_area_m2 = 0.0;            // of the line as written
  double dry_room_station_footprint_m2 = 0.0;  // what its dry-room stations occupy as written (for scaling)
  Ranged dry_room_power_kW_per_m2;
  Ranged dry_room_hours_per_year;
  double dry_room_dew_point_C = 0.0;
  double dry_room_capital_CNY_per_m2 = 0.0;
  Ranged inert_gas_power_kW_per_m2;         // per m2 of inert-gas station footprint

  Ranged exchange_rate_CNY_per_USD;
  Ranged electricity_price_CNY_per_MWh;
  Ranged depreciation_years;
  Ranged labour_cost_CNY_per_operator_year;
  Ranged overhead_fraction;     // plant overhead on labour, depreciation and energy
  Ranged margin_fraction;       // on the total cost, for a price to compare with market prices
  Ranged capital_cost_factor;   // value 1: multiplies every station's capital (tornado only)
  Ranged scrap_factor;          // value 1: multiplies every station's scrap fraction (tornado only)

  std::vector<MaterialPrice> prices;
  std::vector<Recipe> recipes;
  std::vector<Station> stations;

  const MaterialPrice* price(const std::string& material) const;
  int station_index(const std::string& name) const;  // -1 when absent
};

Line read_line_toml(const toml::table& doc, const std::string& file);
// LINE as users type it: a built-in name in data/lines or a path to a .toml file.
Line load_line(const std::string& name_or_path);
std::vector<std::string> builtin_line_names();

// The stations as the simulator sees them. min_lot_cells > 1 moves cells in lots of at least that many
// through piece-by-piece stations (same rate, fewer events) for big plants or quick checks.
FlowLine flow_line(const Line& line, int min_lot_cells = 1);

// Operating seconds in a year of the line (operating hours per year): the simulation clock runs in them.
double operating_s_per_year(const Line& line);
// Dry-room area of the line with its present machine counts (scaled with the dry-room stations' footprint).
double dry_room_area_m2(const Line& line);
double inert_gas_area_m2(const Line& line);
double capital_CNY(const Line& line);  // equipment plus dry room, capital_cost_factor applied

}  // namespace solidcell::production
