// The sweep's cost per case against the DFN discharge it runs (bench/README.md, "Sweeps"): 1000 DFN
// discharges of the LG M50 (a Latin hypercube over both particle radii, the negative diffusivity and the
// current; PyBaMM's default tolerances, solidcell's BDF, isothermal, as bench/dfn_discharge_bench.cpp's
// BM_DfnVaried1000) run
//   bare        one study worker on one thread, the cases' values from the sampler, nothing written (timed from
//               reading the spec's cell and building the model, as any program doing these discharges must)
//   sweep       run_sweep() on 1 thread: the same worker plus the scheduler, one HDF5 file per case (renamed
//               into place), the manifest and the summary; without and with the time series in the files;
//               syncing: none, the default (one syncfs per manifest checkpoint), or an fsync per case file
//   2 threads   run_sweep() on 2 threads (time series; default syncing, and an fsync per case file)
//   batched     the same with [outputs] cases_per_file = K (--batch, default 1000; batch files, written when
//               full and at each manifest checkpoint), on 1 and 2 threads
//   store       the case files alone: written, then read back as the summary does
// CPU times are of the whole process (getrusage: all threads), so another program's load on a shared
// machine does not count; wall times are given too. Overhead per case = (sweep CPU - bare CPU) / cases.
//
//   sweep_bench [--cases N] [--repeats R] [--batch K] [--write-spec FILE [--cases-per-file K]]
// --write-spec writes the spec and exits, for the MPI runs: mpirun -n 1|2 solidcell sweep FILE --json.
// The bare reference and the batched runs, whose difference is small, take turns R times (default 3) and give
// their medians.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "solidcell/sweep/batch_file.hpp"
#include "solidcell/sweep/case_file.hpp"
#include "solidcell/sweep/sampling.hpp"
#include "solidcell/sweep/study.hpp"
#include "solidcell/sweep/sweep_runner.hpp"

namespace {

using namespace solidcell;
namespace fs = std::filesystem;

std::string spec_text(int cases, int cases_per_file = 1) {
  return fmt::format(R"([sweep]
name = "bench-dfn-1000"
study = "experiment"
method = "latin_hypercube"
samples = {}
seed = 20240601

[study]
cell = "lgm50"
model = "dfn"
experiment = "Discharge at {{current_A}} A until 2.5 V"
initial_soc = 1.0
ambient_temperature_K = 298.15
isothermal = true
relative_tolerance = 1e-4
absolute_tolerance = 1e-6
integrator = "bdf"

[[parameter]]
name = "Negative particle radius [m]"
low = 4.688e-6
high = 7.032e-6

[[parameter]]
name = "Positive particle radius [m]"
low = 4.176e-6
high = 6.264e-6

[[parameter]]
name = "Negative particle diffusivity [m2.s-1]"
low = 2.64e-14
high = 3.96e-14

[[parameter]]
name = "current_A"
low = 4.0
high = 6.0
{})",
                     cases, cases_per_file > 1 ? fmt::format("\n[outputs]\ncases_per_file = {}\n", cases_per_file) : std::string());
}

double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec); };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

double wall_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Timing {
  double cpu = 0, wall = 0;
  std::size_t failed = 0;
};

// What any program running these discharges does: read the cell, build the model once, run every case (with
// the arrays of the case files collected when `time_series`); the sweep adds its scheduling and its files.
Timing bare(const sweep::SweepSpec& spec, bool time_series = false) {
  Timing t;
  const double c0 = cpu_s(), w0 = wall_s();
  const auto study = sweep::make_study(spec);
  const sweep::CaseSampler sampler(spec);
  const auto worker = study->make_worker(time_series);
  const auto n = study->scalar_names().size();
  for (std::size_t k = 0; k < sampler.size(); ++k) {
    const auto v = sampler.values(k);
    t.failed += !sweep::run_case_safely(*worker, v, n).failure.empty();
  }
  t.cpu = cpu_s() - c0;
  t.wall = wall_s() - w0;
  return t;
}

