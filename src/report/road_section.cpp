#include "solidcell/report/road_section.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "solidcell/report/svg_chart.hpp"

namespace solidcell::report {
namespace {

std::string esc(const std::string& s) { return escape_xml(s); }

}  // namespace

std::string road_section(const RoadReport& r) {
  if (r.empty()) return {};
  std::string h = "<h2 id=\"road\">5. Road: range and a year of use</h2>\n";
  h += fmt::format("<p>Each cell fills a pack of the volume of <code>{}</code> (the most cells, series × parallel, at a nominal voltage within "
                   "±10 % of the reference's; its packaging and SOC window) in the {} (<code>{}</code>). The pack's battery power along the "
                   "speed trace (longitudinal model) is imposed on one representative cell; consumption is the simulated cells' energy over "
                   "the distance, range the usable energy of one discharge at the cycle's mean power over that consumption "
                   "(docs/vehicle.md).</p>\n",
                   esc(r.reference_pack), esc(r.vehicle_name), esc(r.vehicle_source));
  h += "<h3>5.1 Packs of the same volume</h3>\n<table>\n<tr><th>cell</th><th>cells (s × p)</th><th>energy [kWh]</th><th>mass [kg]</th>"
       "<th>volume [L]</th><th>Wh/kg</th><th>Wh/L</th><th>vehicle mass [kg]</th></tr>\n";
  for (const auto& c : r.cells) {
    if (!c.error.empty()) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"7\">not computed: {}</td></tr>\n", esc(c.cell_name), esc(c.error));
      continue;
    }
    const auto& f = c.figures;
    h += fmt::format("<tr><td>{}{}</td><td class=\"n\">{} × {} = {}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td>"
                     "<td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td></tr>\n",
                     esc(c.cell_name), c.baseline ? " (baseline)" : "", c.pack.series, c.pack.parallel, f.cells, f.energy_Wh / 1e3, f.mass_kg,
                     f.volume_m3 * 1e3, f.specific_energy_Wh_per_kg, f.energy_density_Wh_per_L, c.vehicle_mass_kg);
  }
  h += "</table>\n";

  h += "<h3>5.2 Consumption and range</h3>\n<table>\n<tr><th>cell</th><th>model</th><th>cycle</th><th>distance [km]</th>"
       "<th>consumption [kWh/100 km]</th><th>range [km]</th></tr>\n";
  std::vector<std::string> labels;
  std::vector<double> ranges;
  for (const auto& c : r.cells) {
    if (!c.error.empty()) continue;
    for (const auto& d : c.cycles) {
      if (!d.error.empty()) {
        h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td colspan=\"3\">not computed: {}</td></tr>\n", esc(c.cell_name), esc(c.model), esc(d.cycle),
                         esc(d.error));
        continue;
      }
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.2f}</td><td class=\"n\">{:.2f}</td><td class=\"n\">{:.0f}</td></tr>\n",
                       esc(c.cell_name), esc(c.model), esc(d.cycle), d.distance_km, d.consumption_kWh_per_100km, d.range_km);
      labels.push_back(c.cell_name + ", " + d.cycle);
      ranges.push_back(d.range_km);
    }
  }
  h += "</table>\n";
  if (!ranges.empty()) h += svg_bar_chart("Range", "km", labels, ranges);
  for (const auto& c : r.cells)
    for (const auto& d : c.cycles)
      if (d.error.empty() && !d.source.empty() && &c == &r.cells.front()) h += fmt::format("<p class=\"src\">{}: {}</p>\n", esc(d.cycle), esc(d.source));

  h += "<h3>5.3 A year of daily driving</h3>\n";
  h += fmt::format("<p>{} Degradation is what the ageing module solves for each cell (its file's parameters); the capacity comes from a "
                   "reference check-up (C/3 discharge, CC-CV charge, C/3 discharge at 25 °C, on a copy of the cell's state) after each solved day, and representative days are solved in "
                   "full while the degradation state is extrapolated between them under an error estimate (docs/vehicle.md, docs/ageing.md).</p>\n",
                   esc(r.year_setup));
  h += "<table>\n<tr><th>cell</th><th>degradation mechanisms</th><th>days (solved)</th><th>retention after a year [%]</th>"
       "<th>resistance growth [%]</th><th>Li lost to SEI [mmol]</th><th>equivalent full cycles</th><th>range start → end [km]</th></tr>\n";
  std::vector<LineSeries> retention;
  for (const auto& c : r.cells) {
    if (!c.error.empty()) continue;
    if (!c.year && c.year_error.empty()) continue;  // the year runs for the first cell and the baseline only
    if (!c.year) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"7\">not computed: {}</td></tr>\n", esc(c.cell_name), esc(c.year_error));
      continue;
    }
    const auto& y = *c.year;
    if (y.days.empty()) continue;
    const auto& last = y.days.back();
    const std::string mechanisms = y.mechanisms.empty() ? std::string("none parameterised (flat by construction, not a measured result)")
                                                        : fmt::format("{}", fmt::join(y.mechanisms, "; "));
    if (!y.stopped.empty()) {
      h += fmt::format("<tr><td>{}</td><td>{}</td><td colspan=\"6\">the year stopped on day {}: {}</td></tr>\n", esc(c.cell_name), esc(mechanisms),
                       y.days.size(), esc(y.stopped));
      continue;
    }
    h += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{} ({})</td><td class=\"n\">{:.2f}</td><td class=\"n\">{}</td><td class=\"n\">{:.3f}</td>"
                     "<td class=\"n\">{:.1f}</td><td class=\"n\">{:.0f} → {:.0f}</td></tr>\n",
                     esc(c.cell_name), esc(mechanisms), y.days.size(), y.solved_days, 100.0 * last.capacity_retention,
                     std::isfinite(last.resistance_growth) ? fmt::format("{:.2f}", 100.0 * last.resistance_growth) : std::string("—"),
                     1e3 * last.lithium_lost_to_sei_mol, y.equivalent_full_cycles, y.range_start_km, y.range_end_km);
    LineSeries s{c.cell_name, {}, {}};
    for (const auto& d : y.days) {
      s.x.push_back(d.day);
      s.y.push_back(100.0 * d.capacity_retention);
    }
    retention.push_back(std::move(s));
  }
  h += "</table>\n";
  if (!retention.empty()) h += svg_line_chart("Capacity retention over a year of daily driving", "day", "retention [%]", retention);
  return h;
}

}  // namespace solidcell::report
