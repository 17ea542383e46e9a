// solidcell sweep SPEC.toml [-o DIR] [--threads N] [--resume] [--json]: many cases of a study (design,
// experiment, abuse, ageing, vehicle) on every core, or on MPI ranks under mpirun; one HDF5 file per case (or
// batches of them), manifest.json and summary.csv in the output folder. docs/sweeps.md describes the spec.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/sweep/mpi_executor.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::cli {

namespace {

// Ctrl-C or SIGTERM (a batch system's time limit) stops the sweep cleanly: no new cases, every finished one
// written. A second signal takes the default action (the files stay valid; --resume redoes what was lost).
std::atomic<bool> interrupt_requested{false};

extern "C" void on_stop_signal(int sig) {
  interrupt_requested = true;
  std::signal(sig, SIG_DFL);
}

struct StopSignals {
  StopSignals() {
    interrupt_requested = false;
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
  }
  ~StopSignals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
};

struct SweepArguments {
  std::string spec;
  std::string output;
  int threads = 0;
  bool resume = false;
  long long stop_after = 0;
  bool no_fsync = false;
  bool fsync_each = false;
  std::size_t chunk = 0;
  bool json = false;
};

// A bar redrawn in place on a terminal; otherwise a plain line every 10 % or 5 s, whichever comes first.
std::function<void(const sweep::SweepProgress&)> progress_printer() {
  if (isatty(fileno(stdout))) {
    return [](const sweep::SweepProgress& p) {
      fmt::print("\r{}   ", sweep::progress_bar(p));
      if (p.ran == p.to_run) fmt::print("\n");
      std::fflush(stdout);
    };
  }
  struct State {
    std::size_t last_decile = 0;
    double last_s = 0.0;
  };
  auto st = std::make_shared<State>();
  return [st](const sweep::SweepProgress& p) {
    if (p.to_run == 0) return;
    const std::size_t decile = 10 * p.ran / p.to_run;
    if (decile > st->last_decile || p.elapsed_s - st->last_s >= 5.0) {
      st->last_decile = decile;
      st->last_s = p.elapsed_s;
      fmt::print("{}\n", sweep::progress_line(p));
      std::fflush(stdout);
    }
  };
}

int report_result(const SweepArguments& a, const sweep::SweepSpec& spec, const sweep::SweepReport& r) {
  if (a.json) {
    nlohmann::json j{{"sweep", spec.name},         {"study", spec.study},   {"method", sweep::to_string(spec.method)},
                     {"spec_hash", spec.hash},      {"output", r.output},   {"cases", r.cases},
                     {"already_done", r.already_done}, {"ran", r.ran},      {"failed", r.failed},
                     {"complete", r.complete},      {"threads", r.threads}, {"ranks", r.ranks},
                     {"wall_s", r.wall_s},          {"invalid_files_redone", r.scan.invalid},
                     {"temporary_files_removed", r.scan.temporary},
                     {"interrupted", r.interrupted}};
    if (r.complete) j["summary"] = r.output + "/summary.csv";
    fmt::print("{}\n", j.dump(2));
  } else if (r.complete) {
    fmt::print("done: {} cases ({} failed), {} run now in {:.2f} s ({:.1f} cases/s); summary {}/summary.csv\n", r.cases, r.failed, r.ran,
               r.wall_s, r.wall_s > 0 ? static_cast<double>(r.ran) / r.wall_s : 0.0, r.output);
  } else {
    fmt::print("{} after {} cases{}: {} of {} cases are in; finish with: solidcell sweep {} --resume{}\n", r.interrupted ? "interrupted" : "stopped",
               r.ran, r.interrupted ? "" : " (--stop-after)", r.already_done + r.ran, r.cases, a.spec, a.output.empty() ? "" : " -o " + a.output);
  }
  return r.complete ? 0 : 3;
}

}  // namespace

Runner add_sweep_command(CLI::App& app) {
  auto* sub = app.add_subcommand("sweep", "Run a grid, Latin hypercube or Monte Carlo sweep of a study on all cores or MPI ranks (resumable)");
  auto a = std::make_shared<SweepArguments>();
  sub->add_option("SPEC", a->spec, "sweep spec (TOML): [sweep], [study], [[parameter]], [outputs]; see docs/sweeps.md")->required();
  sub->add_option("-o,--output", a->output, "output folder (default: the spec's [sweep] output, else NAME-sweep)");
  sub->add_option("--threads", a->threads, "worker threads (per rank under MPI); 0: every core (1 per rank under MPI)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  sub->add_flag("--resume", a->resume, "finish a sweep in the output folder: keep valid case files, run the rest");
  sub->add_option("--stop-after", a->stop_after, "stop after this many cases of this run (simulates an interruption; for tests)")
      ->check(CLI::Range(1LL, 1000000000LL));
  sub->add_flag("--fsync-each", a->fsync_each, "fsync every case file before its rename (default: one sync of the file system per manifest checkpoint)");
  sub->add_flag("--no-fsync", a->no_fsync, "no syncing at all (files stay atomic if the process is killed; --resume re-checks them after a crash)");
  sub->add_option("--chunk", a->chunk, "MPI: cases per hand-out (default: guided, from the cases left)");
  sub->add_flag("--json", a->json, "print the run's report as JSON");
  return [a]() {
    sweep::SweepOptions o;
    o.output = a->output;
    o.threads = a->threads;
    o.resume = a->resume;
    o.stop_after = static_cast<std::size_t>(a->stop_after);
    o.sync = !a->no_fsync;
    o.sync_each_case = a->fsync_each;
    o.chunk = a->chunk;
    StopSignals signals;
    o.interrupt = &interrupt_requested;

    if (sweep::launched_by_mpi()) {
      if (!sweep::mpi_built())
        throw InputError(InputLocation{"", 0, "mpirun"}, "", "this solidcell was built without MPI (cmake -DSOLIDCELL_WITH_MPI=ON); run it without mpirun");
      sweep::MpiSession session;
      const bool root = session.rank() == 0;
      try {
        const auto spec = sweep::read_sweep_spec(a->spec);
        if (root && !a->json) {
          // Announced once the runner has checked the spec, so a refused one prints only its error.
          o.started = [&spec, a, size = session.size()](const sweep::SweepProgress&) {
            fmt::print("sweep {}: {} study, {}, {} cases on {} ranks x {} thread(s)\n", spec.name, spec.study, sweep::to_string(spec.method),
                       spec.case_count(), size, std::max(1, a->threads));
            std::fflush(stdout);
          };
          o.progress = progress_printer();
        }
        const auto r = sweep::run_sweep_mpi(spec, o, session);
        return root ? report_result(*a, spec, r) : (r.complete || !root ? 0 : 3);
      } catch (const InputError&) {
        if (root) throw;
        return 2;  // rank 0 says why
      }
    }

    const auto spec = sweep::read_sweep_spec(a->spec);
    if (!a->json) {
      // Announced once the runner has checked the spec (study and parameters) and prepared the output folder, so a
      // refused spec prints only its error.
      o.started = [&spec, folder = sweep::output_folder(spec, o)](const sweep::SweepProgress&) {
        fmt::print("sweep {}: {} study, {}, {} cases, output {}\n", spec.name, spec.study, sweep::to_string(spec.method), spec.case_count(),
                   folder);
        std::fflush(stdout);
      };
      o.progress = progress_printer();
    }
    const auto r = sweep::run_sweep(spec, o);
    return report_result(*a, spec, r);
  };
}

}  // namespace solidcell::cli
