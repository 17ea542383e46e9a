// 3D oven test of a pouch cell (and of a cylindrical one, further down) (the target: at least 20,000 control volumes, 2 hours of simulated
// time including the runaway, under 5 s on one core): 200 x 150 x 10 mm, 40 x 30 x 17 = 20,400 volumes,
// k = 25 / 25 / 0.8 W/(m K), rho c_p = 2.5 MJ/(m3 K), every face in an oven that ramps at 5 K/min from
// 25 C to 160 C and holds (h = 10 W/(m2 K), emissivity 0.8), and one Arrhenius decomposition
// (A = 5e20 /s, E = 200 kJ/mol, 1 GJ/m3: a 400 K adiabatic rise) that runs away during the hold.
// The same case without the reaction is the reference in the same run (bench/README.md: ratios only).
// The network case (the target proper): the built-in liquid-ncm811-graphite pouch (300 x 100 mm,
// stack from its design) as abuse::run_heating_test_3d builds it, 40 x 30 x 17 control volumes, the whole
// liquid-ncm-graphite network (SEI, negative-solvent, two NCM steps, electrolyte; thresholds; separator
// short at 165 C) in every control volume, oven 5 K/min from 25 C to 160 C, held to 2 h. A tight-tolerance
// run of the same case is the accuracy reference (its onset and peak are printed with the fast runs').
//   conduction_bench [--benchmark_filter=Runaway] [--benchmark_repetitions=3]
//   conduction_bench --benchmark_filter=PouchNetwork
#include <algorithm>
#include <cmath>
#include <optional>

#include <benchmark/benchmark.h>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/thermal/conduction_3d.hpp"

