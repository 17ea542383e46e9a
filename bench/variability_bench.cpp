// Variability study timings (bench/README.md, "Manufacturing variability"): the target is a 100,000-cell
// study with the fast model in under 30 s on 2 cores. BM_Variability100k runs run_variability() for the built-in
// solid-state cell assb-sulfide-li (scatter data/variability/sulfide-assb-pilot.toml, seed 1) and the liquid
// baseline liquid-ncm811-graphite on 2 threads: sampling, design figures of every cell, the real solid-state /
// liquid DFN runs of the response-surface design and its held-out check, evaluation, grading and statistics.
// BM_RealRunsReference times 200 real 1C discharge + pulse pairs of the same cell on the same 2 threads
// (per_cell mode), the same-run reference that shows what 100,000 real runs would cost.
#include <benchmark/benchmark.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/production/variability.hpp"

namespace {

using namespace solidcell;

const char* cell_names[] = {"assb-sulfide-li", "liquid-ncm811-graphite"};

void report(benchmark::State& state, const production::VariabilityResult& r) {
  state.counters["cells"] = static_cast<double>(r.cells);
  state.counters["threads"] = r.threads;
  state.counters["yield"] = r.yield;
  for (const auto& d : r.distributions)
    if (d.key == "model_capacity_Ah") state.counters["capacity_cv"] = d.std / d.mean;
  if (r.surrogate) {
    state.counters["real_runs"] = r.surrogate->fit_runs + r.surrogate->validation_runs;
    state.counters["real_run_s"] = r.surrogate->real_run_s;
    state.counters["surrogate_cap_max_err"] = r.surrogate->capacity_validation_max;
    state.counters["surrogate_res_max_err"] = r.surrogate->resistance_validation_max;
  }
}

void BM_Variability100k(benchmark::State& state) {
  const auto c = cell::load_cell(cell_names[state.range(0)]);
  const auto spec = production::load_variability(production::default_variability_for(c));
  production::VariabilityOptions o;
  o.cells = 100000;
  o.seed = 1;
  o.threads = 2;
  production::VariabilityResult r;
  for (auto _ : state) {
    r = production::run_variability(c, spec, o);
    benchmark::DoNotOptimize(r.model_capacity_Ah.data());
  }
  report(state, r);
  state.SetLabel(c.name);
}

void BM_RealRunsReference(benchmark::State& state) {
  const auto c = cell::load_cell(cell_names[state.range(0)]);
  const auto spec = production::load_variability(production::default_variability_for(c));
  production::VariabilityOptions o;
  o.cells = 200;
  o.seed = 1;
  o.threads = 2;
  o.electrochemistry = production::Electrochemistry::per_cell;
  production::VariabilityResult r;
  for (auto _ : state) {
    r = production::run_variability(c, spec, o);
    benchmark::DoNotOptimize(r.model_capacity_Ah.data());
  }
  report(state, r);
  state.SetLabel(c.name);
}

BENCHMARK(BM_Variability100k)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1)->Repetitions(3)->UseRealTime();
BENCHMARK(BM_RealRunsReference)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1)->Repetitions(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
