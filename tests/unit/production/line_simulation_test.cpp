// The discrete-event simulator against queueing theory: M/M/1, a Jackson tandem, a station with breakdowns,
// a two-station line with a finite buffer (exact birth-death result), plus conservation, reproducibility,
// OEE and the bottleneck. Statistical checks use independent replications (seeds 1..R): the replication
// mean must lie within 3 standard errors of theory, and the standard error itself must be small (below the
// stated fraction of the theory value) so that a wrong model cannot hide behind noise.
#include <cmath>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "solidcell/production/flow_line.hpp"
#include "solidcell/production/line_simulation.hpp"

namespace solidcell::production {
namespace {

struct Estimate {
  double mean = 0.0;
  double se = 0.0;
};

Estimate replicate(int runs, const std::function<double(std::uint64_t)>& one) {
  std::vector<double> x;
  for (int r = 1; r <= runs; ++r) x.push_back(one(static_cast<std::uint64_t>(r)));
  double m = 0.0;
  for (double v : x) m += v;
  m /= runs;
  double s2 = 0.0;
  for (double v : x) s2 += (v - m) * (v - m);
  s2 /= (runs - 1);
  return {m, std::sqrt(s2 / runs)};
}

void expect_close(const Estimate& e, double theory, double max_relative_se, const char* what) {
  EXPECT_LE(std::abs(e.mean - theory), 3.0 * e.se) << what << ": mean " << e.mean << " +- " << e.se << " vs theory " << theory;
  EXPECT_LE(e.se, max_relative_se * theory) << what << ": standard error too large to judge";
}

FlowStation exponential_station(const char* name, double mean_s, long long buffer = -1) {
  FlowStation s;
  s.name = name;
  s.cycle_time_s = mean_s;
  s.distribution = TimeDistribution::exponential;
  s.buffer_capacity = buffer;
  return s;
}

SimulationOptions options(double period, double warmup, std::uint64_t seed) {
  SimulationOptions o;
  o.period_s = period;
  o.warmup_s = warmup;
  o.seed = seed;
  return o;
}

}  // namespace

TEST(LineSimulation, MM1MatchesQueueingTheory) {
  // lambda = 0.7, mu = 1: throughput lambda, L = rho / (1 - rho) = 2.333, W = 1 / (mu - lambda) = 3.333 s.
  FlowLine line;
  line.stations = {exponential_station("server", 1.0)};
  line.arrivals = {ArrivalProcess::Kind::poisson, 0.7};
  std::vector<SimulationResult> runs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) runs.push_back(simulate_line(line, options(2e5, 2e3, seed)));
  auto pick = [&](auto f) { return replicate(10, [&](std::uint64_t s) { return f(runs[s - 1]); }); };
  expect_close(pick([](const SimulationResult& r) { return r.good_cells_per_s; }), 0.7, 0.01, "throughput");
  expect_close(pick([](const SimulationResult& r) { return r.mean_wip_cells; }), 0.7 / 0.3, 0.03, "mean WIP");
  expect_close(pick([](const SimulationResult& r) { return r.mean_lead_time_s; }), 1.0 / 0.3, 0.03, "lead time (Little)");
  expect_close(pick([](const SimulationResult& r) { return r.stations[0].busy_fraction; }), 0.7, 0.01, "utilisation");
}

TEST(LineSimulation, JacksonTandemMatchesProductForm) {
  // Two exponential stations in series, lambda = 0.5: rho1 = 0.5, rho2 = 0.8, L_i = rho_i / (1 - rho_i).
  FlowLine line;
  line.stations = {exponential_station("first", 1.0), exponential_station("second", 1.6)};
  line.arrivals = {ArrivalProcess::Kind::poisson, 0.5};
  std::vector<SimulationResult> runs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) runs.push_back(simulate_line(line, options(3e5, 3e3, seed)));
  auto station_wip = [&](int i) { return replicate(10, [&](std::uint64_t s) { return runs[s - 1].stations[i].mean_wip_cells; }); };
  expect_close(station_wip(0), 1.0, 0.03, "L1");
  expect_close(station_wip(1), 4.0, 0.04, "L2");
  expect_close(replicate(10, [&](std::uint64_t s) { return runs[s - 1].good_cells_per_s; }), 0.5, 0.01, "throughput");
}