namespace {

using namespace solidcell::thermal;
namespace abuse = solidcell::abuse;

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

// The liquid pouch cell in a 160 C oven with its reaction network (setup outside the timing: the cell's
// inventory needs a DFN pulse).
struct PouchCase {
  solidcell::cell::Cell cell;
  abuse::CellInventory inventory;
  abuse::ReactionNetwork network;
  abuse::HeatingProcedure oven;
};
const PouchCase& pouch_case() {
  static const PouchCase c = [] {
    PouchCase p{solidcell::cell::load_cell("liquid-ncm811-graphite"), {}, abuse::load_reaction_network("liquid-ncm-graphite"), {}};
    p.inventory = abuse::cell_inventory(p.cell);
    p.oven.standard = "oven 160 C";
    p.oven.ambient_K = 298.15;
    p.oven.ramp_K_per_s = 5.0 / 60.0;
    p.oven.hold_temperature_K = 433.15;
    p.oven.hold_s = 7200.0 - (433.15 - 298.15) / p.oven.ramp_K_per_s;
    p.oven.observation_s = 0.0;
    p.oven.convection_W_per_m2_K = 10.0;
    p.oven.emissivity = 0.8;
    return p;
  }();
  return c;
}

abuse::AbuseResult3d run_pouch(double relative_tolerance, double absolute_tolerance_K, double newton_tolerance) {
  const auto& c = pouch_case();
  abuse::ThreeDOptions o;
  o.nx = 40;
  o.ny = 30;
  o.nz = 17;
  o.relative_tolerance = relative_tolerance;
  o.absolute_tolerance_K = absolute_tolerance_K;
  o.newton_tolerance = newton_tolerance;
  return abuse::run_heating_test_3d(c.cell, c.inventory, c.network, c.oven, o);
}

std::optional<abuse::AbuseResult3d> pouch_reference;

void report_pouch(benchmark::State& state, const abuse::AbuseResult3d& r) {
  state.counters["control_volumes"] = static_cast<double>(r.grid.cell_count());
  state.counters["steps"] = static_cast<double>(r.statistics.steps);
  state.counters["rejected"] = static_cast<double>(r.statistics.rejected_steps);
  state.counters["newton_failures"] = static_cast<double>(r.statistics.newton_failures);
  state.counters["newton_its"] = static_cast<double>(r.statistics.newton_iterations);
  state.counters["cg_its"] = static_cast<double>(r.statistics.linear_iterations);
  state.counters["peak_K"] = r.verdict.peak_temperature_K;
  state.counters["onset_s"] = r.verdict.onset_time_s.value_or(-1.0);
  state.counters["short_s"] = r.short_onset_s.value_or(-1.0);
  state.counters["imbalance"] = r.energy_balance_error_J / (1000.0 * r.heat_moved_kJ);
  state.counters["runaway"] = r.verdict.thermal_runaway ? 1.0 : 0.0;
  if (pouch_reference && r.verdict.onset_time_s && pouch_reference->verdict.onset_time_s) {
    state.counters["onset_vs_ref_s"] = *r.verdict.onset_time_s - *pouch_reference->verdict.onset_time_s;
    state.counters["peak_vs_ref_K"] = r.verdict.peak_temperature_K - pouch_reference->verdict.peak_temperature_K;
  }
  if (!r.failure.empty()) state.SkipWithError(r.failure.c_str());
}

// The reference: rtol 1e-5, atol 0.02 K, Newton tolerance 0.001.
void BM_PouchNetworkReference(benchmark::State& state) {
  pouch_case();
  for (auto _ : state) {
    pouch_reference = run_pouch(1e-5, 0.02, 1e-3);
    benchmark::ClobberMemory();
  }
  report_pouch(state, *pouch_reference);
}

// args as BM_OvenRunaway.
void BM_PouchNetworkRunaway(benchmark::State& state) {
  pouch_case();
  abuse::AbuseResult3d r;
  for (auto _ : state) {
    r = run_pouch(static_cast<double>(state.range(0)) * 1e-6, static_cast<double>(state.range(1)) * 1e-3, static_cast<double>(state.range(2)) * 1e-3);
    benchmark::ClobberMemory();
  }
  report_pouch(state, r);
}

// The built-in lgm50 (21700) in the same oven as a half cylinder (abuse::cylinder_box): 40 rings x 30
// angles x 17 heights = 20,400 control volumes, the can's wall in the outer ring, the liquid network and
// its separator short. Counters as the pouch's, and the lumped test's onset and peak for comparison.
struct CylinderCase {
  solidcell::cell::Cell cell;
  abuse::CellInventory inventory;
  abuse::ReactionNetwork network;
  abuse::AbuseResult lumped;
};
const CylinderCase& cylinder_case() {
  static const CylinderCase c = [] {
    CylinderCase k{solidcell::cell::load_cell("lgm50"), {}, abuse::load_reaction_network("liquid-ncm-graphite"), {}};
    k.inventory = abuse::cell_inventory(k.cell);
    k.lumped = abuse::run_heating_test(k.inventory, k.network, pouch_case().oven);
    return k;
  }();
  return c;
}

abuse::AbuseResult3d run_cylinder(double relative_tolerance, double absolute_tolerance_K, double newton_tolerance) {
  const auto& c = cylinder_case();
  abuse::ThreeDOptions o;
  o.nx = 40;
  o.ny = 30;
  o.nz = 17;
  o.relative_tolerance = relative_tolerance;
  o.absolute_tolerance_K = absolute_tolerance_K;
  o.newton_tolerance = newton_tolerance;
  return abuse::run_heating_test_3d(c.cell, c.inventory, c.network, pouch_case().oven, o);
}

std::optional<abuse::AbuseResult3d> cylinder_reference;

void report_cylinder(benchmark::State& state, const abuse::AbuseResult3d& r) {
  const auto reference = pouch_reference;
  pouch_reference = cylinder_reference;  // report_pouch compares with the reference it finds there
  report_pouch(state, r);
  pouch_reference = reference;
  const auto& lumped = cylinder_case().lumped;
  state.counters["lumped_onset_s"] = lumped.verdict.onset_time_s.value_or(-1.0);
  state.counters["lumped_peak_K"] = lumped.verdict.peak_temperature_K;
}

void BM_CylinderNetworkReference(benchmark::State& state) {
  cylinder_case();
  for (auto _ : state) {
    cylinder_reference = run_cylinder(1e-5, 0.02, 1e-3);
    benchmark::ClobberMemory();
  }
  report_cylinder(state, *cylinder_reference);
}

void BM_CylinderNetworkRunaway(benchmark::State& state) {
  cylinder_case();
  abuse::AbuseResult3d r;
  for (auto _ : state) {
    r = run_cylinder(static_cast<double>(state.range(0)) * 1e-6, static_cast<double>(state.range(1)) * 1e-3, static_cast<double>(state.range(2)) * 1e-3);
    benchmark::ClobberMemory();
  }
  report_cylinder(state, r);
}

}  // namespace

BENCHMARK(BM_CylinderNetworkReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_CylinderNetworkRunaway)->Args({1000, 500, 10})->Args({300, 200, 10})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_PouchNetworkReference)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_PouchNetworkRunaway)->Args({1000, 500, 10})->Args({300, 200, 10})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_OvenConductionOnly)->Args({1000, 500, 10})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_OvenRunaway)->Args({1000, 500, 10})->Args({1000, 500, 100})->Args({3000, 1000, 100})->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
