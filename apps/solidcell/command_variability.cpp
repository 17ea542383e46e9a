// solidcell variability CELL --n N [--seed S] [--scatter NAME|FILE] [--json] [-o DIR]: a layered Monte Carlo of
// manufacturing scatter for N cells: design figures, 1C capacity and resistance, grading and yield; writes
// cells.csv (one row per cell) and summary.json.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/production/variability.hpp"
#include "solidcell/report/text_table.hpp"

namespace solidcell::cli {

namespace {

struct VariabilityArguments {
  std::string cell;
  long long n = 1000;
  std::uint64_t seed = 1;
  std::string scatter;
  std::string model = "dfn";
  int threads = 2;
  bool per_cell = false;
  bool json = false;
  std::string output = "solidcell-variability";
};

}  // namespace

Runner add_variability_command(CLI::App& app) {
  auto* sub = app.add_subcommand("variability", "Manufacturing variability of a cell: layered Monte Carlo, capacity and resistance spread, grading, yield");
  auto a = std::make_shared<VariabilityArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file")->required();
  sub->add_option("--n", a->n, "cells to sample")->capture_default_str();
  sub->add_option("--seed", a->seed, "random seed (the same seed gives the same cells)")->capture_default_str();
  sub->add_option("--scatter", a->scatter, "scatter and grading file (data/variability; default: the built-in one for the cell's chemistry)");
  sub->add_option("--model", a->model, "the real model: dfn (liquid and solid-state) or spme (liquid)")->check(CLI::IsMember({"dfn", "spme"}))->capture_default_str();
  sub->add_option("--threads", a->threads, "worker threads")->check(CLI::Range(1, 256))->capture_default_str();
  sub->add_flag("--per-cell", a->per_cell, "run the real model for every cell instead of a validated response surface (slow)");
  sub->add_flag("--json", a->json, "print the summary as JSON");
  sub->add_option("-o,--output", a->output, "folder for cells.csv and summary.json")->capture_default_str();
  return [a]() {
    if (a->n < 1 || a->n > 10000000) throw InputError(InputLocation{"", 0, "--n"}, std::to_string(a->n), "allowed range [1, 10000000]");
    auto loaded = load_cell_argument(a->cell);
    const std::string scatter = a->scatter.empty() ? production::default_variability_for(loaded.cell) : a->scatter;
    const auto spec = production::load_variability(scatter);
    production::VariabilityOptions o;
    o.cells = static_cast<std::size_t>(a->n);
    o.seed = a->seed;
    o.threads = a->threads;
    o.model = a->model;
    o.electrochemistry = a->per_cell ? production::Electrochemistry::per_cell : production::Electrochemistry::surrogate;
    const bool show = isatty(fileno(stderr)) && (a->n >= 10000 || a->per_cell);
    if (show) o.progress = [](const std::string& stage, std::size_t done, std::size_t total) {
      fmt::print(stderr, "\r{}: {}/{}        ", stage, done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
    const auto r = production::run_variability(loaded.cell, spec, o, loaded.origin);

    auto j = production::variability_summary_json(r);
    j["input_file"] = loaded.origin;
    j["input_hash"] = loaded.hash;
    j["scatter_file"] = spec.file;
    j["solidcell_version"] = build_info::version;
    std::filesystem::path dir(a->output);
    io::write_text_file_atomically(dir / "cells.csv", production::variability_cells_csv(r));
    io::write_text_file_atomically(dir / "summary.json", j.dump(2) + "\n");
    if (a->json) {
      j["output"] = a->output;
      fmt::print("{}\n", j.dump(2));
      return 0;
    }
    fmt::print("{}: {} cells, scatter {} (seed {}), {} sheets per cell, {} model ({}), {:.2f} s on {} thread(s)\n\n", r.cell_name, r.cells, r.spec_name,
               r.seed, r.sheets_per_cell, r.model, production::to_string(r.electrochemistry), r.elapsed_s, r.threads);
    report::TextTable t({"quantity", "mean", "std", "CV %", "p01", "p50", "p99"});
    for (const auto& d : r.distributions)
      t.add_row({d.name, fmt::format("{:.5g}", d.mean), fmt::format("{:.3g}", d.std), fmt::format("{:.3f}", d.mean != 0 ? 100 * d.std / d.mean : 0.0),
                 fmt::format("{:.5g}", d.p01), fmt::format("{:.5g}", d.p50), fmt::format("{:.5g}", d.p99)});
    fmt::print("{}\n", t.render());
    fmt::print("reference (nominal cell): {:.4f} Ah at 1C, {:.4f} mOhm\n", r.reference_capacity_Ah, 1e3 * r.reference_resistance_ohm);
    std::string bins;
    for (std::size_t b = 0; b < r.bin_names.size(); ++b) bins += fmt::format("{}{} {}", b ? ", " : "", r.bin_names[b], r.bin_counts[b]);
    fmt::print("bins: {}\n", bins);
    fmt::print("yield at the specification limits: {:.3f} % (capacity {:.3f} %, resistance {:.3f} %)\n", 100 * r.yield, 100 * r.yield_capacity,
               100 * r.yield_resistance);
    if (r.surrogate) {
      const auto& s = *r.surrogate;
      fmt::print("surrogate: quadratic in {} ({} terms) from {} real runs; against {} held-out real runs: capacity max {:.4f} % (rms {:.4f} %), "
                 "resistance max {:.4f} % (rms {:.4f} %)\n",
                 fmt::join(s.variables, ", "), s.terms, s.fit_runs, s.validation_runs, 100 * s.capacity_validation_max, 100 * s.capacity_validation_rms,
                 100 * s.resistance_validation_max, 100 * s.resistance_validation_rms);
    }
    fmt::print("wrote {}/cells.csv and {}/summary.json\n", a->output, a->output);
    return 0;
  };
}

}  // namespace solidcell::cli
