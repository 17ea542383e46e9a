// solidcell run CELL --model dfn --experiment "Discharge at 1C until 2.5 V" [-o DIR] [--json]:
// simulates the cell through the experiment and writes the solution (CSV, HDF5, SVG, JSON summary).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/report/solution_files.hpp"

namespace solidcell::cli {

namespace {

struct RunArguments {
  std::string cell;
  std::string model = "dfn";
  std::string experiment;
  std::string experiment_file;
  std::string output = "solidcell-run";
  bool json = false;
  double soc = 1.0;
  double temperature_C = 25.0;
  double rtol = 1e-6;
  double atol = 0.0;
  std::string solver = "ida";
  std::vector<std::string> inputs;
  int mesh = 10;
  bool isothermal = false;
};

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "Simulate a cell through an experiment (SPM, SPMe or DFN) and write the solution");
  auto a = std::make_shared<RunArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file")->required();
  sub->add_option("--model", a->model, "spm, spme or dfn")->check(CLI::IsMember({"spm", "spme", "dfn"}))->capture_default_str();
  sub->add_option("--experiment", a->experiment, "steps, e.g. \"Discharge at 1C until 2.5 V, Rest for 1 hour\" (docs/experiments.md)");
  sub->add_option("--experiment-file", a->experiment_file, "a text file of steps, one per line");
  sub->add_option("-o,--output", a->output, "folder for solution.csv, profiles.csv, solution.h5, voltage.svg, summary.json")->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  sub->add_flag("--isothermal", a->isothermal, "hold the cell at the ambient temperature (no lumped thermal model)");
  sub->add_option("--soc", a->soc, "initial state of charge, 0-1")->check(CLI::Range(0.0, 1.0))->capture_default_str();
  sub->add_option("--temperature-C", a->temperature_C, "ambient (and cell) temperature in degrees C")->check(CLI::Range(-70.0, 120.0))->capture_default_str();
  sub->add_option("--rtol", a->rtol, "relative tolerance of the solver")->check(CLI::Range(1e-12, 1e-2))->capture_default_str();
  sub->add_option("--atol", a->atol, "absolute tolerance in units of each unknown's scale (c_max, c_e0, 1 V, the capacity); 0: as --rtol")
      ->check(CLI::Range(0.0, 1e-2))
      ->capture_default_str();
  sub->add_option("--solver", a->solver, "ida (SUNDIALS IDA, the reference) or bdf (solidcell's own BDF integrator)")
      ->check(CLI::IsMember({"ida", "bdf"}))
      ->capture_default_str();
  sub->add_option("--input", a->inputs,
                  "set a model parameter, \"NAME=VALUE\" with PyBaMM's names, e.g. \"Negative particle radius [m]=4e-6\" (repeatable; "
                  "docs/models.md lists them)");
  sub->add_option("--mesh", a->mesh, "finite volumes per region and per particle")->check(CLI::Range(2, 200))->capture_default_str();
  return [a]() {
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
    if (text.empty()) throw InputError(InputLocation{"", 0, "--experiment"}, "", "an experiment is required, e.g. --experiment \"Discharge at 1C until 2.5 V\"");
    auto steps = experiment::parse_experiment(text, source);

    auto loaded = load_cell_argument(a->cell);
    auto parameters = electrochem::model_parameters(loaded.cell, loaded.origin);
    if (a->isothermal) parameters.thermal.reset();
    electrochem::Mesh mesh{a->mesh, a->mesh, a->mesh, a->mesh};
    auto model = electrochem::make_model(a->model, parameters, mesh);
    bool ambient_from_input = false;  // an "Ambient temperature [K]" input takes the place of --temperature-C
    for (const auto& assignment : a->inputs) {
      const auto eq = assignment.rfind('=');
      if (eq == std::string::npos)
        throw InputError(InputLocation{"", 0, "--input"}, assignment, "expected NAME=VALUE, e.g. \"Negative particle radius [m]=4e-6\"");
      const std::string name = assignment.substr(0, eq), number = assignment.substr(eq + 1);
      double value = 0.0;
      try {
        std::size_t used = 0;
        value = std::stod(number, &used);
        if (used != number.size()) throw std::invalid_argument("trailing characters");
      } catch (const std::exception&) {
        throw InputError(InputLocation{"", 0, "--input " + name}, number, "a number");
      }
      try {
        model->set_input(name, value);
        ambient_from_input = ambient_from_input || name == "Ambient temperature [K]";
      } catch (const std::invalid_argument& e) {
        throw InputError(InputLocation{"", 0, "--input"}, name, e.what());
      }
    }

    experiment::SimulationOptions options;
    options.initial_soc = a->soc;
    if (!ambient_from_input) options.ambient_temperature_K = a->temperature_C + 273.15;
    options.relative_tolerance = a->rtol;
    options.absolute_tolerance = a->atol;
    options.integrator = a->solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    if (isatty(fileno(stderr))) {
      options.progress = [](int done, int total, double t) { fmt::print(stderr, "\rstep {}/{}  t = {:.0f} s   ", done, total, t); };
    }
    auto solution = experiment::run_experiment(*model, steps, options);
    if (options.progress) fmt::print(stderr, "\n");

    report::RunMetadata meta{build_info::version, build_info::git_sha, utc_timestamp(), loaded.cell.name, loaded.origin, loaded.hash,
                             a->model, text};
    auto files = report::write_solution_files(a->output, solution, meta);
    auto summary = report::solution_summary(solution);
    if (a->json) {
      summary["output"] = a->output;
      fmt::print("{}\n", summary.dump(2));
    } else {
      fmt::print("{} ({}) through {} step(s): {:.4f} A.h, {:.3f} W.h discharged, final voltage {:.4f} V, solved in {:.3f} s\n",
                 loaded.cell.name, solution.model, solution.steps.size(), summary["discharge_capacity_Ah"].get<double>(),
                 summary["energy_Wh"].get<double>(), summary["final_voltage_V"].get<double>(), solution.solve_time_s);
      for (const auto& st : solution.steps)
        fmt::print("  step {}: {} ({:.1f}-{:.1f} s, ended by {}, {:.4f} A.h)\n", st.number, st.text, st.start_s, st.end_s, st.ended_by, st.capacity_Ah);
      fmt::print("wrote {}\n", a->output);
    }
    if (!solution.stopped_early.empty()) fmt::print(stderr, "note: the experiment stopped early: {}\n", solution.stopped_early);
    if (solution.failure) {
      const auto& f = *solution.failure;
      fmt::print(stderr, "error: solver failed at t = {:.3f} s in step {} (\"{}\"): {}; the solution up to there is in {}\n", f.time_s, f.step,
                 f.step_text, f.reason, a->output);
      return 3;
    }
    return 0;
  };
}

}  // namespace solidcell::cli
