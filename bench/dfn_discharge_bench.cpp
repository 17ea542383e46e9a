// The DFN speed benchmark of the issue: a 1C (5 A) constant-current discharge of the LG M50 (built-in cell
// "lgm50", Chen 2020) from 100 % SOC to 2.5 V at 298.15 K, 10 finite volumes per region and 10 shells per
// particle. bench/run_bench.sh runs this and PyBaMM's timing in the same run and prints the ratios.
//
// Every benchmark takes two arguments: the tolerance setting (0: rtol = atol = 1e-8, as the cross-check's
// PyBaMM reference; 1: rtol 1e-4, atol 1e-6, PyBaMM's IDAKLUSolver defaults) and the integrator (0: IDA
// with KLU, 1: solidcell's BDF).
//   BM_DfnSolveOnly        model built once, run_experiment() again and again (PyBaMM: solver.solve(built_model))
//   BM_DfnEndToEnd         load the cell file, model parameters, make_model, parse the step, solve
//                          (PyBaMM: DFN() + ParameterValues + Simulation + solve)
//   BM_DfnVaried1000       1000 discharges, each with its own parameters (particle radii and diffusivities of
//                          both electrodes and the current, each uniform within +-20 %, seed 20240601), on 2
//                          threads through the public library API: one model per thread, the parameters set
//                          as inputs (BatteryModel::set_input), no rebuilding
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
constexpr int varied_cases = 1000;
constexpr unsigned varied_seed = 20240601;

// setting 0: rtol = atol = 1e-8; setting 1: PyBaMM's defaults, rtol 1e-4 and atol 1e-6. integrator 0: IDA, 1: BDF.
experiment::SimulationOptions options(int setting, int integrator) {
  experiment::SimulationOptions o;
  o.initial_soc = 1.0;
  o.ambient_temperature_K = 298.15;
  o.relative_tolerance = setting == 0 ? 1e-8 : 1e-4;
  o.absolute_tolerance = setting == 0 ? 1e-8 : 1e-6;
  o.integrator = integrator == 0 ? numerics::IntegratorKind::ida : numerics::IntegratorKind::bdf;
  return o;
}

// One discharge from a built model; returns the final discharge capacity, or NaN after a solver failure.
double discharge(electrochem::BatteryModel& model, const std::vector<experiment::Step>& steps, const experiment::SimulationOptions& o) {
  auto sol = experiment::run_experiment(model, steps, o);
  if (sol.failure || sol.discharge_capacity_Ah.empty()) return std::nan("");
  return sol.discharge_capacity_Ah.back();
}

// PyBaMM's reference is isothermal: switch off the cell's lumped thermal model on our side too.
electrochem::CellParameters isothermal(electrochem::CellParameters p) {
  p.thermal.reset();
  return p;
}

// Everything a user pays for one discharge: read the cell (TOML + material library), build, solve.
double end_to_end(const experiment::SimulationOptions& o) {
  auto cell = cell::load_cell(cell_name);
  auto parameters = isothermal(electrochem::model_parameters(cell));
  auto model = electrochem::make_model("dfn", parameters, electrochem::Mesh{});
  auto steps = experiment::parse_experiment(protocol, "bench");
  return discharge(*model, steps, o);
}

void BM_DfnSolveOnly(benchmark::State& state) {
  const auto o = options(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  auto parameters = isothermal(electrochem::model_parameters(cell::load_cell(cell_name)));
  auto model = electrochem::make_model("dfn", parameters, electrochem::Mesh{});
  auto steps = experiment::parse_experiment(protocol, "bench");
  double q = discharge(*model, steps, o);  // warm-up, as PyBaMM's timing does
  for (auto _ : state) {
    q = discharge(*model, steps, o);
    benchmark::DoNotOptimize(q);
  }
  if (!std::isfinite(q)) state.SkipWithError("solver failure");
  state.counters["capacity_Ah"] = q;
  state.counters["unknowns"] = static_cast<double>(model->size());
  const auto work = experiment::run_experiment(*model, steps, o).solver;
  state.counters["steps"] = static_cast<double>(work.steps);
  state.counters["residuals"] = static_cast<double>(work.residual_evaluations);
  state.counters["jacobians"] = static_cast<double>(work.jacobian_evaluations);
  state.counters["jacobian_residuals"] = static_cast<double>(work.jacobian_residual_evaluations);
}

void BM_DfnEndToEnd(benchmark::State& state) {
  const auto o = options(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  double q = 0.0;
  for (auto _ : state) {
    q = end_to_end(o);
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

// Each iteration: all 1000 cases; 2 workers take cases from a shared counter. The cell is read once; each
// worker builds one model and, for each case, sets its parameters as inputs and solves.
void BM_DfnVaried1000(benchmark::State& state) {
  const int threads = 2;
  const auto o = options(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const auto base = isothermal(electrochem::model_parameters(cell::load_cell(cell_name)));
  const auto cases = varied_case_list();
  std::vector<double> capacity(cases.size());
  double process_cpu_s = 0.0;
  for (auto _ : state) {
    const double cpu_start = process_cpu_seconds();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      auto model = electrochem::make_model("dfn", base, electrochem::Mesh{});
      for (std::size_t k = next++; k < cases.size(); k = next++) {
        const auto& c = cases[k];
        model->set_input("Negative particle radius [m]", base.negative->particle_radius_m * c.negative_radius);
        model->set_input("Positive particle radius [m]", base.positive.particle_radius_m * c.positive_radius);
        model->set_input("Negative particle diffusivity [m2.s-1]", base.negative->diffusivity * c.negative_diffusivity);
        model->set_input("Positive particle diffusivity [m2.s-1]", base.positive.diffusivity * c.positive_diffusivity);
        auto steps = experiment::parse_experiment(fmt::format("Discharge at {:.6f} A until 2.5 V", 5.0 * c.current), "bench");
        capacity[k] = discharge(*model, steps, o);
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
  state.counters["cases_per_s_cpu"] = static_cast<double>(cases.size()) / (process_cpu_s / static_cast<double>(state.iterations()));
  // CPU time of all threads per iteration (Google Benchmark's own CPU time is the main thread's only).
  state.counters["process_cpu_s"] = process_cpu_s / static_cast<double>(state.iterations());
  if (failed) state.SkipWithError(fmt::format("{} of {} discharges failed", failed, cases.size()).c_str());
}

// Medians over repetitions are what run_bench.sh reports (the *_median aggregates). Arguments: tolerance
// setting, integrator (see options()).
void settings_and_integrators(benchmark::internal::Benchmark* b) {
  b->ArgsProduct({{0, 1}, {0, 1}})->ArgNames({"setting", "bdf"})->Unit(benchmark::kMillisecond)->ReportAggregatesOnly(true);
}
BENCHMARK(BM_DfnSolveOnly)->Apply(settings_and_integrators)->MinTime(0.5)->Repetitions(5);
BENCHMARK(BM_DfnEndToEnd)->Apply(settings_and_integrators)->MinTime(0.5)->Repetitions(5);
BENCHMARK(BM_DfnVaried1000)->Apply(settings_and_integrators)->Iterations(1)->Repetitions(3)->UseRealTime();

double max_rss_MB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int peak_memory() {
  double before = max_rss_MB();
  double q = end_to_end(options(0, 0));
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
