#include "solidcell/report/html_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/cell/electrode_loading.hpp"
#include "solidcell/report/svg_chart.hpp"

namespace solidcell::report {
namespace {

std::string esc(const std::string& s) { return escape_xml(s); }

std::string percent_change(double value, double reference) {
  return fmt::format("{:+.1f} %", 100.0 * (value / reference - 1.0));
}

const char* style = R"(<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 4px 8px; } th { background: #f3f3f3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #666; font-size: 0.9em; } .ok { color: #1a7f37; font-weight: bold; } .short { color: #b35900; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; } .src { font-size: 0.85em; color: #444; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 0.4em 0; z-index: 1; }
nav a { margin-right: 1.2em; color: #0550ae; text-decoration: none; }
</style>
)";

std::string verdict(double value, double target, const std::string& unit) {
  double ratio = value / target;
  if (ratio >= 0.98) return fmt::format("<span class=\"ok\">{:.0f} {} reaches the claimed {:.0f}</span>", value, unit, target);
  return fmt::format("<span class=\"short\">{:.0f} {} is {:.1f} % below the claimed {:.0f}</span>", value, unit,
                     100.0 * (1.0 - ratio), target);
}

std::string layer_rows(const cell::Cell& c, const cell::DesignFigures& f) {
  std::string s;
  auto row = [&](const std::string& layer, double thickness_m, double porosity, const std::string& what, const std::string& source) {
    s += fmt::format("<tr><td>{}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.2f}</td><td>{}</td><td class=\"src\">{}</td></tr>\n",
                     esc(layer), thickness_m * 1e6, porosity, esc(what), esc(source));
  };
  auto solids = [&](const cell::CompositeLayer& l) {
    std::string out;
    for (const auto& sc : l.solids) out += fmt::format("{}{} {:.1f} vol%", out.empty() ? "" : ", ", sc.material, 100 * sc.volume_fraction);
    return out;
  };
  row("positive electrode", c.positive.thickness_m, c.positive.porosity,
      solids(c.positive) + fmt::format("; {:.2f} mAh/cm²", f.areal_capacity_mAh_per_cm2), c.positive.source);
  row("separator (" + std::string(cell::to_string(c.separator.kind)) + ")", c.separator.layer.thickness_m, c.separator.layer.porosity,
      solids(c.separator.layer), c.separator.layer.source);
  if (c.negative.kind == cell::NegativeKind::composite) {
    row("negative electrode", c.negative.composite->thickness_m, c.negative.composite->porosity, solids(*c.negative.composite),
        c.negative.source);
  } else {
    row(c.negative.kind == cell::NegativeKind::lithium_metal ? "lithium metal (excess)" : "anode-free (no lithium excess)",
        c.negative.lithium_foil_thickness_m, 0.0,
        fmt::format("plates {:.1f} µm of lithium at full charge", f.plated_lithium_thickness_m * 1e6), c.negative.source);
  }
  if (c.collectors.positive_thickness_m > 0) {
    row("positive collector", c.collectors.positive_thickness_m, 0.0, c.collectors.positive_material, c.collectors.source);
    row("negative collector", c.collectors.negative_thickness_m, 0.0, c.collectors.negative_material, c.collectors.source);
  }
  return s;
}

std::string breakdown_rows(const cell::DesignFigures& f) {
  std::string s;
  for (const auto& e : f.breakdown) {
    s += fmt::format("<tr><td>{}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.2f}</td><td class=\"n\">{:.1f}</td></tr>\n",
                     esc(e.component), e.mass_kg * 1e3, 100 * e.mass_kg / f.mass_kg, e.volume_m3 * 1e6, 100 * e.volume_m3 / f.volume_m3);
  }
  return s;
}

std::string material_sources(const cell::Cell& c) {
  std::string s;
  for (const auto& [name, m] : c.materials) {
    s += fmt::format("<li><b>{}</b> ({}): {}", esc(name), materials::to_string(m.role), esc(m.source));
    if (m.capacity && m.is_active()) s += fmt::format("; capacity: {}; OCP: {}", esc(m.capacity->source), esc(m.open_circuit_potential_source));
    s += "</li>\n";
  }
  return s;
}

std::string format_source(const cell::Cell& c) {
  return std::visit([](const auto& f) { return f.source; }, c.format);
}

// "C/3" rather than "0.333333C".
std::string rate_label(double c_rate) {
  if (c_rate < 1.0 && std::abs(1.0 / c_rate - std::round(1.0 / c_rate)) < 1e-9) return fmt::format("C/{:g}", std::round(1.0 / c_rate));
  return fmt::format("{:g}C", c_rate);
}

std::string performance_section(const std::vector<const ReportCell*>& all) {
  std::string h = "<h2 id=\"performance\">2. Performance: discharge curves and rate capability</h2>\n";
  h += "<p>Constant-current discharges from full charge to each cell's lower cut-off at 25 °C ambient with the DFN "
       "(solid-state DFN for the solid-state cells) and the lumped thermal model (docs/models.md). 1C is the cell's nominal capacity.</p>\n";
  h += "<table>\n<tr><th>cell</th><th>C-rate</th><th>capacity [Ah]</th><th>of the slowest [%]</th><th>energy [Wh]</th>"
       "<th>max temperature [°C]</th><th>ended by</th></tr>\n";
  std::vector<LineSeries> retention;
  for (const auto* rc : all) {
    if (!rc->performance_error.empty()) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"6\">not computed: {}</td></tr>\n", esc(rc->cell.name), esc(rc->performance_error));
      continue;
    }
    if (rc->rates.empty()) continue;
    double base = rc->rates.front().capacity_Ah;
    LineSeries r{rc->cell.name, {}, {}};
    for (const auto& rr : rc->rates) {
      h += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.2f}</td>"
                       "<td class=\"n\">{:.1f}</td><td>{}</td></tr>\n",
                       esc(rc->cell.name), rate_label(rr.c_rate), rr.capacity_Ah, 100 * rr.capacity_Ah / base, rr.energy_Wh, rr.max_temperature_C,
                       esc(rr.ended_by));
      r.x.push_back(rr.c_rate);
      r.y.push_back(100 * rr.capacity_Ah / base);
    }
    retention.push_back(r);
  }
  h += "</table>\n<div class=\"charts\">\n";
  for (const auto* rc : all) {
    if (rc->rates.empty()) continue;
    std::vector<LineSeries> curves;
    for (const auto& rr : rc->rates) curves.push_back({rate_label(rr.c_rate), rr.capacity_curve_Ah, rr.voltage_curve_V});
    h += svg_line_chart("Discharge curves: " + rc->cell.name, "discharge capacity [A.h]", "voltage [V]", curves);
  }
  if (!retention.empty()) h += svg_line_chart("Rate capability", "C-rate [1/h]", "capacity, % of the slowest", retention);
  h += "</div>\n";
  return h;
}

