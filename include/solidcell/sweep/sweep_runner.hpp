#pragma once
// Runs a sweep: on the threads of this process (run_sweep), or on MPI ranks (mpi_executor.hpp). Each
// thread holds one study worker (a built model, say) and takes case ids from a shared counter; results do
// not depend on the thread count because each case is a pure function of the spec and its id.
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

#include "solidcell/sweep/result_store.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {

struct SweepProgress {
  std::size_t cases = 0;          // in the sweep
  std::size_t already_done = 0;   // found done before this run (--resume)
  std::size_t to_run = 0;         // in this run
  std::size_t ran = 0;            // of to_run, finished
  std::size_t failed = 0;         // of ran
  double elapsed_s = 0.0;
};

struct SweepOptions {
  std::string output;          // the folder; empty: the spec's output, else "<spec name>-sweep"
  int threads = 0;             // per process (per rank under MPI); 0: every core (under MPI: 1)
  bool resume = false;
  std::size_t stop_after = 0;  // > 0: hand out no more than this many cases, then stop (simulates an interruption)
  // Durability against power loss (a kill cannot break a file either way: each is renamed into place whole).
  // Default: one syncfs() of the output's file system at each manifest checkpoint (every 2 s and at the end);
  // a file lost to a crash between checkpoints fails --resume's check and is redone.
  bool sync = true;             // false: no syncing at all
  bool sync_each_case = false;  // also fsync every case file before its rename
  std::size_t chunk = 0;       // MPI: cases per message; 0: chosen from the cases left and the ranks
  // Set (from a signal handler, say) to stop: no new cases start, the running ones finish, every finished
  // case is written, and the run returns with complete = false and interrupted = true.
  const std::atomic<bool>* interrupt = nullptr;
  double progress_interval_s = 0.2;
  std::function<void(const SweepProgress&)> progress;  // from the coordinating thread
  // Called once the spec is checked (its study made and its parameters bound) and the output folder prepared, before
  // the first case: a caller that announces the sweep here prints nothing for a spec that is refused. From the
  // calling thread; under MPI on rank 0 only (the one that prepares the folder).
  std::function<void(const SweepProgress&)> started;
};

struct SweepReport {
  std::string output;
  std::size_t cases = 0;
  std::size_t already_done = 0;
  std::size_t ran = 0;
  std::size_t failed = 0;  // in the whole sweep
  ResumeScan scan;
  bool complete = false;
  bool interrupted = false;  // options.interrupt was set
  std::size_t summary_rows = 0;
  double wall_s = 0.0;
  int threads = 0;
  int ranks = 1;
};

std::string output_folder(const SweepSpec& spec, const SweepOptions& options);
SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options);

// "[#########...........] 420/1000  38.2 cases/s  ETA 15 s" for a terminal, and the plain line
// "case 420/1000 done (38.2/s, ETA 15 s)" otherwise.
std::string progress_bar(const SweepProgress& p, int width = 30);
std::string progress_line(const SweepProgress& p);
std::string format_duration(double seconds);

}  // namespace solidcell::sweep
