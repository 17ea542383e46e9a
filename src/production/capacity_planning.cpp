#include "solidcell/production/capacity_planning.hpp"

#include <algorithm>
#include <cmath>

#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::production {

double default_warmup_s(const FlowLine& line) {
  double traverse = 0.0;
  for (const auto& s : line.stations) traverse += s.cycle_time_s;
  return 2.0 * traverse;
}

double default_window_s(const FlowLine& line) {
  double traverse = 0.0;
  for (const auto& s : line.stations) traverse += s.cycle_time_s;
  return std::max(4.0 * 7.0 * 24.0 * 3600.0, 10.0 * traverse);
}

namespace {

void size_analytically(CapacityPlan& plan, const Line& base, double max_utilisation) {
  const auto flow = flow_line(base);
  const auto visits = visits_per_good_cell(flow);
  plan.stations.clear();
  for (std::size_t i = 0; i < flow.stations.size(); ++i) {
    StationPlan p;
    p.name = flow.stations[i].name;
    p.visits_per_good_cell = visits[i];
    p.machine_capacity_cells_per_h = machine_capacity_per_s(flow.stations[i]) * 3600.0;
    p.load_cells_per_h = plan.target_good_cells_per_h * visits[i];
    p.machines_analytic = std::max(1, static_cast<int>(std::ceil(p.load_cells_per_h / (p.machine_capacity_cells_per_h * max_utilisation) - 1e-9)));
    p.machines = p.machines_analytic;
    plan.stations.push_back(p);
  }
}

void finish_analytics(CapacityPlan& plan) {
  double worst = -1.0;
  for (std::size_t i = 0; i < plan.stations.size(); ++i) {
    auto& p = plan.stations[i];
    p.utilisation = p.load_cells_per_h / (p.machines * p.machine_capacity_cells_per_h);
    plan.line.stations[i].machines = p.machines;
    if (p.utilisation > worst) {
      worst = p.utilisation;
      plan.analytic_bottleneck = static_cast<int>(i);
    }
  }
  plan.analytic_good_cells_per_h = analytic_good_cells_per_s(flow_line(plan.line)) * 3600.0;
}

}  // namespace

CapacityPlan plan_capacity(const Line& line, double target_GWh_per_year, const PlanOptions& options) {
  if (!(target_GWh_per_year > 0.0) || !std::isfinite(target_GWh_per_year))
    throw InputError(InputLocation{"", 0, "target_GWh_per_year"}, io::format_number(target_GWh_per_year), "must be positive");
  if (!(options.max_utilisation > 0.0 && options.max_utilisation <= 1.0))
    throw InputError(InputLocation{"", 0, "max_utilisation"}, io::format_number(options.max_utilisation), "allowed range (0, 1]");
  CapacityPlan plan;
  plan.target_Wh_per_year = target_GWh_per_year * 1e9;
  plan.target_good_cells_per_h = plan.target_Wh_per_year / line.cell_energy_Wh / line.operating_hours_per_year.value;
  plan.line = line;
  // Buffers keep their time span: scaled with the output against the line's nameplate.
  const double scale = plan.target_Wh_per_year / line.nameplate_Wh_per_year;
  // A buffer also takes at least a batch of the station before it plus its own batch, or a batch machine
  // stays blocked until the next station has worked its batch off.
  for (std::size_t i = 0; i < plan.line.stations.size(); ++i) {
    auto& s = plan.line.stations[i];
    if (s.buffer_before_cells < 0) continue;
    const long long batches = (i > 0 ? plan.line.stations[i - 1].batch_cells : 0) + s.batch_cells;
    s.buffer_before_cells = std::max(batches, std::llround(std::ceil(static_cast<double>(s.buffer_before_cells) * scale)));
  }
  size_analytically(plan, line, options.max_utilisation);
  finish_analytics(plan);
  if (!options.check_by_simulation) {
    plan.target_met = plan.analytic_good_cells_per_h >= plan.target_good_cells_per_h;
    return plan;
  }
  for (int round = 0;; ++round) {
    const auto flow = flow_line(plan.line, options.min_lot_cells);
    SimulationOptions so;
    so.warmup_s = options.warmup_s > 0.0 ? options.warmup_s : default_warmup_s(flow);
    so.period_s = so.warmup_s + (options.window_s > 0.0 ? options.window_s : default_window_s(flow));
    so.seed = options.seed;
    plan.check = simulate_line(flow, so);
    plan.simulated_good_cells_per_h = plan.check->good_cells_per_s * 3600.0;
    plan.target_met = plan.simulated_good_cells_per_h >= plan.target_good_cells_per_h;
    if (plan.target_met || round >= options.max_rounds) break;
    // Short of the target: one more machine where the simulation finds the bottleneck.
    ++plan.stations[plan.check->bottleneck].machines;
    ++plan.machines_added_by_simulation;
    finish_analytics(plan);
  }
  return plan;
}

}  // namespace solidcell::production
