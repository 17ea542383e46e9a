// The DFN speed benchmark of the issue: a 1C (5 A) constant-current discharge of the LG M50 (built-in cell
// "lgm50", Chen 2020) from 100 % SOC to 2.5 V at 298.15 K, 10 finite volumes per region and 10 shells per
// particle, relative tolerance 1e-8 (PyBaMM's reference uses IDAKLU with rtol = atol = 1e-8).
// bench/run_bench.sh runs this and PyBaMM's timing in the same run and prints the ratios.
//
//   BM_DfnSolveOnly        model built once, run_experiment() again and again (PyBaMM: solver.solve(built_model))
//   BM_DfnEndToEnd         load the cell file, model parameters, make_model, parse the step, solve
//                          (PyBaMM: DFN() + ParameterValues + Simulation + solve)
//   BM_DfnVaried1000/threads:2   1000 discharges, each with its own parameters (particle radii and
//                          diffusivities of both electrodes and the current, each uniform within +-20 %,
//                          seed 20240601), on 2 threads through the public library API
//
// `dfn_discharge_bench --peak-memory` instead runs one end-to-end discharge in a fresh process and prints
// the peak resident set (getrusage ru_maxrss) before and after it, as JSON.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace {

using namespace solidcell;

constexpr const char* cell_name = "lgm50";
constexpr const char* protocol = "Discharge at 5 A until 2.5 V";  // 1C of the 5 A.h cell, as in PyBaMM's timing
constexpr double relative_tolerance = 1e-8;
constexpr int varied_cases = 1000;
constexpr unsigned varied_seed = 20240601;

experiment::SimulationOptions options() {
  experiment::SimulationOptions o;
  o.initial_soc = 1.0;
  o.ambient_temperature_K = 298.15;
  o.relative_tolerance = relative_tolerance;
  return o;
}

// One discharge from a built model; returns the final discharge capacity, or NaN after a solver failure.
double discharge(electrochem::BatteryModel& model, const std::vector<experiment::Step>& steps) {
  auto sol = experiment::run_experiment(model, steps, options());
  if (sol.failure || sol.discharge_capacity_Ah.empty()) return std::nan("");
  return sol.discharge_capacity_Ah.back();
}

// PyBaMM's reference is isothermal: switch off the cell's lumped thermal model on our side too.
electrochem::CellParameters isothermal(electrochem::CellParameters p) {
  p.thermal.reset();
  return p;
}

// Everything a user pays for one discharge: read the cell (TOML + material library), build, solve.
double end_to_end() {
  auto cell = cell::load_cell(cell_name);
  auto parameters = isothermal(electrochem::model_parameters(cell));
  auto model = electrochem::make_model("dfn", parameters, electrochem::Mesh{});
  auto steps = experiment::parse_experiment(protocol, "bench");
  return discharge(*model, steps);
}

void BM_DfnSolveOnly(benchmark::State& state) {
  auto parameters = isothermal(electrochem::model_parameters(cell::load_cell(cell_name)));
  auto model = electrochem::make_model("dfn", parameters, electrochem::Mesh{});
  auto steps = experiment::parse_experiment(protocol, "bench");
  double q = discharge(*model, steps);  // warm-up, as PyBaMM's timing does
  for (auto _ : state) {
    q = discharge(*model, steps);
    benchmark::DoNotOptimize(q);
  }
  if (!std::isfinite(q)) state.SkipWithError("solver failure");
  state.counters["capacity_Ah"] = q;
  state.counters["unknowns"] = static_cast<double>(model->size());
}

void BM_DfnEndToEnd(benchmark::State& state) {
  double q = 0.0;
  for (auto _ : state) {
    q = end_to_end();
    benchmark::DoNotOptimize(q);
  }
  if (!std::isfinite(q)) state.SkipWithError("solver failure");
  state.counters["capacity_Ah"] = q;
}

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec); };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

struct VariedCase {
  double negative_radius, positive_radius, negative_diffusivity, positive_diffusivity, current;  // factors
};

std::vector<VariedCase> varied_case_list() {
  std::mt19937_64 rng(varied_seed);
  std::uniform_real_distribution<double> f(0.8, 1.2);
  std::vector<VariedCase> cases(varied_cases);
  for (auto& c : cases) c = {f(rng), f(rng), f(rng), f(rng), f(rng)};
  return cases;
}

// Each iteration: all 1000 cases; `threads` workers take cases from a shared counter. The cell is read
// once; each case copies its parameters, changes them, builds its model and solves.
void BM_DfnVaried1000(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto base = isothermal(electrochem::model_parameters(cell::load_cell(cell_name)));
  const auto cases = varied_case_list();
  std::vector<double> capacity(cases.size());
  double process_cpu_s = 0.0;
  for (auto _ : state) {
    const double cpu_start = process_cpu_seconds();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (std::size_t k = next++; k < cases.size(); k = next++) {
        const auto& c = cases[k];
        auto p = base;
        auto& n = *p.negative;
        n.particle_radius_m *= c.negative_radius;
        n.surface_area_per_volume = 3.0 * n.active_fraction / n.particle_radius_m;
        n.diffusivity *= c.negative_diffusivity;
        p.positive.particle_radius_m *= c.positive_radius;
        p.positive.surface_area_per_volume = 3.0 * p.positive.active_fraction / p.positive.particle_radius_m;
        p.positive.diffusivity *= c.positive_diffusivity;
        auto model = electrochem::make_model("dfn", p, electrochem::Mesh{});
        auto steps = experiment::parse_experiment(fmt::format("Discharge at {:.6f} A until 2.5 V", 5.0 * c.current), "bench");
        capacity[k] = discharge(*model, steps);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(capacity.data());
    process_cpu_s += process_cpu_seconds() - cpu_start;
  }
  auto failed = std::count_if(capacity.begin(), capacity.end(), [](double q) { return !std::isfinite(q); });
  auto [lo, hi] = std::minmax_element(capacity.begin(), capacity.end());
  state.counters["cases"] = static_cast<double>(cases.size());
  state.counters["failed"] = static_cast<double>(failed);
  state.counters["capacity_min_Ah"] = *lo;
  state.counters["capacity_max_Ah"] = *hi;
  state.counters["threads"] = threads;
  // CPU time of all threads per iteration (Google Benchmark's own CPU time is the main thread's only).
  state.counters["process_cpu_s"] = process_cpu_s / static_cast<double>(state.iterations());
  if (failed) state.SkipWithError(fmt::format("{} of {} discharges failed", failed, cases.size()).c_str());
}

// Medians over repetitions are what run_bench.sh reports (the *_median aggregates).
BENCHMARK(BM_DfnSolveOnly)->Unit(benchmark::kMillisecond)->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_DfnEndToEnd)->Unit(benchmark::kMillisecond)->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_DfnVaried1000)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->UseRealTime();

double max_rss_MB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int peak_memory() {
  double before = max_rss_MB();
  double q = end_to_end();
  double after = max_rss_MB();
  std::printf("{\"peak_rss_before_MB\": %.3f, \"peak_rss_after_MB\": %.3f, \"discharge_MB\": %.3f, \"capacity_Ah\": %.9f}\n", before,
              after, after - before, q);
  return std::isfinite(q) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--peak-memory") == 0) return peak_memory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