// sync: 0 none, 1 the default (a syncfs per manifest checkpoint), 2 an fsync per case file as well.
Timing through_sweep(sweep::SweepSpec spec, int threads, bool time_series, int sync, const fs::path& dir, std::size_t cases_per_file = 1) {
  spec.time_series = time_series;
  spec.cases_per_file = cases_per_file;
  fs::remove_all(dir);
  sweep::SweepOptions o;
  o.output = dir.string();
  o.threads = threads;
  o.sync = sync > 0;
  o.sync_each_case = sync > 1;
  Timing t;
  const double c0 = cpu_s(), w0 = wall_s();
  const auto r = sweep::run_sweep(spec, o);
  t.cpu = cpu_s() - c0;
  t.wall = wall_s() - w0;
  t.failed = r.failed;
  fs::remove_all(dir);
  return t;
}

// The result store alone: write `n` case files like the sweep's (8 scalars, 4 parameters; with time series
// 5 arrays of 120 rows, about a BDF discharge's rows) and read them back as the summary does.
// batch > 1: batch files of that many cases instead.
std::pair<Timing, Timing> store_only(std::size_t n, bool time_series, const fs::path& dir, std::size_t batch = 1) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  sweep::CaseRecord r;
  r.sweep = "bench";
  r.study = "experiment";
  r.spec_hash = "0123456789abcdef";
  r.parameter_names = {"a", "b", "c", "d"};
  r.parameter_values = {1, 2, 3, 4};
  r.scalar_names = {"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"};
  r.scalars = {1, 2, 3, 4, 5, 6, 7, 8};
  if (time_series)
    for (const char* name : {"Time [s]", "Current [A]", "Voltage [V]", "Discharge capacity [A.h]", "Temperature [K]"})
      r.arrays.push_back({name, "", std::vector<double>(120, 1.0)});
  Timing w, rd;
  double c0 = cpu_s(), w0 = wall_s();
  std::vector<sweep::CaseRecord> waiting;
  for (std::size_t k = 0; k < n; ++k) {
    r.id = k;
    if (batch == 1) {
      sweep::write_case_file(dir, r, false);
      continue;
    }
    waiting.push_back(r);
    if (waiting.size() == batch || k + 1 == n) {
      sweep::write_batch_file(dir, waiting, false);
      waiting.clear();
    }
  }
  w.cpu = cpu_s() - c0;
  w.wall = wall_s() - w0;
  c0 = cpu_s();
  w0 = wall_s();
  if (batch == 1)
    for (std::size_t k = 0; k < n; ++k) rd.failed += !sweep::read_case_file(dir / sweep::case_file_name(k)).has_value();
  else
    for (std::size_t k = 0; k < n; k += batch) rd.failed += !sweep::read_batch_file(dir / sweep::batch_file_name(k)).has_value();
  rd.cpu = cpu_s() - c0;
  rd.wall = wall_s() - w0;
  fs::remove_all(dir);
  return {w, rd};
}

}  // namespace

Timing median(std::vector<Timing> t) {
  std::sort(t.begin(), t.end(), [](const Timing& a, const Timing& b) { return a.cpu < b.cpu; });
  return t[t.size() / 2];
}