TEST(LineSimulation, BreakdownsCutThroughputByAvailability) {
  // Deterministic 10 s station, always fed, MTBF 1000 s, MTTR 250 s: rate x MTBF / (MTBF + MTTR) = 0.08 /s.
  FlowLine line;
  FlowStation s;
  s.name = "machine";
  s.cycle_time_s = 10.0;
  s.mtbf_s = 1000.0;
  s.mttr_s = 250.0;
  line.stations = {s};
  std::vector<SimulationResult> runs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) runs.push_back(simulate_line(line, options(1e6, 0.0, seed)));
  const auto thr = replicate(10, [&](std::uint64_t k) { return runs[k - 1].good_cells_per_s; });
  expect_close(thr, 0.1 * 0.8, 0.01, "throughput with breakdowns");
  const auto avail = replicate(10, [&](std::uint64_t k) { return runs[k - 1].stations[0].availability; });
  expect_close(avail, 0.8, 0.01, "availability");
  // OEE of a saturated station that never waits: availability x performance (1) x quality (1).
  for (const auto& r : runs) {
    EXPECT_NEAR(r.stations[0].performance, 1.0, 0.002);
    EXPECT_DOUBLE_EQ(r.stations[0].quality, 1.0);
    EXPECT_NEAR(r.stations[0].oee, r.stations[0].availability, 0.002);
  }
}

TEST(LineSimulation, FiniteBufferTandemMatchesBirthDeathChain) {
  // Two exponential machines (mu = 1), first always fed, B places between them, blocking after service.
  // n = buffer + machine 2 + (machine 1 blocked) is a birth-death chain on 0..B+2 with equal rates, so
  // throughput = 1 - p0 = (B + 2) / (B + 3): 2/3 without a buffer (the classic two-machine result).
  double previous = 0.0;
  for (long long b : {0LL, 1LL, 4LL}) {
    FlowLine line;
    line.stations = {exponential_station("first", 1.0), exponential_station("second", 1.0, b)};
    const auto thr = replicate(10, [&](std::uint64_t seed) { return simulate_line(line, options(1e5, 1e3, seed)).good_cells_per_s; });
    const double theory = (static_cast<double>(b) + 2.0) / (static_cast<double>(b) + 3.0);
    expect_close(thr, theory, 0.01, "finite-buffer throughput");
    EXPECT_GT(thr.mean, previous) << "throughput must grow with the buffer";
    previous = thr.mean;
  }
}

TEST(LineSimulation, ConservesCellsExactly) {
  // Scrap, rework to an earlier station, batches, finite buffers, breakdowns and a warm-up.
  FlowLine line;
  FlowStation a = exponential_station("a", 2.0);
  a.scrap_fraction = 0.05;
  a.mtbf_s = 500.0;
  a.mttr_s = 50.0;
  FlowStation b = exponential_station("b", 30.0, 40);
  b.batch_cells = 16;
  b.machines = 3;
  b.scrap_fraction = 0.02;
  FlowStation c;
  c.name = "c";
  c.cycle_time_s = 1.9;
  c.buffer_capacity = 5;
  c.scrap_fraction = 0.03;
  c.rework_fraction = 0.1;
  c.rework_to = 0;
  c.mtbf_s = 300.0;
  c.mttr_s = 30.0;
  line.stations = {a, b, c};
  for (double warmup : {0.0, 5000.0}) {
    const auto r = simulate_line(line, options(2e5, warmup, 7));
    EXPECT_EQ(r.cells_started + r.wip_at_window_start, r.good_cells + r.scrap_cells + r.wip_at_end) << "warm-up " << warmup;
    long long scrap = 0;
    for (const auto& s : r.stations) {
      scrap += s.scrap_cells;
      EXPECT_EQ(s.processed_cells, s.good_cells + s.scrap_cells + s.rework_cells);
      EXPECT_NEAR(s.busy_fraction + s.blocked_fraction + s.starved_fraction + s.down_fraction, 1.0, 1e-9);
    }
    EXPECT_EQ(scrap, r.scrap_cells);
    EXPECT_GT(r.stations[2].rework_cells, 0);
    EXPECT_GT(r.good_cells, 0);
    if (warmup == 0.0) {
      EXPECT_EQ(r.wip_at_window_start, 0);
    }
  }
}

