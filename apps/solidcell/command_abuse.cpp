// solidcell abuse CELL --test heating|nail|overcharge|crush|short [--standard gb38031-2025] [--soc 1.0] [--json]
// solidcell abuse CELL --all: the test matrix.
// Runs simulated abuse tests on the cell and judges them against the standard (thermal runaway, EUCAR level,
// "no fire, no explosion"); --sensitivity adds which inputs the verdict hangs on.
#include <sstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/abuse/sensitivity.hpp"
#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/report/abuse_files.hpp"

namespace solidcell::cli {

namespace {

struct AbuseArguments {
  std::string cell;
  std::string test = "heating";
  bool all = false;
  bool sensitivity = false;
  bool three_d = false;
  std::string grid = "40x30x17";
  std::vector<double> nail_position;
  std::string standard = "gb38031-2025";
  std::string network;  // default: by the cell's chemistry
  double soc = -1.0;    // default: the standard's
  double max_operating_C = 60.0;
  std::string output = "solidcell-abuse";
  bool json = false;
};

void print_result(const abuse::AbuseResult& result) {
  const auto& v = result.verdict;
  fmt::print("{}: {} test ({}), reactions {}: {}\n", result.cell, result.test, result.standard, result.network, v.pass ? "PASS" : "FAIL");
  fmt::print("  thermal runaway: {}{}; EUCAR hazard level {}; peak {:.1f} C; max dT/dt {:.3g} C/s\n", v.thermal_runaway ? "yes" : "no",
             v.onset_time_s ? fmt::format(" (from t = {:.1f} s)", *v.onset_time_s) : "", v.eucar_level, v.peak_temperature_K - 273.15,
             v.max_temperature_rate_K_per_s);
  for (std::size_t k = 0; k < result.reaction_heat_kJ.size(); ++k) {
    const auto& [name, kJ] = result.reaction_heat_kJ[k];
    const double gas = k < result.reaction_gas_mol.size() ? result.reaction_gas_mol[k].second : 0.0;
    fmt::print("  {:<40} {:9.2f} kJ{}\n", name, kJ, gas > 0.0 ? fmt::format("  {:8.4f} mol gas", gas) : "");
  }
  if (result.electrical_heat_kJ != 0.0)
    fmt::print("  {:<40} {:9.2f} kJ{}\n", "electrical (Joule) heat in the cell", result.electrical_heat_kJ,
               result.short_onset_s ? fmt::format(" (short from t = {:.0f} s)", *result.short_onset_s) : "");
  for (const auto& reason : v.reasons) fmt::print("  - {}\n", reason);
}

void print_sensitivity(const abuse::SensitivityStudy& s) {
  fmt::print("  which inputs decide it (one at a time; peak temperature and verdict at each end):\n");
  for (const auto& r : s.rows) {
    fmt::print("    {:<44} {:>7}: {:7.1f} C {:<4}  {:>7}: {:7.1f} C {:<4}{}\n", r.parameter, r.low_label, r.low.peak_temperature_K - 273.15,
               r.low.pass ? "pass" : "FAIL", r.high_label, r.high.peak_temperature_K - 273.15, r.high.pass ? "pass" : "FAIL",
               r.decides_verdict() ? "   <- decides" : "");
  }
}

nlohmann::json sensitivity_json(const abuse::SensitivityStudy& s) {
  nlohmann::json rows = nlohmann::json::array();
  auto end = [](const abuse::SensitivityEnd& e) {
    return nlohmann::json{{"peak_temperature_C", e.peak_temperature_K - 273.15}, {"thermal_runaway", e.thermal_runaway},
                          {"eucar_level", e.eucar_level}, {"verdict", e.pass ? "pass" : "fail"}, {"completed", e.completed}};
  };
  for (const auto& r : s.rows)
    rows.push_back({{"parameter", r.parameter}, {"low", r.low_label}, {"high", r.high_label}, {"at_low", end(r.low)}, {"at_high", end(r.high)},
                    {"decides_verdict", r.decides_verdict()}});
  return rows;
}

}  // namespace

Runner add_abuse_command(CLI::App& app) {
  auto* sub = app.add_subcommand("abuse", "Simulate abuse tests (heating, nail, overcharge, crush, external short) and judge them against a standard");
  auto a = std::make_shared<AbuseArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file")->required();
  auto* test = sub->add_option("--test", a->test, "the test: heating, nail, overcharge, crush or short (external short)")
                   ->check(CLI::IsMember(abuse::abuse_test_names()))
                   ->capture_default_str();
  sub->add_flag("--all", a->all, "run every test: the matrix (output in one folder per test)")->excludes(test);
  sub->add_flag("--sensitivity", a->sensitivity, "also find which inputs the verdict hangs on (one-at-a-time study, ~20-40 more runs per test)");
  sub->add_flag("--3d", a->three_d, "heating and crush tests with the 3D finite-volume model (pouch cells as a box, cylindrical cells as a half cylinder; crush: the indenter and the base conducting heat away)");
  sub->add_option("--grid", a->grid, "control volumes of the 3D runs (nail, --3d): NXxNYxNZ along the electrode length, width and the stack (cylindrical cells: the radius, the half circumference and the height; twice NY around a whole cylinder)")
      ->check([](const std::string& g) {
        int nx = 0, ny = 0, nz = 0;
        char x1 = 0, x2 = 0;
        std::istringstream in(g);
        if (!(in >> nx >> x1 >> ny >> x2 >> nz) || x1 != 'x' || x2 != 'x' || nx < 1 || ny < 1 || nz < 1 || nx > 1000 || ny > 1000 || nz > 200)
          return std::string("NXxNYxNZ with 1-1000 volumes along x and y and 1-200 through the stack, e.g. 40x30x17");
        return std::string();
      })
      ->capture_default_str();
  sub->add_option("--nail-position", a->nail_position,
                  "where the nail goes in, as two fractions X,Y (default: the standard's, 0.5,0.5): a pouch cell's electrode length and width; "
                  "a cylindrical cell's height and its offset across the diameter (0.5: through the axis; otherwise the whole cylinder is solved)")
      ->delimiter(',')
      ->expected(2)
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--standard", a->standard,
                  "gb38031-2025, gbt31485-2015, ul1642, sae-j2464 or a standard file (data/standards); a test the standard lacks (GB 38031 has no cell nail "
                  "test) uses gbt31485-2015")
      ->capture_default_str();
  sub->add_option("--network", a->network, "thermal-runaway reactions (data/abuse): by default liquid-ncm-graphite or sulfide-assb by chemistry");
  sub->add_option("--soc", a->soc, "state of charge at the start, 0-1 (default: the standard's)")->check(CLI::Range(0.0, 1.0));
  sub->add_option("--max-operating-C", a->max_operating_C, "the cell's maximum operating temperature (GB 38031 App. C criterion b)")
      ->check(CLI::Range(0.0, 200.0))
      ->capture_default_str();
  sub->add_option("-o,--output", a->output, "folder for trace.csv, temperature.svg, voltage.svg, summary.json (one subfolder per test with --all)")
      ->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  return [a] {
    auto loaded = load_cell_argument(a->cell);
    auto c = abuse::make_abuse_case(loaded.cell, loaded.origin, a->network);
    if (a->soc >= 0.0) c.options.initial_soc = a->soc;
    c.options.max_operating_temperature_K = a->max_operating_C + 273.15;
    c.three_d = a->three_d;
    if (a->nail_position.size() == 2) {
      c.nail_position_x = a->nail_position[0];
      c.nail_position_y = a->nail_position[1];
    }
    {
      char x = 0;
      std::istringstream in(a->grid);
      in >> c.three_d_options.nx >> x >> c.three_d_options.ny >> x >> c.three_d_options.nz;
    }
    const std::vector<std::string> tests = a->all ? abuse::abuse_test_names() : std::vector<std::string>{a->test};
    nlohmann::json summaries = nlohmann::json::array();
    bool failed_solver = false;
    for (const auto& t : tests) {
      abuse::AbuseResult result;
      try {
        result = abuse::run_abuse_test(t, c, a->standard);
      } catch (const InputError& e) {
        // In the matrix a test that does not apply to this cell (the 3D nail on a cell known only by mass and volume) is reported, not fatal.
        if (!a->all) throw;
        fmt::print(stderr, "{} test not run: {}\n", t, e.what());
        summaries.push_back({{"test", t}, {"available", false}, {"reason", e.what()}});
        continue;
      }
      const std::filesystem::path dir = a->all ? std::filesystem::path(a->output) / t : std::filesystem::path(a->output);
      nlohmann::json meta{{"solidcell_version", build_info::version}, {"git_sha", build_info::git_sha}, {"date", utc_timestamp()},
                          {"cell_file", loaded.origin}, {"input_hash", loaded.hash}, {"reaction_network_file", c.network.file}};
      auto summary = report::abuse_summary(result);
      std::optional<abuse::SensitivityStudy> study;
      if (a->sensitivity) {
        study = abuse::sensitivity_study(t, c, a->standard, abuse::default_sensitivity_parameters(c, t));
        summary["sensitivity"] = sensitivity_json(*study);
        meta["sensitivity"] = summary["sensitivity"];
      }
      report::write_abuse_files(dir, result, meta);
      summary["output"] = dir.string();
      summaries.push_back(summary);
      if (!a->json) {
        print_result(result);
        if (study) print_sensitivity(*study);
        fmt::print("wrote {}\n", dir.string());
      }
      if (!result.failure.empty()) {
        fmt::print(stderr, "error: {} test: {}; the trace up to there is in {}\n", t, result.failure, dir.string());
        failed_solver = true;
      }
    }
    if (a->all) {
      nlohmann::json matrix{{"cell", loaded.cell.name}, {"standard", a->standard}, {"tests", summaries}};
      io::write_text_file_atomically(std::filesystem::path(a->output) / "matrix.json", matrix.dump(2) + "\n");
      if (a->json) fmt::print("{}\n", matrix.dump(2));
      else {
        fmt::print("\n{:<11} {:<15} {:>9} {:>9} {:>10} {:>6}  {}\n", "test", "standard", "runaway", "peak [C]", "onset [s]", "EUCAR", "verdict");
        for (const auto& s : summaries) {
          if (s.contains("available")) {
            fmt::print("{:<11} not run: {}\n", s["test"].get<std::string>(), s["reason"].get<std::string>());
            continue;
          }
          fmt::print("{:<11} {:<15} {:>9} {:9.1f} {:>10} {:>6}  {}\n", s["test"].get<std::string>(), s["standard"].get<std::string>(),
                     s["thermal_runaway"].get<bool>() ? "yes" : "no", s["peak_temperature_C"].get<double>(),
                     s["onset_time_s"].is_null() ? "-" : fmt::format("{:.0f}", s["onset_time_s"].get<double>()), s["eucar_level"].get<int>(),
                     s["verdict"].get<std::string>());
        }
        fmt::print("wrote {}\n", (std::filesystem::path(a->output) / "matrix.json").string());
      }
    } else if (a->json) {
      fmt::print("{}\n", summaries[0].dump(2));
    }
    return failed_solver ? 3 : 0;
  };
}

}  // namespace solidcell::cli
