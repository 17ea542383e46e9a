// solidcell abuse CELL --test heating [--standard gb38031-2025] [--soc 1.0] [--network NAME] [-o DIR] [--json]:
// runs a simulated abuse test on the cell and judges it against the standard (thermal runaway, EUCAR level,
// "no fire, no explosion").
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/report/abuse_files.hpp"

namespace solidcell::cli {

namespace {

struct AbuseArguments {
  std::string cell;
  std::string test = "heating";
  std::string standard = "gb38031-2025";
  std::string network;  // default: by the cell's chemistry
  double soc = -1.0;    // default: the standard's
  double max_operating_C = 60.0;
  std::string output = "solidcell-abuse";
  bool json = false;
};

}  // namespace

Runner add_abuse_command(CLI::App& app) {
  auto* sub = app.add_subcommand("abuse", "Simulate an abuse test (today: the heating / hot-box test) and judge it against a standard");
  auto a = std::make_shared<AbuseArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file")->required();
  sub->add_option("--test", a->test, "the test: heating (nail, overcharge, crush and short come with their models)")
      ->check(CLI::IsMember({"heating"}))
      ->capture_default_str();
  sub->add_option("--standard", a->standard, "gb38031-2025, gbt31485-2015, ul1642 or a standard file (data/standards)")->capture_default_str();
  sub->add_option("--network", a->network, "thermal-runaway reactions (data/abuse): by default liquid-ncm-graphite or sulfide-assb by chemistry");
  sub->add_option("--soc", a->soc, "state of charge at the start, 0-1 (default: the standard's)")->check(CLI::Range(0.0, 1.0));
  sub->add_option("--max-operating-C", a->max_operating_C, "the cell's maximum operating temperature (GB 38031 App. C criterion b)")
      ->check(CLI::Range(0.0, 200.0))
      ->capture_default_str();
  sub->add_option("-o,--output", a->output, "folder for trace.csv, temperature.svg, voltage.svg, summary.json")->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  return [a] {
    auto procedure = abuse::load_heating_procedure(a->standard);
    auto loaded = load_cell_argument(a->cell);
    auto network = abuse::load_reaction_network(a->network.empty() ? abuse::default_network_name(loaded.cell.chemistry) : a->network);
    auto inventory = abuse::cell_inventory(loaded.cell, loaded.origin);
    abuse::AbuseOptions options;
    if (a->soc >= 0.0) options.initial_soc = a->soc;
    options.max_operating_temperature_K = a->max_operating_C + 273.15;
    auto result = abuse::run_heating_test(inventory, network, procedure, options);
    nlohmann::json meta{{"solidcell_version", build_info::version}, {"git_sha", build_info::git_sha}, {"date", utc_timestamp()},
                        {"cell_file", loaded.origin}, {"input_hash", loaded.hash}, {"standard_title", procedure.title},
                        {"reaction_network_file", network.file}};
    report::write_abuse_files(a->output, result, meta);
    auto summary = report::abuse_summary(result);
    if (a->json) {
      summary["output"] = a->output;
      fmt::print("{}\n", summary.dump(2));
    } else {
      const auto& v = result.verdict;
      fmt::print("{}: {} test ({}), reactions {}: {}\n", result.cell, result.test, result.standard, result.network, v.pass ? "PASS" : "FAIL");
      fmt::print("  thermal runaway: {}{}; EUCAR hazard level {}; peak {:.1f} C; max dT/dt {:.3g} C/s\n", v.thermal_runaway ? "yes" : "no",
                 v.onset_time_s ? fmt::format(" (from t = {:.0f} s)", *v.onset_time_s) : "", v.eucar_level, v.peak_temperature_K - 273.15,
                 v.max_temperature_rate_K_per_s);
      for (const auto& [name, kJ] : result.reaction_heat_kJ) fmt::print("  {:<40} {:9.2f} kJ\n", name, kJ);
      if (result.electrical_heat_kJ != 0.0)
        fmt::print("  {:<40} {:9.2f} kJ{}\n", "electrical (Joule) heat in the cell", result.electrical_heat_kJ,
                   result.short_onset_s ? fmt::format(" (short from t = {:.0f} s)", *result.short_onset_s) : "");
      for (const auto& reason : v.reasons) fmt::print("  - {}\n", reason);
      fmt::print("wrote {}\n", a->output);
    }
    if (!result.failure.empty()) {
      fmt::print(stderr, "error: {}; the trace up to there is in {}\n", result.failure, a->output);
      return 3;
    }
    return 0;
  };
}

}  // namespace solidcell::cli