TEST(LineSimulation, SameSeedSameResultOtherSeedOther) {
  FlowLine line;
  line.stations = {exponential_station("a", 1.0), exponential_station("b", 1.2, 3)};
  line.stations[1].scrap_fraction = 0.1;
  const auto r1 = simulate_line(line, options(5e4, 0.0, 42));
  const auto r2 = simulate_line(line, options(5e4, 0.0, 42));
  const auto r3 = simulate_line(line, options(5e4, 0.0, 43));
  EXPECT_EQ(r1.good_cells, r2.good_cells);
  EXPECT_EQ(r1.scrap_cells, r2.scrap_cells);
  EXPECT_EQ(r1.events, r2.events);
  EXPECT_DOUBLE_EQ(r1.mean_wip_cells, r2.mean_wip_cells);
  EXPECT_NE(r1.good_cells, r3.good_cells);
}

TEST(LineSimulation, FindsTheSlowStationAsBottleneck) {
  FlowLine line;
  for (double t : {1.0, 1.5, 1.2}) {
    FlowStation s;
    s.name = "s";
    s.cycle_time_s = t;
    s.buffer_capacity = 10;
    line.stations.push_back(s);
  }
  line.stations[0].buffer_capacity = -1;
  const auto r = simulate_line(line, options(1e4, 100.0, 1));
  EXPECT_EQ(r.bottleneck, 1);
  EXPECT_NEAR(r.good_cells_per_s, 1.0 / 1.5, 1e-3);
  EXPECT_NEAR(analytic_good_cells_per_s(line), 1.0 / 1.5, 1e-12);
}

TEST(LineSimulation, BatchStationRunsFullBatches) {
  // A 100-cell batch oven of 1000 s after a 5 s station: the oven (0.1 cells/s) is slower than the feed
  // (0.2 cells/s) and the bottleneck; it starts only with a full batch.
  FlowLine line;
  FlowStation feed;
  feed.name = "feed";
  feed.cycle_time_s = 5.0;
  FlowStation oven;
  oven.name = "oven";
  oven.batch_cells = 100;
  oven.cycle_time_s = 1000.0;
  oven.buffer_capacity = 100;
  line.stations = {feed, oven};
  const auto r = simulate_line(line, options(1e5 + 1.0, 0.0, 1));
  EXPECT_EQ(r.good_cells % 100, 0);
  // The first batch needs 500 s of feed, then the oven runs back to back: 99 full batches end by 1e5 s.
  EXPECT_EQ(r.good_cells, 9900);
  EXPECT_EQ(r.bottleneck, 1);
}

TEST(LineSimulation, VisitsCountScrapAndRework) {
  FlowLine line;
  FlowStation a;
  a.name = "a";
  a.scrap_fraction = 0.1;
  FlowStation b;
  b.name = "b";
  b.rework_fraction = 0.2;
  b.rework_to = 0;
  line.stations = {a, b};
  // Per cell entering: x_a = 1 + 0.2 x_b, x_b = 0.9 x_a -> x_a = 1 / 0.82; good out = 0.8 x_b.
  const auto v = visits_per_good_cell(line);
  const double xa = 1.0 / 0.82, xb = 0.9 * xa, out = 0.8 * xb;
  EXPECT_NEAR(v[0], xa / out, 1e-12);
  EXPECT_NEAR(v[1], xb / out, 1e-12);
}

TEST(LineSimulation, RefusesIllFormedLines) {
  FlowLine line;
  EXPECT_THROW(simulate_line(line, options(10.0, 0.0, 1)), std::invalid_argument);
  FlowStation s;
  s.name = "s";
  s.rework_to = 1;
  line.stations = {s};
  EXPECT_THROW(simulate_line(line, options(10.0, 0.0, 1)), std::invalid_argument);
}

}  // namespace solidcell::production
