#include "solidcell/report/production_section.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/report/svg_chart.hpp"

namespace solidcell::report {
namespace {

std::string esc(const std::string& s) { return escape_xml(s); }

const production::Distribution* find_distribution(const production::VariabilityResult& r, const std::string& key) {
  for (const auto& d : r.distributions)
    if (d.key == key) return &d;
  return nullptr;
}

std::string lines_part(const std::vector<ProductionLineResult>& lines) {
  std::string h = "<h3>4.1 Pilot lines: output, bottleneck and cost</h3>\n";
  h += "<p>Each line file (data/lines/) is simulated as a discrete-event chain of stations for one operating year from an empty line "
       "(breakdowns, scrap, rework, buffers and blocking; docs/production.md), and its cost per kWh of good cells is built bottom up "
       "from that year's volumes. OEE = availability × performance × quality per station; the bottleneck is the station busy or down "
       "for the largest share of time.</p>\n";
  h += "<table>\n<tr><th>line</th><th>cell</th><th>good cells / year</th><th>GWh / year</th><th>yield</th><th>bottleneck</th>"
       "<th>lead time [h]</th><th>cost [CNY/kWh]</th><th>cost [USD/kWh]</th><th>price [CNY/kWh]</th><th>electricity [kWh/kWh]</th></tr>\n";
  for (const auto& l : lines) {
    if (!l.error.empty()) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"10\">not computed: {}</td></tr>\n", esc(l.name), esc(l.error));
      continue;
    }
    const auto& r = l.simulation;
    const double per_year = production::operating_s_per_year(l.line) / r.window_s;
    const double cells = static_cast<double>(r.good_cells) * per_year;
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.3g} M</td><td class=\"n\">{:.3f}</td><td class=\"n\">{:.1f} %</td><td>{}</td>"
        "<td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.1f}</td></tr>\n",
        esc(l.line.name), esc(l.line.cell_name), cells / 1e6, cells * l.line.cell_energy_Wh / 1e9, 100.0 * r.yield,
        r.bottleneck >= 0 ? esc(r.stations[static_cast<std::size_t>(r.bottleneck)].name) : "—", r.mean_lead_time_s / 3600.0,
        l.cost.total_CNY_per_kWh, l.cost.total_USD_per_kWh, l.cost.price_CNY_per_kWh, l.cost.energy_kWh_per_kWh_cell);
  }
  h += "</table>\n";

  h += "<div class=\"charts\">\n";
  for (const auto& l : lines) {
    if (!l.error.empty()) continue;
    std::vector<std::string> names;
    std::vector<double> oee;
    for (const auto& s : l.simulation.stations) {
      names.push_back(s.name);
      oee.push_back(100.0 * s.oee);
    }
    h += svg_bar_chart("OEE per station, " + l.line.name, "%", names, oee);
  }
  h += "</div>\n";

  std::vector<StackedBar> bars;
  std::vector<std::string> order;
  for (const auto& l : lines) {
    if (!l.error.empty()) continue;
    StackedBar b{fmt::format("{} ({:.0f} CNY/kWh)", l.line.name, l.cost.total_CNY_per_kWh), {}};
    for (const auto& c : l.cost.items) {
      b.segments.push_back({c.name, c.CNY_per_kWh});
      if (std::find(order.begin(), order.end(), c.name) == order.end()) order.push_back(c.name);
    }
    bars.push_back(std::move(b));
  }
  if (!bars.empty()) h += svg_stacked_bars("Cost per kWh of good cells: shares of the items", bars, order);

  h += "<div class=\"charts\">\n";
  for (const auto& l : lines) {
    if (!l.error.empty() || l.tornado.empty()) continue;
    std::vector<std::string> names;
    std::vector<double> swing;
    for (std::size_t k = 0; k < std::min<std::size_t>(8, l.tornado.size()); ++k) {
      const auto& t = l.tornado[k];
      names.push_back(fmt::format("{} ({:.4g}-{:.4g})", t.input, t.low_input, t.high_input));
      swing.push_back(t.swing_CNY_per_kWh);
    }
    h += svg_bar_chart("Cost tornado, " + l.line.name + ": swing over each input's range", "CNY/kWh", names, swing);
  }
  h += "</div>\n";
  for (const auto& l : lines) {
    if (!l.error.empty() || l.tornado.empty()) continue;
    const auto& t = l.tornado.front();
    h += fmt::format("<p class=\"src\">{}: the largest swing is {} ({:.4g} to {:.4g}), which moves the cost from {:.0f} to {:.0f} CNY/kWh "
                     "(analytic volumes, every other input at its value).</p>\n",
                     esc(l.line.name), esc(t.input), t.low_input, t.high_input, t.cost_at_low_CNY_per_kWh, t.cost_at_high_CNY_per_kWh);
  }
  return h;
}

