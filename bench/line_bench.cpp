// Line simulation timings (bench/README.md, "Pilot-line simulation"): one operating year of the built-in
// 0.2 GWh sulfide pilot line from an empty line, and the M/M/1 queue (lambda 0.8, mu 1) simulated for as
// many events as the line year takes, as the same-run reference. Counters: cells simulated (started),
// good cells, events and events per second of wall time.
#include <benchmark/benchmark.h>

#include "solidcell/production/line.hpp"
#include "solidcell/production/line_run.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace {

using namespace solidcell::production;

void report(benchmark::State& state, const SimulationResult& r) {
  state.counters["cells_started"] = static_cast<double>(r.cells_started);
  state.counters["good_cells"] = static_cast<double>(r.good_cells);
  state.counters["events"] = static_cast<double>(r.events);
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(r.events) * static_cast<double>(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

void BM_SulfidePilotOneYear(benchmark::State& state) {
  const auto line = load_line("sulfide-assb-pilot");
  SimulationResult r;
  for (auto _ : state) {
    r = run_line(line);  // one operating year (7000 h), seed 1
    benchmark::ClobberMemory();
  }
  report(state, r);
  state.counters["GWh"] = static_cast<double>(r.good_cells) * line.cell_energy_Wh / 1e9;
}

void BM_MM1Reference(benchmark::State& state) {
  FlowLine line;
  FlowStation s;
  s.name = "server";
  s.cycle_time_s = 1.0;
  s.distribution = TimeDistribution::exponential;
  line.stations = {s};
  line.arrivals = {ArrivalProcess::Kind::poisson, 0.8};
  SimulationOptions o;
  o.period_s = 3.4e6;  // about 5.4 million events, as many as the line year
  SimulationResult r;
  for (auto _ : state) {
    r = simulate_line(line, o);
    benchmark::ClobberMemory();
  }
  report(state, r);
  state.counters["mean_wip"] = r.mean_wip_cells;  // theory 4
}

BENCHMARK(BM_SulfidePilotOneYear)->Unit(benchmark::kMillisecond)->MinTime(1.0)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_MM1Reference)->Unit(benchmark::kMillisecond)->MinTime(1.0)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
