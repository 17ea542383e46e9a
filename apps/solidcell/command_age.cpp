// solidcell age CELL --experiment "..." --cycles N [--accelerate] [--json] [--output DIR]: a cycling study with
// SEI growth (docs/ageing.md). The experiment is one cycle; it runs N times, carrying the cell's state.
// Writes DIR/cycles.csv (one row per cycle), DIR/retention.svg and DIR/summary.json.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/io/csv_writer.hpp"
#include "solidcell/report/svg_chart.hpp"

namespace solidcell::cli {

namespace {

struct AgeArguments {
  std::string cell;
  std::string experiment;
  std::string experiment_file;
  int cycles = 0;
  bool accelerate = false;
  double tolerance = 2e-4;
  std::string sei = "reaction limited";
  std::string plating = "none";
  std::string lam = "none";
  std::string output = "solidcell-age";
  bool json = false;
  double soc = 1.0;
  double temperature_C = 25.0;
  double rtol = 1e-6;
  std::string solver = "ida";
  int mesh = 10;
  bool thermal = false;
  double stack_pressure_MPa = 0.0;  // 0: the cell file's
};

// NaN and infinities as JSON null.
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  if (!out) throw InputError(InputLocation{file.string(), 0, "--output"}, "", "cannot write this file");
}

}  // namespace

