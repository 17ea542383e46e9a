#pragma once
// Cost per kWh of good cells, BatPaC-style bottom up: materials of the cell's bill of materials x prices,
// the materials lost in scrap, process energy and dry-room energy at an electricity price, labour,
// depreciation of equipment and dry room, and plant overhead; a margin gives a price to set against market
// prices. Money in CNY (the line file's currency), also in USD at the file's exchange rate.
#include <optional>
#include <string>
#include <vector>

#include "solidcell/production/line.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace solidcell::production {

// What the line does in one year of operation: from a simulation (scaled from its window) or analytic.
struct AnnualVolume {
  double good_cells = 0.0;
  std::vector<double> processed_cells;  // per station, all passes
  std::vector<double> scrap_cells;      // per station
  std::vector<double> busy_machine_h;   // per station
  std::vector<double> idle_up_machine_h;
  std::string basis;                    // "simulation" or "analytic"
};

AnnualVolume annual_volume(const Line& line, const SimulationResult& result);
// The line running at its analytic bottleneck rate with the expected scrap; busy time from the load.
AnnualVolume analytic_annual_volume(const Line& line);

struct CostOptions {
  std::optional<double> electricity_price_CNY_per_MWh;  // default: the line file's
};

struct CostItem {
  std::string name;  // materials, scrap, process energy, dry-room energy, labour, depreciation, overhead
  double CNY_per_kWh = 0.0;
  double USD_per_kWh = 0.0;
  double share = 0.0;  // of the total cost
};

struct MaterialCost {
  std::string material;  // as priced: a cell material or a recipe's precursor
  double kg_per_kWh = 0.0;
  double CNY_per_kg = 0.0;
  double CNY_per_kWh = 0.0;
};

struct CostBreakdown {
  std::vector<CostItem> items;
  std::vector<MaterialCost> materials;
  double total_CNY_per_kWh = 0.0;
  double total_USD_per_kWh = 0.0;
  double price_CNY_per_kWh = 0.0;  // total x (1 + margin)
  double price_USD_per_kWh = 0.0;
  double electricity_price_CNY_per_MWh = 0.0;
  double exchange_rate_CNY_per_USD = 0.0;
  double energy_kWh_per_kWh_cell = 0.0;  // process + dry room + inert gas electricity per kWh of good cells
  double good_kWh_per_year = 0.0;
  double capital_CNY = 0.0;
  double dry_room_area_m2 = 0.0;
  double operators = 0.0;  // head count over all crews
};

CostBreakdown cost_per_kWh(const Line& line, const AnnualVolume& volume, const CostOptions& options = {});

struct TornadoRow {
  std::string input;
  double low_input = 0.0;
  double high_input = 0.0;
  double base_input = 0.0;
  double cost_at_low_CNY_per_kWh = 0.0;  // total cost with the input at its low end
  double cost_at_high_CNY_per_kWh = 0.0;
  double swing_CNY_per_kWh = 0.0;        // |high - low|
};

// Every input with a range in the line file (prices, electricity, exchange rate affects USD only and is
// left out, labour, depreciation, overhead, operating hours, dry-room power and hours, capital and scrap
// factors) moved to each end with everything else at its value; analytic volumes, sorted by swing.
std::vector<TornadoRow> cost_tornado(const Line& line, const CostOptions& options = {});

}  // namespace solidcell::production