std::string safety_section(const std::vector<const ReportCell*>& all) {
  std::string h = "<h2 id=\"safety\">3. Safety: abuse tests against the standards</h2>\n";
  h += "<p>Simulated cell abuse tests of GB 38031-2025 (8.1.3 overcharge, 8.1.4 external short, 8.1.5 heating, 8.1.7 crush) and the nail "
       "penetration of GB/T 31485-2015 (GB 38031 dropped the cell nail test), with each chemistry's Arrhenius decomposition reactions "
       "(data/abuse), the cell's electrical circuit (EMF, internal resistance, transport-limited current), the shorts that the nail, the crush "
       "or a failed separator make, and the chamber's convection and radiation (docs/abuse.md). Thermal runaway by GB 38031-2025 App. C "
       "(voltage drop &gt; 25 % or maximum operating temperature reached, and dT/dt ≥ 1 °C/s for more than 3 s, with the decomposition "
       "reactions releasing heat); EUCAR hazard level by the rules in docs/abuse.md; pass means no fire and no explosion. Every verdict "
       "comes out of the simulation.</p>\n";
  // The matrix: one row per test, one column per cell.
  std::vector<std::string> tests;
  for (const auto* rc : all)
    for (const auto& r : rc->safety)
      if (std::find(tests.begin(), tests.end(), r.test) == tests.end()) tests.push_back(r.test);
  h += "<h3>The test matrix</h3>\n<table>\n<tr><th>test</th>";
  for (const auto* rc : all) h += fmt::format("<th>{}</th>", esc(rc->cell.name));
  h += "</tr>\n";
  for (const auto& t : tests) {
    h += fmt::format("<tr><td>{}</td>", esc(t));
    for (const auto* rc : all) {
      auto it = std::find_if(rc->safety.begin(), rc->safety.end(), [&](const abuse::AbuseResult& r) { return r.test == t; });
      if (!rc->safety_error.empty() || it == rc->safety.end()) {
        h += "<td>–</td>";
        continue;
      }
      const auto& v = it->verdict;
      h += fmt::format("<td>{}{}, EUCAR {}, peak {:.0f} °C{}</td>", v.pass ? "pass" : "<b>FAIL</b>", v.thermal_runaway ? " (runaway)" : "",
                       v.eucar_level, v.peak_temperature_K - 273.15, it->failure.empty() ? "" : " — solver stopped early");
    }
    h += "</tr>\n";
  }
  h += "</table>\n";
  h += "<table>\n<tr><th>cell</th><th>test</th><th>reactions</th><th>thermal runaway</th><th>onset [s]</th><th>peak [°C]</th>"
       "<th>max dT/dt [°C/s]</th><th>heat released [kJ]</th><th>of which electrical [kJ]</th><th>EUCAR</th><th>verdict</th></tr>\n";
  for (const auto* rc : all) {
    if (!rc->safety_error.empty()) {
      h += fmt::format("<tr><td>{}</td><td colspan=\"10\">not computed: {}</td></tr>\n", esc(rc->cell.name), esc(rc->safety_error));
      continue;
    }
    for (const auto& r : rc->safety) {
      const auto& v = r.verdict;
      double released = r.electrical_heat_kJ;
      for (const auto& entry : r.reaction_heat_kJ) released += entry.second;
      h += fmt::format("<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1f}</td>"
                       "<td class=\"n\">{:.3g}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                       esc(rc->cell.name), esc(r.test), esc(r.standard), esc(r.network), v.thermal_runaway ? "yes" : "no",
                       v.onset_time_s ? fmt::format("{:.0f}", *v.onset_time_s) : "–", v.peak_temperature_K - 273.15, v.max_temperature_rate_K_per_s,
                       released, r.electrical_heat_kJ, v.eucar_level, v.pass ? "pass" : "<b>fail</b>");
    }
  }
  h += "</table>\n<details><summary>Why: each verdict's reasons</summary>\n";
  for (const auto* rc : all)
    for (const auto& r : rc->safety) {
      h += fmt::format("<p class=\"src\">{}, {}: ", esc(rc->cell.name), esc(r.test));
      for (std::size_t k = 0; k < r.verdict.reasons.size(); ++k) h += (k ? "; " : "") + esc(r.verdict.reasons[k]);
      h += ".</p>\n";
    }
  h += "</details>\n";
  // The curves: temperature and voltage of every cell, one pair of charts per test.
  h += "<h3>The curves</h3>\n<div class=\"charts\">\n";
  for (const auto& t : tests) {
    std::vector<LineSeries> temperatures, voltages;
    for (const auto* rc : all)
      for (const auto& r : rc->safety) {
        if (r.test != t) continue;
        LineSeries T{rc->cell.name, {}, {}}, V{rc->cell.name, {}, {}};
        const std::size_t n = r.trace.time_s.size();
        const std::size_t stride = std::max<std::size_t>(1, n / 300);
        for (std::size_t k = 0; k < n; k += (k + stride < n || k + 1 == n) ? stride : n - 1 - k) {
          T.x.push_back(r.trace.time_s[k] / 60.0);
          T.y.push_back(r.trace.temperature_K[k] - 273.15);
          if (k < r.trace.voltage_V.size()) {
            V.x.push_back(r.trace.time_s[k] / 60.0);
            V.y.push_back(r.trace.voltage_V[k]);
          }
          if (k + 1 == n) break;
        }
        temperatures.push_back(T);
        voltages.push_back(V);
      }
    h += svg_line_chart(t + " test: cell temperature", "time [min]", "temperature [°C]", temperatures);
    h += svg_line_chart(t + " test: terminal voltage", "time [min]", "voltage [V]", voltages);
  }
  h += "</div>\n";
  // Runaway thresholds against the state of charge: the oven-temperature x SOC sweep.
  bool any_threshold = false;
  for (const auto* rc : all) any_threshold = any_threshold || !rc->oven_thresholds.empty();
  if (any_threshold) {
    h += "<h3>Where each cell runs away: oven temperature against state of charge</h3>\n<p>The lowest constant oven temperature at which "
         "the cell, taken from 25 °C into the oven, runs away within 4 hours (the GB 38031 criterion), found by bisection to 0.5 K at each "
         "state of charge, with the same chamber convection and radiation as the heating test (Hatchard 2001 and Kim 2007's oven test; a "
         "Semenov balance of the runaway heat against the cooling). Below the curve the cell survives, above it it runs away.</p>\n";
    h += "<table>\n<tr><th>state of charge</th>";
    for (const auto* rc : all) h += fmt::format("<th>{} [°C]</th>", esc(rc->cell.name));
    h += "</tr>\n";
    std::vector<double> socs;
    for (const auto* rc : all)
      for (const auto& row : rc->oven_thresholds)
        if (std::find(socs.begin(), socs.end(), row.soc) == socs.end()) socs.push_back(row.soc);
    std::sort(socs.begin(), socs.end());
    std::vector<LineSeries> curves;
    for (const auto* rc : all) curves.push_back({rc->cell.name, {}, {}});
    for (double soc : socs) {
      h += fmt::format("<tr><td class=\"n\">{:.0f} %</td>", 100 * soc);
      for (std::size_t c = 0; c < all.size(); ++c) {
        const auto& rows = all[c]->oven_thresholds;
        auto it = std::find_if(rows.begin(), rows.end(), [&](const OvenThresholdRow& r) { return r.soc == soc; });
        if (it == rows.end()) {
          h += "<td>–</td>";
          continue;
        }
        h += fmt::format("<td class=\"n\">{}</td>", it->runs_away_at_low ? "below 100" : it->threshold_C ? fmt::format("{:.1f}", *it->threshold_C) : "none up to 300");
        if (it->threshold_C) {
          curves[c].x.push_back(100 * soc);
          curves[c].y.push_back(*it->threshold_C);
        }
      }
      h += "</tr>\n";
    }
    h += "</table>\n<div class=\"charts\">\n" + svg_line_chart("Runaway threshold", "state of charge [%]", "oven temperature [°C]", curves) + "</div>\n";
  }
  // Sensitivity: which inputs decide each verdict.
  bool any_study = false;
  for (const auto* rc : all) any_study = any_study || !rc->sensitivities.empty();
  if (any_study) {
    h += "<h3>Which parameters decide each verdict</h3>\n<p>One at a time, each uncertain input of the runaway model goes to the low and "
         "the high end of its range (reaction rates ×/÷ 3, reaction heats ±25 %, heat capacity ±10 %, heat transfer ×/÷ 2, internal "
         "resistance ±30 %, separator failure temperature ±10 K, transport-limited current ×/÷ 2, 80 % state of charge) and the test "
         "is run again (the nail's study runs on a coarser 3D grid than the matrix, so its peak temperatures differ; it ranks the inputs). "
         "Rows that change the verdict or the EUCAR level come first, then the largest swings of the peak temperature; "
         "the five largest are shown.</p>\n";
    for (const auto* rc : all)
      for (const auto& study : rc->sensitivities) {
        h += fmt::format("<h4>{}, {} test ({}): baseline {} at {:.0f} °C</h4>\n<table>\n<tr><th>input</th><th>low</th><th>peak [°C]</th>"
                         "<th>verdict</th><th>high</th><th>peak [°C]</th><th>verdict</th></tr>\n",
                         esc(rc->cell.name), esc(study.test), esc(study.standard), study.baseline.pass ? "pass" : "FAIL",
                         study.baseline.peak_temperature_K - 273.15);
        const std::size_t shown = std::min<std::size_t>(5, study.rows.size());
        for (std::size_t k = 0; k < shown; ++k) {
          const auto& r = study.rows[k];
          auto verdict = [](const abuse::SensitivityEnd& e) {
            return fmt::format("{} (EUCAR {}){}", e.pass ? "pass" : "<b>FAIL</b>", e.eucar_level, e.completed ? "" : ", stopped early");
          };
          h += fmt::format("<tr><td>{}{}</td><td>{}</td><td class=\"n\">{:.1f}</td><td>{}</td><td>{}</td><td class=\"n\">{:.1f}</td><td>{}</td></tr>\n",
                           esc(r.parameter), r.decides_verdict() ? " <b>(decides)</b>" : "", esc(r.low_label), r.low.peak_temperature_K - 273.15,
                           verdict(r.low), esc(r.high_label), r.high.peak_temperature_K - 273.15, verdict(r.high));
        }
        h += "</table>\n";
      }
  }
  h += "<p class=\"meta\">Rupture and explosion (EUCAR 6 and 7) need internal pressure and mechanics that the models do not have; "
       "they are never assigned. The solid-state reaction set is an engineering proposal with wide uncertainty (data/abuse/sulfide-assb.toml).</p>\n";
  return h;
}

}  // namespace