Runner add_age_command(CLI::App& app) {
  auto* sub = app.add_subcommand("age", "Cycle a liquid cell N times with SEI growth: capacity retention, resistance, lithium lost, end of life");
  auto a = std::make_shared<AgeArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file (needs a [negative.sei] table)")->required();
  sub->add_option("--experiment", a->experiment, "one cycle, e.g. \"Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20\"");
  sub->add_option("--experiment-file", a->experiment_file, "a text file of the cycle's steps, one per line");
  sub->add_option("--cycles", a->cycles, "number of cycles")->required();
  sub->add_flag("--accelerate", a->accelerate, "solve selected cycles in full and extrapolate the degradation state between them (docs/ageing.md)");
  sub->add_option("--tolerance", a->tolerance, "accelerated mode: error allowed per jump, as a fraction of capacity retention")->capture_default_str();
  sub->add_option("--sei", a->sei, "growth law: \"reaction limited\" or \"solvent-diffusion limited\" (\"none\" with --plating)")->capture_default_str();
  sub->add_option("--plating", a->plating,
                  "lithium plating on the negative (needs a [negative.plating] table): \"none\", \"irreversible\", \"reversible\" or \"partially reversible\"")
      ->capture_default_str();
  sub->add_option("--lam", a->lam,
                  "loss of active material (needs [positive/negative.active_material_loss] tables): \"none\", \"stress-driven\", "
                  "\"reaction-driven\" or \"stress and reaction-driven\"")
      ->capture_default_str();
  sub->add_option("-o,--output", a->output, "folder for cycles.csv, retention.svg, summary.json")->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  sub->add_flag("--thermal", a->thermal, "solve the cell's lumped thermal model (default: isothermal at the ambient temperature)");
  sub->add_option("--soc", a->soc, "initial state of charge, 0-1")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  sub->add_option("--temperature-C", a->temperature_C, "ambient temperature in degrees C")->check(CLI::Range(-70.0, 120.0))->capture_default_str();
  sub->add_option("--rtol", a->rtol, "relative tolerance of the solver")->check(CLI::Range(1e-12, 1e-2))->capture_default_str();
  sub->add_option("--solver", a->solver, "ida or bdf")->check(CLI::IsMember({"ida", "bdf"}))->capture_default_str();
  sub->add_option("--stack-pressure-MPa", a->stack_pressure_MPa, "solid-state cells: stack pressure, replacing the [degradation] table's")->check(CLI::Range(0.01, 500.0));
  sub->add_option("--mesh", a->mesh, "finite volumes per region and per particle")->check(CLI::Range(2, 200))->capture_default_str();
  return [a]() {
    if (a->cycles < 1 || a->cycles > 1'000'000)
      throw InputError(InputLocation{"", 0, "--cycles"}, fmt::format("{}", a->cycles), "allowed range [1, 1000000]");
    if (!(a->tolerance > 0.0 && a->tolerance <= 0.1))
      throw InputError(InputLocation{"", 0, "--tolerance"}, fmt::format("{}", a->tolerance), "allowed range (0, 0.1]");
    std::string text = a->experiment, source = "--experiment";
    if (!a->experiment_file.empty()) {
      if (!text.empty()) throw InputError(InputLocation{"", 0, "--experiment"}, "", "give --experiment or --experiment-file, not both");
      std::ifstream in(a->experiment_file);
      if (!in) throw InputError(InputLocation{a->experiment_file, 0, ""}, "", "experiment file not found");
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
      source = a->experiment_file;
    }
    if (text.empty())
      throw InputError(InputLocation{"", 0, "--experiment"}, "", "an experiment (one cycle) is required, e.g. --experiment \"Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V\"");
    auto steps = experiment::parse_experiment(text, source);
    auto loaded = load_cell_argument(a->cell);
    ageing::AgeingSetup setup;
    setup.sei = a->sei;
    setup.plating = a->plating;
    setup.lam = a->lam;
    setup.mesh = a->mesh;
    setup.initial_soc = a->soc;
    setup.ambient_temperature_K = a->temperature_C + 273.15;
    setup.relative_tolerance = a->rtol;
    setup.integrator = a->solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    setup.thermal = a->thermal;
    if (a->stack_pressure_MPa > 0.0) setup.stack_pressure_Pa = a->stack_pressure_MPa * 1e6;
    auto aged = ageing::make_ageing_cell(loaded.cell, loaded.origin, setup);
    ageing::AgeingCell& cell = *aged;
    const auto& fade = cell.options().solid_state_fade;
    const electrochem::SeiGrowth law = cell.options().sei;
    // Plating or LAM on: name every mechanism in the text and the chart (SEI alone keeps its words).
    const bool more_than_sei = cell.options().plating != electrochem::LithiumPlating::none ||
                               cell.options().active_material_loss != electrochem::ActiveMaterialLoss::none;

    // The fresh cell's active material, which the table's "AM lost" columns compare against.
    const double fresh_negative_active = cell.active_material_fraction(false);
    const double fresh_positive_active = cell.active_material_fraction(true);

    ageing::CycleStudyOptions so;
    so.cycles = a->cycles;
    so.accelerate = a->accelerate;
    so.tolerance = a->tolerance;
    // Progress on stderr for long runs, only on a terminal.
    if (isatty(fileno(stderr)) && a->cycles >= 20)
      so.progress = [](int done, int total) { fmt::print(stderr, "\rcycle {}/{}   ", done, total); };
    auto result = ageing::run_cycle_study(cell, steps, so);
    if (so.progress) fmt::print(stderr, "\n");

    // Files.
    std::filesystem::path dir(a->output);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw InputError(InputLocation{a->output, 0, "--output"}, "", "cannot create this folder: " + ec.message());
    std::vector<io::Column> cols{{"Cycle number", {}},
                                 {"Solved in full", {}},
                                 {"Discharge capacity [A.h]", {}},
                                 {"Capacity retention", {}},
                                 {"Resistance [Ohm]", {}},
                                 {"Resistance growth", {}},
                                 {"Cyclable lithium [mol]", {}},
                                 {"Total lithium [mol]", {}},
                                 {"Loss of lithium to negative SEI [mol]", {}},
                                 {"Loss of capacity to negative SEI [A.h]", {}},
                                 {"X-averaged negative SEI thickness [m]", {}},
                                 {"Discharge energy [W.h]", {}},
                                 {"Cycle duration [s]", {}},
                                 {"CEI thickness [m]", {}},
                                 {"Positive contact fraction", {}},
                                 {"Lithium contact fraction", {}},
                                 {"Loss of lithium to CEI [mol]", {}},
                                 {"Loss of lithium to contact loss [mol]", {}},
                                 {"Loss of lithium to plating inefficiency [mol]", {}},
                                 {"Negative lithium reservoir [mol]", {}},
                                 {"Negative lithium plating [mol]", {}},
                                 {"Negative dead lithium [mol]", {}},
                                 {"Loss of lithium to negative lithium plating [mol]", {}},
                                 {"Loss of capacity to negative lithium plating [A.h]", {}},
                                 {"X-averaged negative electrode active material volume fraction", {}},
                                 {"X-averaged positive electrode active material volume fraction", {}},
                                 {"Loss of lithium due to loss of active material [mol]", {}}};
    for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m)
      cols.push_back({fmt::format("Share of capacity lost: {}", ageing::to_string(static_cast<ageing::FadeMechanism>(m))), {}});
    nlohmann::json per_cycle = nlohmann::json::array();
    std::vector<double> x, retention_pct;
    for (const auto& c : result.cycles) {
      const double values[] = {static_cast<double>(c.cycle), c.simulated ? 1.0 : 0.0, c.discharge_capacity_Ah, c.capacity_retention,
                               c.resistance_ohm, c.resistance_growth, c.lithium_inventory_mol, c.lithium_total_mol, c.lithium_lost_to_sei_mol,
                               c.capacity_lost_to_sei_Ah, c.sei_thickness_m, c.discharge_energy_Wh, c.duration_s,
                               c.cei_thickness_m, c.contact_fraction, c.lithium_contact_fraction, c.lithium_lost_to_cei_mol,
                               c.lithium_lost_to_contact_mol, c.lithium_lost_to_plating_mol, c.lithium_reservoir_mol,
                               c.plated_lithium_mol, c.dead_lithium_mol, c.lithium_lost_to_negative_plating_mol,
                               c.capacity_lost_to_negative_plating_Ah, c.negative_active_fraction, c.positive_active_fraction,
                               c.lithium_lost_to_active_material_loss_mol};
      const std::size_t fixed = std::size(values);
      for (std::size_t k = 0; k < fixed; ++k) cols[k].values.push_back(values[k]);
      for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m) cols[fixed + m].values.push_back(c.capacity_loss_share[m]);
      x.push_back(c.cycle);
      retention_pct.push_back(100.0 * c.capacity_retention);
    }
    write_text(dir / "cycles.csv", io::to_csv(cols));
    write_text(dir / "retention.svg",
               report::svg_line_chart(fmt::format("{}: capacity retention ({}, {})", loaded.cell.name, a->accelerate ? "accelerated" : "every cycle solved",
                                                  !more_than_sei ? fmt::format("SEI {}", electrochem::to_string(law)) : ageing::degradation_description(cell)),
                                      "cycle", "capacity retention [%]", {report::LineSeries{"retention", x, retention_pct}}));

    nlohmann::json j;
    j["cell"] = loaded.cell.name;
    j["cell_file"] = loaded.origin;
    j["experiment"] = text;
    j["sei"] = fade ? "none (solid-state fade)" : electrochem::to_string(law);
    j["lithium_plating"] = electrochem::to_string(cell.options().plating);
    j["loss_of_active_material"] = electrochem::to_string(cell.options().active_material_loss);
    j["cycles"] = result.cycles.size();
    j["cycles_requested"] = a->cycles;
    j["accelerated"] = a->accelerate;
    j["solved_cycles"] = result.solved_cycles;
    j["rejected_jumps"] = result.rejected_jumps;
    j["capacity_retention"] = result.capacity_retention();
    std::vector<nlohmann::json> growth;
    for (double g : result.resistance_growth()) growth.push_back(number_or_null(g));
    j["resistance_growth"] = growth;
    j["resistance_definition"] = "(U_ocv - V) / I 10 s into the cycle's first discharge step";
    j["cycles_to_80_percent"] = result.end_of_life_cycle ? nlohmann::json(*result.end_of_life_cycle) : nlohmann::json(nullptr);
    j["knee_cycle"] = result.knee ? nlohmann::json(result.knee->cycle) : nlohmann::json(nullptr);
    const auto& first = result.cycles.front();
    const auto& last = result.cycles.back();
    j["first_cycle"] = {{"discharge_capacity_Ah", first.discharge_capacity_Ah}, {"resistance_ohm", number_or_null(first.resistance_ohm)}};
    j["last_cycle"] = {{"cycle", last.cycle},
                       {"discharge_capacity_Ah", last.discharge_capacity_Ah},
                       {"capacity_retention", last.capacity_retention},
                       {"resistance_ohm", number_or_null(last.resistance_ohm)},
                       {"lithium_lost_to_sei_mol", last.lithium_lost_to_sei_mol},
                       {"capacity_lost_to_sei_Ah", last.capacity_lost_to_sei_Ah},
                       {"sei_thickness_m", last.sei_thickness_m},
                       {"plated_lithium_mol", last.plated_lithium_mol},
                       {"dead_lithium_mol", last.dead_lithium_mol},
                       {"lithium_lost_to_plating_mol", last.lithium_lost_to_negative_plating_mol},
                       {"capacity_lost_to_plating_Ah", last.capacity_lost_to_negative_plating_Ah},
                       {"negative_active_material_fraction", last.negative_active_fraction},
                       {"positive_active_material_fraction", last.positive_active_fraction},
                       {"lithium_lost_to_active_material_loss_mol", last.lithium_lost_to_active_material_loss_mol},
                       {"cyclable_lithium_mol", last.lithium_inventory_mol},
                       {"total_lithium_mol", last.lithium_total_mol}};
    // Shares of the capacity lost by mechanism (docs/ageing.md): at the last cycle, and per cycle.
    nlohmann::json mechanisms = nlohmann::json::object();
    for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m) {
      const auto name = ageing::to_string(static_cast<ageing::FadeMechanism>(m));
      std::vector<double> shares;
      for (const auto& c : result.cycles) shares.push_back(c.capacity_loss_share[m]);
      mechanisms[name] = {{"capacity_lost_Ah", last.capacity_lost_Ah[m]}, {"share", last.capacity_loss_share[m]}, {"share_per_cycle", shares}};
    }
    mechanisms["SEI"]["lithium_lost_mol"] = last.lithium_lost_to_sei_mol;
    mechanisms["CEI"]["lithium_lost_mol"] = last.lithium_lost_to_cei_mol;
    mechanisms["contact loss"]["lithium_lost_mol"] = last.lithium_lost_to_contact_mol;
    mechanisms["lithium inventory"]["lithium_lost_mol"] = last.lithium_lost_to_plating_mol;
    mechanisms["lithium plating"]["lithium_lost_mol"] = last.lithium_lost_to_negative_plating_mol;
    mechanisms["loss of active material"]["lithium_lost_mol"] = last.lithium_lost_to_active_material_loss_mol;
    j["mechanisms"] = mechanisms;
    if (fade) {
      j["solid_state"] = {{"stack_pressure_MPa", fade->rates.stack_pressure_Pa * 1e-6},
                          {"cei_thickness_m", last.cei_thickness_m},
                          {"contact_fraction", last.contact_fraction},
                          {"lithium_contact_fraction", last.lithium_contact_fraction},
                          {"lithium_reservoir_mol", number_or_null(last.lithium_reservoir_mol)},
                          {"lithium_bookkeeping_error_mol", number_or_null(last.lithium_bookkeeping_error_mol)}};
    }
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : result.events)
      events.push_back({{"kind", e.kind},
                        {"cycle", e.cycle},
                        {"time_s", e.time_s},
                        {"step", e.step},
                        {"current_density_mA_per_cm2", 0.1 * e.current_density_A_per_m2},
                        {"critical_current_density_mA_per_cm2", 0.1 * e.critical_current_density_A_per_m2},
                        {"stack_pressure_MPa", e.stack_pressure_Pa * 1e-6},
                        {"temperature_K", e.temperature_K}});
    j["events"] = events;
    j["stopped"] = result.stopped.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.stopped);
    j["wall_time_s"] = result.wall_time_s;
    j["output"] = a->output;
    j["software"] = {{"version", build_info::version}, {"git_sha", build_info::git_sha}, {"date", utc_timestamp()}, {"cell_hash", loaded.hash}};
    write_text(dir / "summary.json", j.dump(2) + "\n");

    if (a->json) {
      fmt::print("{}\n", j.dump(2));
    } else {
      fmt::print("{}: {} cycles of \"{}\" with {}, {} solved in full, {:.1f} s\n", loaded.cell.name, result.cycles.size(), text,
                 fade ? std::string("solid-state fade (CEI, contact loss, lithium inventory, voids)")
                      : !more_than_sei ? fmt::format("SEI growth ({})", electrochem::to_string(law))
                                       : ageing::degradation_description(cell),
                 result.solved_cycles, result.wall_time_s);
      for (const auto& e : result.events)
        fmt::print("event: {} in cycle {}, step {}, t = {:.1f} s: {:.3g} mA/cm2 against a CCD of {:.3g} mA/cm2\n", e.kind, e.cycle, e.step, e.time_s,
                   0.1 * e.current_density_A_per_m2, 0.1 * e.critical_current_density_A_per_m2);
      // The mechanisms switched on add their columns: plated and dead lithium (plating), and each electrode's active
      // material lost since the fresh cell, from the same x-averaged fractions as cycles.csv (LAM).
      const bool plating = cell.options().plating != electrochem::LithiumPlating::none;
      const bool lam = cell.options().active_material_loss != electrochem::ActiveMaterialLoss::none;
      auto lost_pct = [](double now, double fresh) { return fresh > 0.0 ? 100.0 * (1.0 - now / fresh) : 0.0; };
      // A solid-state cell grows no SEI: its columns are the CEI, the lithium it took and the cathode's contact.
      std::string header = fmt::format("{:>7} {:>6} {:>12} {:>10} {:>12}", "cycle", "solved", "capacity Ah", "retention", "resistance");
      header += fade ? fmt::format(" {:>14} {:>10} {:>14}", "Li to CEI mol", "CEI nm", "CAM contact %")
                     : fmt::format(" {:>14} {:>10}", "Li to SEI mol", "SEI nm");
      if (plating) header += fmt::format(" {:>14} {:>12}", "plated Li mol", "dead Li mol");
      if (lam) header += fmt::format(" {:>14} {:>14}", "neg AM lost %", "pos AM lost %");
      fmt::print("{}\n", header);
      // About twenty rows: the first, the last, and evenly spaced between.
      const std::size_t n = result.cycles.size();
      const std::size_t stride = std::max<std::size_t>(1, n / 20);
      for (std::size_t k = 0; k < n; ++k) {
        if (k % stride != 0 && k + 1 != n) continue;
        const auto& c = result.cycles[k];
        std::string row = fmt::format("{:>7} {:>6} {:>12.4f} {:>9.2f}% {:>10.2f} mO", c.cycle, c.simulated ? "yes" : "interp", c.discharge_capacity_Ah,
                                      100.0 * c.capacity_retention, 1e3 * c.resistance_ohm);
        row += fade ? fmt::format(" {:>14.4e} {:>10.3f} {:>14.3f}", c.lithium_lost_to_cei_mol, 1e9 * c.cei_thickness_m, 100.0 * c.contact_fraction)
                    : fmt::format(" {:>14.4e} {:>10.3f}", c.lithium_lost_to_sei_mol, 1e9 * c.sei_thickness_m);
        if (plating) row += fmt::format(" {:>14.4e} {:>12.4e}", c.plated_lithium_mol, c.dead_lithium_mol);
        if (lam)
          row += fmt::format(" {:>14.4f} {:>14.4f}", lost_pct(c.negative_active_fraction, fresh_negative_active),
                             lost_pct(c.positive_active_fraction, fresh_positive_active));
        fmt::print("{}\n", row);
      }
      fmt::print("cycles to 80 %: {}; knee: {}\n", result.end_of_life_cycle ? std::to_string(*result.end_of_life_cycle) : "not reached",
                 result.knee ? std::to_string(result.knee->cycle) : "none");
      fmt::print("wrote {}\n", a->output);
    }
    if (!result.stopped.empty()) {
      fmt::print(stderr, "note: the study stopped early: {}\n", result.stopped);
      return 3;
    }
    return 0;
  };
}

}  // namespace solidcell::cli