std::string variability_part(const std::vector<ProductionVariabilityResult>& all) {
  std::string h = "<h3>4.2 Cell-to-cell variability and grading</h3>\n";
  h += "<p>A layered Monte Carlo (lot → roll → sheet → cell) of coat weight, porosity and separator thickness (data/variability/) "
       "gives every sampled cell its design figures and, through a quadratic response surface fitted to real model runs and checked "
       "against held-out real runs, its 1C capacity and 1C resistance. Cells are graded against the specification relative to the "
       "nominal cell (docs/production.md).</p>\n";
  h += "<table>\n<tr><th>cell</th><th>cells</th><th>1C capacity mean [Ah]</th><th>capacity CV</th><th>1C resistance mean [mΩ]</th>"
       "<th>resistance CV</th><th>design Wh/kg (CV)</th><th>yield at the limits</th><th>bins</th><th>surrogate error (max, held out)</th></tr>\n";
  std::vector<Sample> capacity, resistance;
  for (const auto& v : all) {
    if (!v.error.empty()) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"9\">not computed: {}</td></tr>\n", esc(v.cell_name), esc(v.error));
      continue;
    }
    const auto& r = v.result;
    const auto* c = find_distribution(r, "model_capacity_Ah");
    const auto* res = find_distribution(r, "resistance_ohm");
    const auto* e = find_distribution(r, "specific_energy_Wh_per_kg");
    if (!c || !res || !e) continue;
    std::string bins;
    for (std::size_t b = 0; b < r.bin_names.size(); ++b)
      bins += fmt::format("{}{} {}", bins.empty() ? "" : ", ", r.bin_names[b], r.bin_counts[b]);
    std::string sur = r.surrogate ? fmt::format("{:.3f} % capacity, {:.3f} % resistance ({} runs)", 100 * r.surrogate->capacity_validation_max,
                                                100 * r.surrogate->resistance_validation_max, r.surrogate->validation_runs)
                                  : std::string("real model per cell");
    h += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3f}</td><td class=\"n\">{:.2f} %</td><td class=\"n\">{:.3f}</td>"
        "<td class=\"n\">{:.2f} %</td><td class=\"n\">{:.0f} ({:.2f} %)</td><td class=\"n\">{:.2f} %</td><td>{}</td><td>{}</td></tr>\n",
        esc(r.cell_name), r.cells, c->mean, 100 * c->std / c->mean, 1e3 * res->mean, 100 * res->std / res->mean, e->mean, 100 * e->std / e->mean,
        100 * r.yield, esc(bins), esc(sur));
    Sample sc{r.cell_name, {}}, sr{r.cell_name, {}};
    for (double q : r.model_capacity_Ah) sc.values.push_back(100.0 * (q / r.reference_capacity_Ah - 1.0));
    for (double o : r.resistance_ohm) sr.values.push_back(100.0 * (o / r.reference_resistance_ohm - 1.0));
    capacity.push_back(std::move(sc));
    resistance.push_back(std::move(sr));
  }
  h += "</table>\n";
  if (!capacity.empty()) {
    h += "<div class=\"charts\">\n";
    h += svg_histogram("1C capacity: cell-to-cell distribution", "deviation from the nominal cell [%]", capacity);
    h += svg_histogram("1C resistance: cell-to-cell distribution", "deviation from the nominal cell [%]", resistance);
    h += "</div>\n";
  }
  for (const auto& v : all) {
    if (!v.error.empty()) continue;
    const auto& r = v.result;
    h += fmt::format("<p class=\"src\">{}: scatter file {}, seed {}, {} sheets per cell; capacity: {}; resistance: {}.</p>\n", esc(r.cell_name),
                     esc(r.spec_name), r.seed, r.sheets_per_cell, esc(r.capacity_definition), esc(r.resistance_definition));
  }
  h += "<p class=\"meta\">The solid-state scatter is an assumption throughout (no public cell-to-cell data for pilot-line ASSB cells); "
       "the liquid scatter is set to the 0.2-0.3 % capacity sigma measured on mature cells. Defects that scrap cells (shorts, "
       "delamination) are the line's scrap fractions, not part of this distribution.</p>\n";
  return h;
}

}  // namespace

std::string production_section(const ProductionReport& report) {
  if (report.empty()) return {};
  std::string h = "<h2 id=\"production\">4. Production: pilot lines, cost and cell-to-cell variability</h2>\n";
  if (!report.lines.empty()) h += lines_part(report.lines);
  if (!report.variability.empty()) h += variability_part(report.variability);
  return h;
}

}  // namespace solidcell::report
