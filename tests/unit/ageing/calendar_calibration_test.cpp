// The liquid baseline's SEI is calibrated to calendar ageing of NCM811/graphite cells (data/cells/
// liquid-ncm811-graphite.toml [negative.sei], docs/ageing.md "Calendar calibration"): a year of storage at
// 90 % SOC, with a C/3 check-up every month, costs 4.7 % of the fresh capacity at 25 C (NREL BLAST-Lite's LG M50
// model) and 8.7 % at 45 C (WMG's LG M50 calendar data set); the tolerance is 1 point.
#include <gtest/gtest.h>

#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

namespace solidcell::ageing {
namespace {

// The capacity taken by the SEI after 12 months, as a share of the fresh cell's design capacity.
double year_in_storage(double temperature_K) {
  const auto cell = cell::load_cell("liquid-ncm811-graphite");
  AgeingSetup setup;
  setup.initial_soc = 0.9;
  setup.ambient_temperature_K = temperature_K;
  auto aged = make_ageing_cell(cell, "liquid-ncm811-graphite", setup);
  CycleStudyOptions o;
  o.cycles = 12;
  // A month at rest, then the check-up (C/3 down, C/3 CC-CV up) and back to 90 % SOC (a tenth at C/3: 18 minutes).
  const auto month = experiment::parse_experiment(
      "Rest for 730 hours, Discharge at C/3 until 2.5 V, Charge at C/3 until 4.2 V, Hold at 4.2 V until C/50, Discharge at C/3 for 18 minutes");
  const auto r = run_cycle_study(*aged, month, o);
  EXPECT_EQ(r.cycles.size(), 12u) << r.stopped;
  return r.cycles.back().capacity_lost_to_sei_Ah / cell::compute_design(cell).capacity_Ah;
}

TEST(CalendarCalibration, LiquidBaselineLosesWhatNcm811GraphiteCellsLoseInAYearOfStorage) {
  const double at_25 = year_in_storage(298.15), at_45 = year_in_storage(318.15);
  EXPECT_NEAR(100.0 * at_25, 4.7, 1.0);
  EXPECT_NEAR(100.0 * at_45, 8.7, 1.0);
}

}  // namespace
}  // namespace solidcell::ageing
