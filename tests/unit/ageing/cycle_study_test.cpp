// Cycling studies (docs/ageing.md): the state is carried across cycles, the summaries are what they say, the
// accelerated study stays within 1 point of capacity retention of the full one over 500 cycles, and end of life
// and the knee are found where they are.
#include <cmath>

#include <gtest/gtest.h>

#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

namespace solidcell::ageing {
namespace {

constexpr const char* cc_cv = "Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20";

AgeingCell lgm50_cell(electrochem::SeiGrowth law = electrochem::SeiGrowth::reaction_limited, int mesh = 10) {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  AgeingCellOptions o;
  o.sei = law;
  o.mesh = electrochem::Mesh{mesh, mesh, mesh, mesh};
  o.simulation.ambient_temperature_K = 298.15;
  return AgeingCell(p, o);
}

}  // namespace

TEST(CycleStudy, CarriesTheStateAndSummarisesEachCycle) {
  auto cell = lgm50_cell();
  CycleStudyOptions o;
  o.cycles = 5;
  auto r = run_cycle_study(cell, experiment::parse_experiment(cc_cv), o);
  ASSERT_EQ(r.cycles.size(), 5u) << r.stopped;
  EXPECT_TRUE(r.stopped.empty());
  EXPECT_EQ(r.solved_cycles, 5);
  EXPECT_DOUBLE_EQ(r.cycles[0].capacity_retention, 1.0);
  for (std::size_t k = 1; k < r.cycles.size(); ++k) {
    const auto& c = r.cycles[k];
    const auto& before = r.cycles[k - 1];
    EXPECT_TRUE(c.simulated);
    EXPECT_GT(c.lithium_lost_to_sei_mol, before.lithium_lost_to_sei_mol);
    EXPECT_GT(c.sei_thickness_m, before.sei_thickness_m);
    EXPECT_LT(c.lithium_inventory_mol, before.lithium_inventory_mol);
    EXPECT_NEAR(c.lithium_total_mol, r.cycles[0].lithium_total_mol, 1e-7 * c.lithium_total_mol);
    EXPECT_NEAR(c.capacity_lost_to_sei_Ah, c.lithium_lost_to_sei_mol * constants::faraday_C_per_mol / 3600.0, 1e-12);
    // From cycle 2 on every cycle starts from the same CC-CV charge: the fade per cycle is the SEI's.
    if (k >= 2) {
      EXPECT_LT(c.discharge_capacity_Ah, before.discharge_capacity_Ah);
    }
    EXPECT_NEAR(c.capacity_retention, c.discharge_capacity_Ah / r.cycles[0].discharge_capacity_Ah, 1e-14);
  }
  // A 5 A.h cell: 1C discharges about 4.9 A.h; its 10 s resistance is tens of milliohms and grows with the film.
  EXPECT_NEAR(r.cycles[0].discharge_capacity_Ah, 4.9, 0.2);
  EXPECT_GT(r.cycles[0].resistance_ohm, 0.005);
  EXPECT_LT(r.cycles[0].resistance_ohm, 0.1);
  EXPECT_FALSE(r.end_of_life_cycle.has_value());
}

TEST(CycleStudy, StudyObjectAdvancesByAnyExperiment) {
  // The same cell stored at full charge for 30 days loses lithium to SEI, then cycles on from there.
  auto cell = lgm50_cell();
  auto sol = cell.advance(experiment::parse_experiment("Rest for 720 hours"));
  ASSERT_FALSE(sol.failure);
  const double stored = cell.lithium_lost_to_sei_mol();
  EXPECT_GT(stored, 0.0);
  EXPECT_NEAR(cell.operating_time_s(), 720 * 3600.0, 1e-6);
  CycleStudyOptions o;
  o.cycles = 2;
  auto r = run_cycle_study(cell, experiment::parse_experiment(cc_cv), o);
  ASSERT_EQ(r.cycles.size(), 2u);
  EXPECT_GT(r.cycles[0].lithium_lost_to_sei_mol, stored);
}

TEST(CycleStudy, AcceleratedStaysWithinOnePointOfTheFullStudyOver500Cycles) {
  // Both studies on a coarser mesh (5 volumes per region and particle): the comparison is of the two modes on one
  // model, and the full study's 500 cycles must stay affordable under the sanitizers.
  auto steps = experiment::parse_experiment(cc_cv);
  auto full_cell = lgm50_cell(electrochem::SeiGrowth::reaction_limited, 5);
  CycleStudyOptions o;
  o.cycles = 500;
  auto full = run_cycle_study(full_cell, steps, o);
  ASSERT_EQ(full.cycles.size(), 500u) << full.stopped;
  auto fast_cell = lgm50_cell(electrochem::SeiGrowth::reaction_limited, 5);
  o.accelerate = true;
  auto fast = run_cycle_study(fast_cell, steps, o);
  ASSERT_EQ(fast.cycles.size(), 500u) << fast.stopped;
  double worst = 0.0;
  for (std::size_t k = 0; k < 500; ++k) {
    ASSERT_EQ(fast.cycles[k].cycle, static_cast<int>(k + 1));
    worst = std::max(worst, std::abs(fast.cycles[k].capacity_retention - full.cycles[k].capacity_retention));
  }
  std::cout << "500 cycles: full retention " << full.cycles.back().capacity_retention << " in " << full.wall_time_s << " s; accelerated "
            << fast.cycles.back().capacity_retention << " in " << fast.wall_time_s << " s with " << fast.solved_cycles << " cycles solved, "
            << fast.rejected_jumps << " jumps rejected; worst difference " << 100 * worst << " points\n";
  EXPECT_LT(std::abs(fast.cycles.back().capacity_retention - full.cycles.back().capacity_retention), 0.01);
  EXPECT_LT(worst, 0.01);
  EXPECT_LT(fast.solved_cycles, 150);  // the point of it
  EXPECT_LT(full.cycles.back().capacity_retention, 0.99);  // there is fade to get right
  EXPECT_NEAR(fast.cycles.back().lithium_lost_to_sei_mol, full.cycles.back().lithium_lost_to_sei_mol, 0.02 * full.cycles.back().lithium_lost_to_sei_mol);
}

TEST(CycleStudy, RejectsBadOptionsNamingTheField) {
  auto cell = lgm50_cell();
  CycleStudyOptions o;
  o.cycles = 0;
  try {
    run_cycle_study(cell, experiment::parse_experiment(cc_cv), o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "cycles");
  }
  o.cycles = 10;
  o.tolerance = 0.0;
  EXPECT_THROW(run_cycle_study(cell, experiment::parse_experiment(cc_cv), o), InputError);
}

TEST(LifeMetrics, EndOfLifeIsTheFirstCycleBelowTheThreshold) {
  std::vector<int> cycles{1, 2, 3, 4, 5};
  EXPECT_EQ(end_of_life_cycle(cycles, {1.0, 0.9, 0.81, 0.799, 0.7}), 4);
  EXPECT_FALSE(end_of_life_cycle(cycles, {1.0, 0.9, 0.85, 0.82, 0.80}).has_value());
}

TEST(LifeMetrics, KneeOfATwoSlopeCurveAndNoneForSeiLikeFade) {
  std::vector<int> cycles;
  std::vector<double> knee_curve, sqrt_curve, line;
  for (int n = 1; n <= 1000; n += 5) {
    cycles.push_back(n);
    knee_curve.push_back(n < 600 ? 1.0 - 1e-4 * n : 1.0 - 0.06 - 8e-4 * (n - 600));
    sqrt_curve.push_back(1.0 - 0.004 * std::sqrt(n));
    line.push_back(1.0 - 1.5e-4 * n);
  }
  auto knee = find_knee(cycles, knee_curve);
  ASSERT_TRUE(knee.has_value());
  EXPECT_NEAR(knee->cycle, 600, 10);
  EXPECT_NEAR(knee->slope_before, -1e-4, 1e-5);
  EXPECT_NEAR(knee->slope_after, -8e-4, 1e-5);
  EXPECT_FALSE(find_knee(cycles, sqrt_curve).has_value());  // decelerating fade has no knee
  EXPECT_FALSE(find_knee(cycles, line).has_value());
}

}  // namespace solidcell::ageing
