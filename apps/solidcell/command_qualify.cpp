// solidcell qualify: the main job. The all-solid-state cells beside the liquid baseline, as a table on the
// terminal and a self-contained HTML report (plus the numbers as JSON) in solidcell-report/.
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "solidcell/io/text_file.hpp"
#include "commands.hpp"
#include "design_text.hpp"
#include "production_report.hpp"
#include "road_report.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/report/design_json.hpp"
#include "solidcell/report/html_report.hpp"
#include "solidcell/abuse/sensitivity.hpp"
#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include <algorithm>

namespace solidcell::cli {

Runner add_qualify_command(CLI::App& app) {
  auto* sub = app.add_subcommand("qualify", "Qualify all-solid-state cells against the liquid baseline: terminal summary and HTML report");
  auto cells = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"assb-sulfide-li", "assb-sulfide-anodefree"});
  auto baseline = std::make_shared<std::string>("liquid-ncm811-graphite");
  auto out_dir = std::make_shared<std::string>("solidcell-report");
  auto json = std::make_shared<bool>(false);
  auto sections = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"design", "performance", "safety", "production", "road"});
  auto road_cycles = std::make_shared<std::vector<std::string>>();
  sub->add_option("--cell", *cells, "cell(s) to qualify: built-in names or files")->capture_default_str();
  sub->add_option("--sections", *sections, "report sections to compute: design (always), performance, safety, production, road")
      ->delimiter(',')
      ->check(CLI::IsMember({"design", "performance", "safety", "production", "road"}))
      ->capture_default_str();
  sub->add_option("--baseline", *baseline, "the reference cell")->capture_default_str();
  sub->add_option("-o,--output", *out_dir, "report folder (index.html, design.json)")->capture_default_str();
  sub->add_flag("--json", *json, "print the summary as JSON");
  sub->add_option("--road-cycle", *road_cycles, "speed-trace CSV file(s) the road section drives besides NEDC")->delimiter(',');
  return [cells, baseline, out_dir, json, sections, road_cycles]() {
    auto wanted = [&](const char* s) { return std::find(sections->begin(), sections->end(), s) != sections->end(); };
    // Progress on stderr: the safety section runs some 200 abuse simulations, 3D ones among them.
    auto progress = [](const std::string& what) { fmt::print(stderr, "qualify: {}\n", what); };
    std::vector<report::ReportCell> subjects;
    for (const auto& c : *cells) {
      auto l = load_cell_argument(c);
      subjects.push_back({l.cell, l.figures, l.origin, l.hash, {}, {}, {}, {}, {}, {}});
    }
    auto b = load_cell_argument(*baseline);
    report::ReportCell base{b.cell, b.figures, b.origin, b.hash, {}, {}, {}, {}, {}, {}};

    // Performance: DFN discharges at the report's rates; a failure is reported in the page, not fatal.
    auto performance = [](report::ReportCell& rc) {
      try {
        auto parameters = electrochem::model_parameters(rc.cell, rc.origin);
        for (double rate : {1.0 / 3.0, 1.0, 2.0, 3.0}) {
          auto model = electrochem::make_model("dfn", parameters);
          auto steps = experiment::parse_experiment(fmt::format("Discharge at {}C until {} V", rate, parameters.voltage_min_V));
          experiment::SimulationOptions options;
          auto s = experiment::run_experiment(*model, steps, options);
          report::RateResult rr;
          rr.c_rate = rate;
          rr.capacity_Ah = s.discharge_capacity_Ah.back();
          rr.energy_Wh = s.discharge_energy_Wh.back();
          rr.max_temperature_C = *std::max_element(s.temperature_K.begin(), s.temperature_K.end()) - 273.15;
          rr.ended_by = s.failure ? "solver failure: " + s.failure->reason : s.steps.back().ended_by;
          // Thin the curve to about 200 points for the page.
          std::size_t stride = std::max<std::size_t>(1, s.time_s.size() / 200);
          for (std::size_t k = 0; k < s.time_s.size(); k += stride) {
            rr.capacity_curve_Ah.push_back(s.discharge_capacity_Ah[k]);
            rr.voltage_curve_V.push_back(s.voltage_V[k]);
          }
          rr.capacity_curve_Ah.push_back(s.discharge_capacity_Ah.back());
          rr.voltage_curve_V.push_back(s.voltage_V.back());
          rc.rates.push_back(rr);
        }
      } catch (const InputError& e) {
        rc.performance_error = e.what();
      }
    };
    if (wanted("performance")) {
      progress("performance: DFN discharges");
      for (auto& s : subjects) performance(s);
      performance(base);
    }

    // Safety: the abuse-test matrix (GB 38031-2025, nail from GB/T 31485-2015), the runaway threshold against the
    // state of charge, and, for the first cell and the baseline, which inputs decide each verdict.
    const auto heating = abuse::load_heating_procedure("gb38031-2025");
    auto safety = [&heating, &progress](report::ReportCell& rc, bool with_sensitivity) {
      try {
        auto c = abuse::make_abuse_case(rc.cell, rc.origin);
        // The report's 3D nail runs on 20 x 15 x 8 control volumes (`solidcell abuse --test nail` uses 40 x 30 x 17).
        c.three_d_options.nx = 20;
        c.three_d_options.ny = 15;
        c.three_d_options.nz = 8;
        for (const auto& test : abuse::abuse_test_names()) {
          progress(fmt::format("safety: {}, {} test", rc.cell.name, test));
          rc.safety.push_back(abuse::run_abuse_test(test, c, "gb38031-2025"));
        }
        progress(fmt::format("safety: {}, runaway threshold against the state of charge", rc.cell.name));
        for (double soc : {0.25, 0.5, 0.75, 1.0}) {
          abuse::OvenThresholdOptions o;
          o.soc = soc;
          o.convection_W_per_m2_K = heating.convection_W_per_m2_K;
          o.emissivity = heating.emissivity;
          o.criterion = heating.criterion;
          const auto t = abuse::oven_threshold(c.inventory, c.network, o);
          report::OvenThresholdRow row;
          row.soc = soc;
          row.runs_away_at_low = t.runs_away_at_low;
          if (t.threshold_K) row.threshold_C = *t.threshold_K - 273.15;
          rc.oven_thresholds.push_back(row);
        }
        if (with_sensitivity) {
          // The nail's sensitivity study (some 30 runs) on a coarse 3D grid: it ranks inputs, it does not give the verdict.
          auto coarse = c;
          coarse.three_d_options.nx = 10;
          coarse.three_d_options.ny = 8;
          coarse.three_d_options.nz = 4;
          for (const auto& test : abuse::abuse_test_names()) {
            progress(fmt::format("safety: {}, which inputs decide the {} test", rc.cell.name, test));
            const auto& cc = test == "nail" ? coarse : c;
            rc.sensitivities.push_back(abuse::sensitivity_study(test, cc, "gb38031-2025", abuse::default_sensitivity_parameters(cc, test)));
          }
        }
      } catch (const InputError& e) {
        rc.safety_error = e.what();
      }
    };
    if (wanted("safety")) {
      for (std::size_t k = 0; k < subjects.size(); ++k) safety(subjects[k], k == 0);
      safety(base, true);
    }

    report::ReportMetadata meta{build_info::version, build_info::git_sha, utc_timestamp(), "solidcell qualify"};
    report::AnnouncedClaim claim;
    // Production: both built-in lines and the cell-to-cell spread of the first cell and the baseline.
    if (wanted("production")) progress("production: the pilot lines and the cell-to-cell spread");
    const auto production = wanted("production") ? qualify_production(subjects.front().cell, subjects.front().origin, base.cell, base.origin)
                                                 : report::ProductionReport{};
    // Road: packs of the same volume on NEDC (and --road-cycle files), a year of daily driving.
    const auto road = wanted("road") ? qualify_road(subjects, base, *road_cycles, progress) : report::RoadReport{};
    auto html = report::render_qualify_report(subjects, base, claim, meta, production, road);

    nlohmann::json data{{"solidcell_version", meta.version}, {"git_sha", meta.git_sha}, {"created_utc", meta.created_utc}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : subjects) {
      auto j = report::design_to_json(s.figures);
      j["input_file"] = s.origin;
      j["input_hash"] = s.input_hash;
      j["specific_energy_vs_baseline"] = s.figures.specific_energy_Wh_per_kg / base.figures.specific_energy_Wh_per_kg;
      j["energy_density_vs_baseline"] = s.figures.energy_density_Wh_per_L / base.figures.energy_density_Wh_per_L;
      list.push_back(j);
    }
    data["cells"] = list;
    auto bj = report::design_to_json(base.figures);
    bj["input_file"] = base.origin;
    bj["input_hash"] = base.input_hash;
    data["baseline"] = bj;

    std::filesystem::path dir(*out_dir);
    io::write_text_file_atomically(dir / "design.json", data.dump(2) + "\n");
    io::write_text_file_atomically(dir / "index.html", html);

    if (*json) {
      data["report"] = (dir / "index.html").string();
      fmt::print("{}\n", data.dump(2));
      return 0;
    }
    std::vector<const cell::DesignFigures*> figs;
    for (const auto& s : subjects) figs.push_back(&s.figures);
    figs.push_back(&base.figures);
    fmt::print("solidcell qualify: {} beside the baseline {}\n\n", fmt::join(*cells, ", "), *baseline);
    fmt::print("{}\n", figures_table(figs, false));
    for (const auto& s : subjects) {
      fmt::print("{}: {:+.1f} % Wh/kg and {:+.1f} % Wh/L against {} (announced class: about {:.0f} Wh/kg, {:.0f} Wh/L, +{:.0f} %)\n",
                 s.figures.cell_name, 100 * (s.figures.specific_energy_Wh_per_kg / base.figures.specific_energy_Wh_per_kg - 1),
                 100 * (s.figures.energy_density_Wh_per_L / base.figures.energy_density_Wh_per_L - 1), base.figures.cell_name,
                 claim.specific_energy_Wh_per_kg, claim.energy_density_Wh_per_L, 100 * claim.gain_over_liquid);
    }
    std::vector<const report::ReportCell*> everyone;
    for (const auto& s : subjects) everyone.push_back(&s);
    everyone.push_back(&base);
    if (wanted("performance")) fmt::print("\nDFN discharge capacity at C/3, 1C, 2C, 3C (25 C ambient, lumped thermal):\n");
    for (const auto* rc : everyone) {
      if (!wanted("performance")) break;
      if (!rc->performance_error.empty()) {
        fmt::print("  {}: not computed: {}\n", rc->cell.name, rc->performance_error);
        continue;
      }
      std::string line;
      for (const auto& rr : rc->rates) line += fmt::format("  {:8.3f} Ah", rr.capacity_Ah);
      fmt::print("  {:<26}{}\n", rc->cell.name, line);
    }
    if (wanted("safety")) {
      fmt::print("\nAbuse tests (GB 38031-2025; nail: GB/T 31485-2015): verdict, EUCAR level, peak temperature\n");
      fmt::print("  {:<26}", "");
      for (const auto& t : abuse::abuse_test_names()) fmt::print("{:<22}", t);
      fmt::print("\n");
    }
    for (const auto* rc : everyone) {
      if (!wanted("safety")) break;
      if (!rc->safety_error.empty()) {
        fmt::print("  {}: not computed: {}\n", rc->cell.name, rc->safety_error);
        continue;
      }
      fmt::print("  {:<26}", rc->cell.name);
      for (const auto& r : rc->safety)
        fmt::print("{:<22}", fmt::format("{} E{} {:.0f} C{}", r.verdict.pass ? "pass" : "FAIL", r.verdict.eucar_level, r.verdict.peak_temperature_K - 273.15,
                                         r.failure.empty() ? "" : "!"));
      fmt::print("\n");
    }
    if (wanted("safety")) fmt::print("\nRunaway threshold in a constant oven (lowest oven temperature that runs the cell away within 4 h):\n");
    for (const auto* rc : everyone) {
      if (rc->oven_thresholds.empty()) continue;
      std::string line;
      for (const auto& row : rc->oven_thresholds)
        line += fmt::format("  {:.0f} % SOC: {}", 100 * row.soc, row.threshold_C ? fmt::format("{:.1f} C", *row.threshold_C) : std::string("none"));
      fmt::print("  {:<26}{}\n", rc->cell.name, line);
    }
    if (wanted("production")) fmt::print("{}", production_text(production));
    if (wanted("road")) fmt::print("{}", road_text(road));
    fmt::print("\nreport: {}\n", (dir / "index.html").string());
    return 0;
  };
}

}  // namespace solidcell::cli
