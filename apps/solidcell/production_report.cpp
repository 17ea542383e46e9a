#include "production_report.hpp"

#include <algorithm>
#include <exception>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/production/cost_model.hpp"
#include "solidcell/production/line_run.hpp"
#include "solidcell/production/variability.hpp"

namespace solidcell::cli {

namespace {
constexpr std::size_t report_cells = 2000;  // per variability study: a histogram's worth, well under a second
}

report::ProductionReport qualify_production(const cell::Cell& subject, const std::string& subject_origin, const cell::Cell& baseline,
                                            const std::string& baseline_origin) {
  report::ProductionReport p;
  for (const std::string name : {"sulfide-assb-pilot", "liquid-ncm-graphite"}) {
    report::ProductionLineResult l;
    l.name = name;
    try {
      l.line = production::load_line(name);
      production::LineRunOptions o;  // one operating year, seed 1
      // Lots of about 1/300,000 of the nameplate output through piece-by-piece stations: same rates, fewer events
      // (the cost and output move by less than 0.1 % against single cells), so the liquid line's 15 M cells take
      // about half a second.
      o.min_lot_cells = std::max(1, static_cast<int>(l.line.nameplate_Wh_per_year / l.line.cell_energy_Wh / 3e5));
      l.simulation = production::run_line(l.line, o);
      l.cost = production::cost_per_kWh(l.line, production::annual_volume(l.line, l.simulation));
      l.tornado = production::cost_tornado(l.line);
    } catch (const std::exception& e) {  // a failed part is reported in the page, not fatal
      l.error = e.what();
    }
    p.lines.push_back(std::move(l));
  }
  auto spread = [&p](const cell::Cell& c, const std::string& origin) {
    report::ProductionVariabilityResult v;
    v.cell_name = c.name;
    try {
      production::VariabilityOptions o;
      o.cells = report_cells;
      o.seed = 1;
      o.threads = 2;
      o.fit_runs_per_term = 3.0;  // the responses are smooth: half the default design still fits to 1e-5
      o.validation_runs = 10;
      v.result = production::run_variability(c, production::load_variability(production::default_variability_for(c)), o, origin);
    } catch (const std::exception& e) {
      v.error = e.what();
    }
    p.variability.push_back(std::move(v));
  };
  spread(subject, subject_origin);
  spread(baseline, baseline_origin);
  return p;
}

std::string production_text(const report::ProductionReport& p) {
  std::string s = "\nProduction (one operating year of each built-in line; cell-to-cell spread of 2000 sampled cells):\n";
  for (const auto& l : p.lines) {
    if (!l.error.empty()) {
      s += fmt::format("  {}: not computed: {}\n", l.name, l.error);
      continue;
    }
    const auto& r = l.simulation;
    const double cells = static_cast<double>(r.good_cells) * production::operating_s_per_year(l.line) / r.window_s;
    s += fmt::format("  {:<26}{:.3g} M cells, {:.3f} GWh/yr, yield {:.1f} %, bottleneck {}, {:.0f} CNY/kWh (${:.1f}/kWh)\n", l.line.name, cells / 1e6,
                     cells * l.line.cell_energy_Wh / 1e9, 100 * r.yield,
                     r.bottleneck >= 0 ? r.stations[static_cast<std::size_t>(r.bottleneck)].name : std::string("-"), l.cost.total_CNY_per_kWh,
                     l.cost.total_USD_per_kWh);
  }
  for (const auto& v : p.variability) {
    if (!v.error.empty()) {
      s += fmt::format("  {}: spread not computed: {}\n", v.cell_name, v.error);
      continue;
    }
    const auto& r = v.result;
    double mean = 0.0, sd = 0.0;
    for (const auto& d : r.distributions)
      if (d.key == "model_capacity_Ah") mean = d.mean, sd = d.std;
    s += fmt::format("  {:<26}1C capacity {:.3f} Ah +- {:.2f} %, yield at the specification limits {:.2f} %\n", r.cell_name, mean, 100 * sd / mean,
                     100 * r.yield);
  }
  return s;
}

}  // namespace solidcell::cli
