// Lumped abuse-test timings (bench/README.md, "Lumped oven test"): Kim 2007's LiCoO2 18650 in a 155 C oven for
// 4 hours (the case tools/abuse_reference.py solves with SciPy in the same run of bench/run_abuse_bench.sh),
// the GB 38031-2025 heating test of the built-in liquid cell (ramp, 30 min hold, 1 h observation, with the
// separator short and the venting check), and the bisection for a cell's runaway threshold.
#include <cmath>
#include <string>

#include <benchmark/benchmark.h>

// DoNotOptimize(double&) is not used here: with Debian's Google Benchmark 1.7 and GCC 12 its "+r,m" asm
// constraint made the loop's last value read back as 0 in the counters; the results are used, not elided.

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "support/kim2007_cell.hpp"

namespace {

using namespace solidcell;

// Times one heating-type test and reports its peak temperature (and a solver failure as an error).
void time_heating_test(benchmark::State& state, const abuse::CellInventory& cell, const abuse::ReactionNetwork& network,
                       const abuse::HeatingProcedure& procedure) {
  double peak = 0.0;
  std::string failure;
  for (auto _ : state) {
    const auto r = abuse::run_heating_test(cell, network, procedure);
    peak = r.verdict.peak_temperature_K;
    failure = r.failure;
    benchmark::ClobberMemory();
  }
  if (!failure.empty()) state.SkipWithError(failure.c_str());
  state.counters["peak_C"] = peak - 273.15;
}

void BM_KimOven155C(benchmark::State& state) {
  abuse::OvenThresholdOptions o;
  o.room_K = 298.15;
  o.convection_W_per_m2_K = 7.17;
  o.emissivity = 0.8;
  time_heating_test(state, abuse::test_cells::kim_18650(), abuse::load_reaction_network("kim2007-lco-graphite"),
                    abuse::constant_oven(155.0 + 273.15, o));
}

void BM_HeatingTestGb38031LiquidCell(benchmark::State& state) {
  time_heating_test(state, abuse::cell_inventory(cell::load_cell("liquid-ncm811-graphite")), abuse::load_reaction_network("liquid-ncm-graphite"),
                    abuse::load_heating_procedure("gb38031-2025"));
}

void BM_OvenThresholdLiquidCell(benchmark::State& state) {
  const auto cell = abuse::cell_inventory(cell::load_cell("liquid-ncm811-graphite"));
  const auto network = abuse::load_reaction_network("liquid-ncm-graphite");
  double threshold = 0.0;
  int runs = 0;
  for (auto _ : state) {
    const auto t = abuse::oven_threshold(cell, network);
    threshold = t.threshold_K.value_or(0.0);
    runs = t.runs;
    benchmark::ClobberMemory();
  }
  state.counters["threshold_C"] = threshold - 273.15;
  state.counters["runs"] = runs;
}

BENCHMARK(BM_KimOven155C)->Unit(benchmark::kMillisecond)->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_HeatingTestGb38031LiquidCell)->Unit(benchmark::kMillisecond)->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_OvenThresholdLiquidCell)->Unit(benchmark::kMillisecond)->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
