// solidcell line LINE [--period 1y] [--target-gwh X] [--electricity-price CNY_PER_MWH] [--seed S] [--json] [-o DIR]:
// one period of a production line (data/lines) simulated from an empty line, its cost per kWh, and with
// --target-gwh the machines it needs for that output.
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/production/capacity_planning.hpp"
#include "solidcell/production/cost_model.hpp"
#include "solidcell/production/line.hpp"
#include "solidcell/production/line_run.hpp"
#include "solidcell/production/line_summary.hpp"
#include "solidcell/report/text_table.hpp"

namespace solidcell::cli {

namespace {

struct LineArguments {
  std::string line;
  std::string period = "1y";
  std::optional<double> target_gwh;
  std::optional<double> electricity_price;
  std::uint64_t seed = 1;
  bool json = false;
  std::string output;
};

std::string pct(double x) { return fmt::format("{:.1f}", 100.0 * x); }

void print_text(const production::Line& line, const production::SimulationResult& r, const production::CostBreakdown& cost,
                const production::CapacityPlan* plan, const nlohmann::json& j) {
  fmt::print("{} making {} ({:.2f} Ah, {:.1f} Wh per cell) from {}\n", line.name, line.cell_name, line.cell_capacity_Ah, line.cell_energy_Wh, line.file);
  if (plan)
    fmt::print("planned for {:.3g} GWh/yr: {} machine(s) added by the simulated check, target {}\n", plan->target_Wh_per_year / 1e9,
               plan->machines_added_by_simulation, plan->target_met ? "met" : "NOT met");
  fmt::print("simulated {:.0f} h of operation (one year = {:.0f} h)\n\n", r.window_s / 3600.0, line.operating_hours_per_year.value);
  report::TextTable t({"station", "machines", "processed", "scrap", "busy %", "blocked %", "starved %", "down %", "OEE %"});
  for (const auto& s : r.stations)
    t.add_row({s.name, std::to_string(s.machines), std::to_string(s.processed_cells), std::to_string(s.scrap_cells), pct(s.busy_fraction),
               pct(s.blocked_fraction), pct(s.starved_fraction), pct(s.down_fraction), pct(s.oee)});
  fmt::print("{}\n", t.render());
  fmt::print("good cells per year  {:.4g}\n", j["cells_per_year"].get<double>());
  fmt::print("GWh per year         {:.4g}\n", j["gwh_per_year"].get<double>());
  fmt::print("yield                {:.2f} %\n", 100.0 * r.yield);
  fmt::print("bottleneck           {} ({})\n", j["bottleneck"].get<std::string>(), r.bottleneck_method);
  fmt::print("mean WIP, lead time  {:.0f} cells, {:.1f} h\n", r.mean_wip_cells, r.mean_lead_time_s / 3600.0);
  fmt::print("cost per kWh         {:.1f} CNY = {:.2f} USD (price with margin {:.1f} CNY)\n", cost.total_CNY_per_kWh, cost.total_USD_per_kWh,
             cost.price_CNY_per_kWh);
  fmt::print("electricity          {:.1f} kWh per kWh of cells at {:.0f} CNY/MWh\n\n", cost.energy_kWh_per_kWh_cell, cost.electricity_price_CNY_per_MWh);
  report::TextTable c({"cost item", "CNY/kWh", "USD/kWh", "share %"});
  for (const auto& i : cost.items) c.add_row({i.name, fmt::format("{:.1f}", i.CNY_per_kWh), fmt::format("{:.2f}", i.USD_per_kWh), pct(i.share)});
  fmt::print("{}", c.render());
}

}  // namespace

Runner add_line_command(CLI::App& app) {
  auto* sub = app.add_subcommand("line", "Simulate a production line for a period: output, bottleneck, OEE, yield and cost per kWh");
  auto a = std::make_shared<LineArguments>();
  sub->add_option("LINE", a->line, "built-in line (data/lines: sulfide-assb-pilot, liquid-ncm-graphite) or a line file")->required();
  sub->add_option("--period", a->period, "simulated operating time: 1y (the line's operating year), 2w, 30d, 8h, 90min, 3600s")->capture_default_str();
  sub->add_option("--target-gwh", a->target_gwh, "plan the machines for this output in GWh per year, then simulate the planned line");
  sub->add_option("--electricity-price", a->electricity_price, "electricity price in CNY/MWh (default: the line file's)");
  sub->add_option("--seed", a->seed, "random seed of the simulation")->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  sub->add_option("-o,--output", a->output, "folder for summary.json and stations.csv");
  return [a]() {
    auto line = production::load_line(a->line);
    if (a->electricity_price && !(std::isfinite(*a->electricity_price) && *a->electricity_price >= 0.0 && *a->electricity_price <= 1e4))
      throw InputError(InputLocation{"", 0, "--electricity-price"}, fmt::format("{}", *a->electricity_price), "allowed range [0, 10000] CNY/MWh");
    if (a->target_gwh && !(std::isfinite(*a->target_gwh) && *a->target_gwh > 0.0 && *a->target_gwh <= 1e4))
      throw InputError(InputLocation{"", 0, "--target-gwh"}, fmt::format("{}", *a->target_gwh), "allowed range (0, 10000] GWh per year");
    std::optional<production::CapacityPlan> plan;
    if (a->target_gwh) {
      production::PlanOptions po;
      po.seed = a->seed;
      plan = production::plan_capacity(line, *a->target_gwh, po);
      line = plan->line;
    }
    production::LineRunOptions ro;
    ro.period_s = production::parse_period_s(a->period, line, "--period");
    ro.seed = a->seed;
    const auto sim = production::run_line(line, ro);
    production::CostOptions co;
    co.electricity_price_CNY_per_MWh = a->electricity_price;
    const auto cost = production::cost_per_kWh(line, production::annual_volume(line, sim), co);
    auto j = production::line_summary_json(line, sim, cost, plan ? &*plan : nullptr);
    j["seed"] = a->seed;
    if (!a->output.empty()) {
      std::filesystem::path dir(a->output);
      io::write_text_file_atomically(dir / "summary.json", j.dump(2) + "\n");
      io::write_text_file_atomically(dir / "stations.csv", production::station_table_csv(sim));
    }
    if (a->json) {
      if (!a->output.empty()) j["output"] = a->output;
      fmt::print("{}\n", j.dump(2));
      return 0;
    }
    print_text(line, sim, cost, plan ? &*plan : nullptr, j);
    if (!a->output.empty()) fmt::print("\nwrote {}/summary.json and {}/stations.csv\n", a->output, a->output);
    return 0;
  };
}

}  // namespace solidcell::cli