std::string render_qualify_report(const std::vector<ReportCell>& subjects, const ReportCell& baseline,
                                  const AnnouncedClaim& claim, const ReportMetadata& meta, const ProductionReport& production,
                                  const RoadReport& road) {
  std::vector<const ReportCell*> all;
  for (const auto& s : subjects) all.push_back(&s);
  all.push_back(&baseline);

  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>solidcell qualify report</title>\n";
  h += style;
  h += "</head>\n<body>\n<h1>solidcell qualify report</h1>\n";
  h += fmt::format("<p class=\"meta\">solidcell {} (git {}), created {} by <code>{}</code></p>\n", esc(meta.version), esc(meta.git_sha),
                   esc(meta.created_utc), esc(meta.command));

  // Navigation between the sections on the page (plain anchors: the page stays script-free).
  {
    bool has_performance = false, has_safety = false;
    for (const auto* rc : all) {
      has_performance = has_performance || !rc->rates.empty() || !rc->performance_error.empty();
      has_safety = has_safety || !rc->safety.empty() || !rc->safety_error.empty();
    }
    h += "<nav><a href=\"#design\">1. Design</a>";
    if (has_performance) h += "<a href=\"#performance\">2. Performance</a>";
    if (has_safety) h += "<a href=\"#safety\">3. Safety</a>";
    if (!production.empty()) h += "<a href=\"#production\">4. Production</a>";
    if (!road.empty()) h += "<a href=\"#road\">5. Road</a>";
    h += "</nav>\n";
  }
  // --- summary ---
  h += "<h2 id=\"design\">1. Design: energy density</h2>\n";
  h += "<p>Every figure is computed from the layer stack and the format (method: docs/energy-density.md); the energy "
       "integrates the open-circuit voltage over the usable stoichiometry windows, and the volume is taken at full charge.</p>\n";
  h += "<table>\n<tr><th>cell</th><th>chemistry</th><th>format</th><th>capacity [Ah]</th><th>energy [Wh]</th><th>nominal [V]</th>"
       "<th>mass [g]</th><th>volume [cm³]</th><th>Wh/kg</th><th>Wh/L</th><th>N/P</th><th>Wh/kg vs baseline</th><th>Wh/L vs baseline</th></tr>\n";
  const auto& fb = baseline.figures;
  for (const auto* rc : all) {
    const auto& f = rc->figures;
    bool is_base = rc == &baseline;
    h += fmt::format(
        "<tr><td>{}{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.2f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.3f}</td>"
        "<td class=\"n\">{:.1f}</td><td class=\"n\">{:.1f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.0f}</td><td class=\"n\">{:.2f}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        esc(f.cell_name), is_base ? " (baseline)" : "", esc(f.chemistry), esc(f.format), f.capacity_Ah, f.energy_Wh, f.nominal_voltage_V,
        f.mass_kg * 1e3, f.volume_m3 * 1e6, f.specific_energy_Wh_per_kg, f.energy_density_Wh_per_L, f.np_ratio,
        is_base ? "—" : percent_change(f.specific_energy_Wh_per_kg, fb.specific_energy_Wh_per_kg),
        is_base ? "—" : percent_change(f.energy_density_Wh_per_L, fb.energy_density_Wh_per_L));
  }
  h += "</table>\n";

  h += fmt::format("<h3>Against the announced claim</h3>\n<p class=\"src\">Claim: about {:.0f} Wh/kg and {:.0f} Wh/L, some {:.0f} % above "
                   "conventional ternary cells. Source: {}.</p>\n<ul>\n",
                   claim.specific_energy_Wh_per_kg, claim.energy_density_Wh_per_L, 100 * claim.gain_over_liquid, esc(claim.source));
  for (const auto& s : subjects) {
    const auto& f = s.figures;
    double gain = f.specific_energy_Wh_per_kg / fb.specific_energy_Wh_per_kg - 1.0;
    h += fmt::format("<li><b>{}</b>: {}; {}; {:+.0f} % Wh/kg over {} (claim {:+.0f} %).</li>\n", esc(f.cell_name),
                     verdict(f.specific_energy_Wh_per_kg, claim.specific_energy_Wh_per_kg, "Wh/kg"),
                     verdict(f.energy_density_Wh_per_L, claim.energy_density_Wh_per_L, "Wh/L"), 100 * gain, esc(fb.cell_name),
                     100 * claim.gain_over_liquid);
  }
  h += "</ul>\n";

  // --- charts ---
  std::vector<std::string> labels;
  std::vector<double> whkg, whl;
  std::vector<StackedBar> mass_bars, volume_bars;
  std::vector<LineSeries> ocv;
  for (const auto* rc : all) {
    const auto& f = rc->figures;
    labels.push_back(f.cell_name);
    whkg.push_back(f.specific_energy_Wh_per_kg);
    whl.push_back(f.energy_density_Wh_per_L);
    StackedBar mb{f.cell_name, {}}, vb{f.cell_name, {}};
    for (const auto& e : f.breakdown) {
      if (e.mass_kg > 0) mb.segments.push_back({e.component, e.mass_kg});
      if (e.volume_m3 > 0) vb.segments.push_back({e.component, e.volume_m3});
    }
    mass_bars.push_back(mb);
    volume_bars.push_back(vb);
    LineSeries ls{f.cell_name, {}, {}};
    for (const auto& p : f.ocv_curve) {
      ls.x.push_back(100.0 * (1.0 - p.capacity_Ah / f.capacity_Ah));
      ls.y.push_back(p.voltage_V);
    }
    ocv.push_back(ls);
  }
  h += "<div class=\"charts\">\n";
  h += svg_bar_chart("Specific energy", "Wh/kg", labels, whkg);
  h += svg_bar_chart("Energy density", "Wh/L", labels, whl);
  h += "</div>\n<div class=\"charts\">\n";
  std::vector<std::string> components;  // one colour per component in both charts
  for (const auto* rc : all)
    for (const auto& e : rc->figures.breakdown)
      if (std::find(components.begin(), components.end(), e.component) == components.end()) components.push_back(e.component);
  h += svg_stacked_bars("Where the mass goes", mass_bars, components);
  h += svg_stacked_bars("Where the volume goes (full charge)", volume_bars, components);
  h += "</div>\n";
  h += svg_line_chart("Open-circuit voltage", "state of charge [%]", "voltage [V]", ocv);

  // --- per cell detail ---
  int k = 1;
  for (const auto* rc : all) {
    const auto& c = rc->cell;
    const auto& f = rc->figures;
    h += fmt::format("<h3>1.{} {}</h3>\n<p>{}</p>\n<p class=\"src\">File: <code>{}</code> (hash {}). Source: {}</p>\n", k++, esc(c.name),
                     esc(c.description), esc(rc->origin), esc(rc->input_hash), esc(c.source));
    h += fmt::format("<p>Capacity {:.3f} Ah ({} electrode limits; positive {:.3f} Ah, negative {:.3f} Ah), lithium inventory {:.3f} Ah, "
                     "open-circuit voltage {:.3f} V at full charge and {:.3f} V when empty. Stack {:.3f} mm discharged, {:.3f} mm charged{}.</p>\n",
                     f.capacity_Ah, f.limiting_electrode, f.positive_capacity_Ah, f.negative_capacity_Ah, f.lithium_inventory_Ah,
                     f.ocv_at_100_soc_V, f.ocv_at_0_soc_V, f.stack_thickness_discharged_m * 1e3, f.stack_thickness_charged_m * 1e3,
                     f.format == "cylindrical" ? " (jelly-roll diameter)" : "");
    h += "<table>\n<tr><th>layer</th><th>thickness [µm]</th><th>porosity</th><th>composition</th><th>source</th></tr>\n";
    h += layer_rows(c, f);
    h += "</table>\n<table>\n<tr><th>component</th><th>mass [g]</th><th>mass [%]</th><th>volume [cm³]</th><th>volume [%]</th></tr>\n";
    h += breakdown_rows(f);
    h += "</table>\n";
    h += fmt::format("<p class=\"src\">Format: {}</p>\n<details><summary>Material sources</summary><ul class=\"src\">\n{}</ul></details>\n",
                     esc(format_source(c)), material_sources(c));
  }
  // A section that was not computed (qualify --sections) is left out.
  bool performance = false, safety = false;
  for (const auto* rc : all) {
    performance = performance || !rc->rates.empty() || !rc->performance_error.empty();
    safety = safety || !rc->safety.empty() || !rc->safety_error.empty();
  }
  if (performance) h += performance_section(all);
  if (safety) h += safety_section(all);
  h += production_section(production);
  h += road_section(road);
  h += "<p class=\"meta\">Later sections (ageing, a year on the road) join this report as solidcell grows.</p>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace solidcell::report