int main(int argc, char** argv) {
  int cases = 1000, repeats = 3, cases_per_file = 1;
  std::size_t batch = 1000;  // cases per file of the batched runs
  const char* spec_file = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--cases") == 0 && i + 1 < argc) cases = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) repeats = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--cases-per-file") == 0 && i + 1 < argc) cases_per_file = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc) batch = static_cast<std::size_t>(std::atoi(argv[++i]));
    if (std::strcmp(argv[i], "--write-spec") == 0 && i + 1 < argc) spec_file = argv[++i];
  }
  if (spec_file) {
    std::ofstream(spec_file) << spec_text(cases, cases_per_file);
    return 0;
  }
  const auto spec = sweep::parse_sweep_spec(spec_text(cases), "sweep_bench");
  const auto dir = fs::temp_directory_path() / fmt::format("solidcell_sweep_bench_{}", ::getpid());
  bare(spec);  // warm-up: page cache, allocator
  // The reference and the batched runs, whose difference is small, take turns (so that a drift of the machine's
  // speed touches them alike) and give their medians.
  std::vector<Timing> bares, bares_series, batched_scalars_runs, batched_runs, batched_two_runs;
  for (int k = 0; k < std::max(1, repeats); ++k) {
    bares.push_back(bare(spec));
    bares_series.push_back(bare(spec, true));
    batched_scalars_runs.push_back(through_sweep(spec, 1, false, 1, dir, batch));
    batched_runs.push_back(through_sweep(spec, 1, true, 1, dir, batch));
    batched_two_runs.push_back(through_sweep(spec, 2, true, 1, dir, batch));
  }
  const auto b = median(bares), b_series = median(bares_series), batched_scalars = median(batched_scalars_runs), batched = median(batched_runs), batched_two = median(batched_two_runs);
  const auto s_none = through_sweep(spec, 1, false, 0, dir);
  const auto s_plain = through_sweep(spec, 1, false, 1, dir);
  const auto s_series = through_sweep(spec, 1, true, 1, dir);
  const auto s_sync = through_sweep(spec, 1, true, 2, dir);
  const auto two = through_sweep(spec, 2, true, 1, dir);
  const auto two_sync = through_sweep(spec, 2, true, 2, dir);
  const auto [write_plain, read_plain] = store_only(static_cast<std::size_t>(cases), false, dir);
  const auto [write_series, read_series] = store_only(static_cast<std::size_t>(cases), true, dir);
  const auto [write_batches, read_batches] = store_only(static_cast<std::size_t>(cases), true, dir, 500);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);

  const double n = cases;
  auto row = [&](const char* what, const Timing& t) {
    const double over = (t.cpu - b.cpu) / n;
    fmt::print("| {} | {:.3f} s | {:.3f} s | {:.3f} ms | {:+.1f} us ({:+.2f} %) | {} |\n", what, t.cpu, t.wall, 1e3 * t.cpu / n, 1e6 * over,
               100.0 * over / (b.cpu / n), t.failed);
  };
  fmt::print("{} DFN discharges (LG M50, BDF, rtol 1e-4, atol 1e-6), load average {:.2f}\n\n", cases, load[0]);
  fmt::print("| run | CPU (all threads) | wall | CPU per case | sweep overhead per case (vs bare) | failed |\n|---|---|---|---|---|---|\n");
  fmt::print("| bare: worker on 1 thread, nothing written | {:.3f} s | {:.3f} s | {:.3f} ms | reference | {} |\n", b.cpu, b.wall, 1e3 * b.cpu / n,
             b.failed);
  row("sweep, 1 thread, scalars only, no syncing", s_none);
  row("sweep, 1 thread, scalars only, default syncing", s_plain);
  row("sweep, 1 thread, with time series, default syncing", s_series);
  row("sweep, 1 thread, with time series, fsync per case", s_sync);
  row("sweep, 2 threads, with time series, default syncing", two);
  row("sweep, 2 threads, with time series, fsync per case", two_sync);
  row("bare, 1 thread, arrays collected, nothing written", b_series);
  const auto per_file = [&](const char* what) { return fmt::format("sweep, {}, {} cases per file, default syncing", what, batch); };
  row(per_file("1 thread, scalars only").c_str(), batched_scalars);
  row(per_file("1 thread, with time series").c_str(), batched);
  row(per_file("2 threads, with time series").c_str(), batched_two);
  auto part = [&](const char* what, const Timing& t) {
    fmt::print("| {} | {:.3f} s | {:.3f} s | {:.1f} us | | {} |\n", what, t.cpu, t.wall, 1e6 * t.cpu / n, t.failed);
  };
  part("store alone: write case files, scalars only", write_plain);
  part("store alone: read them back (summary)", read_plain);
  part("store alone: write case files, with time series", write_series);
  part("store alone: read them back (summary)", read_series);
  part("store alone: write batch files of 500 cases, with time series", write_batches);
  part("store alone: read them back (summary)", read_batches);
  return 0;
}
