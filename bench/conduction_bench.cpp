// 3D oven test of a pouch cell (the target: at least 20,000 control volumes, 2 hours of simulated
// time including the runaway, under 5 s on one core): 200 x 150 x 10 mm, 40 x 30 x 17 = 20,400 volumes,
// k = 25 / 25 / 0.8 W/(m K), rho c_p = 2.5 MJ/(m3 K), every face in an oven that ramps at 5 K/min from
// 25 C to 160 C and holds (h = 10 W/(m2 K), emissivity 0.8), and one Arrhenius decomposition
// (A = 5e20 /s, E = 200 kJ/mol, 1 GJ/m3: a 400 K adiabatic rise) that runs away during the hold.
// The same case without the reaction is the reference in the same run (bench/README.md: ratios only).
//   conduction_bench [--benchmark_filter=Runaway] [--benchmark_repetitions=3]
#include <algorithm>
#include <cmath>

#include <benchmark/benchmark.h>

#include "solidcell/thermal/conduction_3d.hpp"

namespace {

using namespace solidcell::thermal;

struct OvenRun {
  double peak_K = 0.0;
  double ignition_s = -1.0;  // first output time with a cell above 600 K
  double imbalance = 0.0;    // of the heat moved
  Conduction3dStatistics statistics;
};

OvenRun run_oven(bool with_reaction, double relative_tolerance, double absolute_tolerance_K, double newton_tolerance) {
  Conduction3d cell({40, 30, 17, 0.200, 0.150, 0.010});
  cell.set_conductivity(25.0, 25.0, 0.8);
  cell.set_heat_capacity(2.5e6);
  cell.set_all_faces(FaceCondition::convection_radiation(10.0, 0.8, [](double t) { return std::min(298.15 + t * (5.0 / 60.0), 433.15); }));
  if (with_reaction) {
    DecompositionReaction reaction;
    reaction.pre_exponential_factor_per_s = 5e20;
    reaction.activation_energy_J_per_mol = 2e5;
    reaction.heat_released_J_per_m3 = {1e9};
    cell.set_decomposition_reaction(reaction);
  }
  Conduction3dOptions options;
  options.relative_tolerance = relative_tolerance;
  options.absolute_tolerance_K = absolute_tolerance_K;
  options.newton_tolerance = newton_tolerance;
  cell.set_options(options);
  cell.set_initial_temperature(298.15);
  OvenRun run;
  for (double t = 60.0; t <= 7200.0; t += 60.0) {  // an output every minute, as a test report samples
    cell.advance_to(t);
    run.peak_K = std::max(run.peak_K, cell.max_temperature_K());
    if (run.ignition_s < 0.0 && cell.max_temperature_K() > 600.0) run.ignition_s = t;
  }
  const auto balance = cell.energy_balance();
  double moved = std::abs(balance.reaction_heat_J);
  for (double q : balance.heat_in_through_face_J) moved += std::abs(q);
  run.imbalance = balance.imbalance_J() / moved;
  run.statistics = cell.statistics();
  return run;
}

void report(benchmark::State& state, const OvenRun& run) {
  state.counters["control_volumes"] = 40 * 30 * 17;
  state.counters["steps"] = static_cast<double>(run.statistics.steps);
  state.counters["rejected"] = static_cast<double>(run.statistics.rejected_steps);
  state.counters["newton_failures"] = static_cast<double>(run.statistics.newton_failures);
  state.counters["newton_its"] = static_cast<double>(run.statistics.newton_iterations);
  state.counters["cg_its"] = static_cast<double>(run.statistics.linear_iterations);
  state.counters["peak_K"] = run.peak_K;
  state.counters["ignition_s"] = run.ignition_s;
  state.counters["imbalance"] = run.imbalance;
}

// args: relative tolerance x 1e6, absolute tolerance in mK, Newton tolerance x 1000.
void BM_OvenRunaway(benchmark::State& state) {
  OvenRun run;
  for (auto _ : state) {
    run = run_oven(true, static_cast<double>(state.range(0)) * 1e-6, static_cast<double>(state.range(1)) * 1e-3, static_cast<double>(state.range(2)) * 1e-3);
    benchmark::ClobberMemory();
  }
  report(state, run);
}

void BM_OvenConductionOnly(benchmark::State& state) {
  OvenRun run;
  for (auto _ : state) {
    run = run_oven(false, static_cast<double>(state.range(0)) * 1e-6, static_cast<double>(state.range(1)) * 1e-3, static_cast<double>(state.range(2)) * 1e-3);
    benchmark::ClobberMemory();
  }
  report(state, run);
}

}  // namespace

BENCHMARK(BM_OvenConductionOnly)->Args({1000, 500, 10})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_OvenRunaway)->Args({1000, 500, 10})->Args({1000, 500, 100})->Args({3000, 1000, 100})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
