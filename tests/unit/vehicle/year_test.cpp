// A year of use: the accelerated study against every day solved in full over a shorter period, the
// bookkeeping (energy driven is the sum of the days, lithium is conserved and split between the cyclable
// inventory and the SEI), the climate profiles and their errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

namespace solidcell::vehicle {
namespace {

// LG M50 (the one built-in cell with SEI parameters) in a pack of the reference pack's volume.
struct AgeingCar {
  Pack reference = load_pack("model3-class-ncm811");
  cell::Cell reference_cell = cell::load_cell(reference.cell);
  cell::Cell cell = cell::load_cell("lgm50");
  cell::DesignFigures figures = cell::compute_design(cell);
  Pack pack = size_pack_to_match(reference, pack_figures(reference, reference_cell, cell::compute_design(reference_cell)), "lgm50", cell, figures,
                                 PackMatch::volume);
  Vehicle car = load_vehicle("midsize-bev");
};

YearOptions short_year(int days, bool accelerate) {
  YearOptions o;
  o.days = days;
  o.accelerate = accelerate;
  o.km_per_day = 23.0;  // one NEDC (11.0 km) and part of its first urban cycle a trip
  o.mesh = 6;
  o.max_jump = 10;
  o.climate = load_climate("phoenix");
  return o;
}

TEST(Climate, SinusoidHasItsMeanAndAmplitude) {
  const auto c = load_climate("phoenix");
  EXPECT_NEAR(c.temperature_K(15), c.mean_K - c.amplitude_K, 1e-9);
  EXPECT_NEAR(c.temperature_K(15 + 365 / 2), c.mean_K + c.amplitude_K, 0.01);
  EXPECT_GT(c.amplitude_K, 5.0);
  EXPECT_FALSE(c.source.empty());
  const auto ref = load_climate("reference");
  EXPECT_DOUBLE_EQ(ref.temperature_K(200), 298.15);
}

TEST(Climate, CsvGivesOneTemperaturePerDayAndRepeats) {
  const auto c = read_climate_csv("day,temperature_C\n1,5\n2,7.5\n", "t.csv");
  EXPECT_DOUBLE_EQ(c.temperature_K(1), 278.15);
  EXPECT_DOUBLE_EQ(c.temperature_K(2), 280.65);
  EXPECT_DOUBLE_EQ(c.temperature_K(3), 278.15);
  EXPECT_THROW(read_climate_csv("day,temp\n1,5\n", "t.csv"), InputError);
  EXPECT_THROW(read_climate_csv("day,temperature_C\n1,5\n3,7\n", "t.csv"), InputError);
  EXPECT_THROW(read_climate_csv("day,temperature_C\n1,500\n", "t.csv"), InputError);
  EXPECT_THROW(read_climate_csv("day,temperature_C\n", "t.csv"), InputError);
  try {
    read_climate_csv("day,temperature_C\n1,x\n", "t.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 2);
  }
  EXPECT_THROW(load_climate("no-such-climate"), InputError);
  EXPECT_THROW(parse_charge_mode("medium"), InputError);
}

TEST(YearOfUse, RejectsOptionsOutOfRange) {
  const AgeingCar a;
  auto o = short_year(0, false);
  EXPECT_THROW(simulate_year(a.cell, a.figures, "", a.pack, a.car, nedc_speed_trace(), o), InputError);
  o = short_year(2, false);
  o.km_per_day = -1.0;
  EXPECT_THROW(simulate_year(a.cell, a.figures, "", a.pack, a.car, nedc_speed_trace(), o), InputError);
}

// 30 days: every day in full against the accelerated study; the bookkeeping on both.
TEST(YearOfUse, AcceleratedMonthFollowsTheFullMonthAndTheBooksClose) {
  const AgeingCar a;
  const auto trace = nedc_speed_trace();
  const auto full = simulate_year(a.cell, a.figures, "", a.pack, a.car, trace, short_year(30, false));
  const auto fast = simulate_year(a.cell, a.figures, "", a.pack, a.car, trace, short_year(30, true));
  ASSERT_TRUE(full.stopped.empty()) << full.stopped;
  ASSERT_TRUE(fast.stopped.empty()) << fast.stopped;
  ASSERT_EQ(full.days.size(), 30u);
  ASSERT_EQ(fast.days.size(), 30u);
  EXPECT_EQ(full.solved_days, 30);
  EXPECT_LT(fast.solved_days, 20);
  EXPECT_EQ(full.trip_passes, 1);
  EXPECT_GT(full.trip_part_pass_s, 0.0);  // the last 0.5 km: within the first ECE-15 (195 s, 1.0 km)
  EXPECT_LT(full.trip_part_pass_s, 195.0);

  // The SEI ages the cell: capacity falls, resistance and lithium lost grow.
  const auto& end = full.days.back();
  EXPECT_LT(end.capacity_retention, 1.0);
  EXPECT_GT(end.capacity_retention, 0.95);
  EXPECT_GT(end.lithium_lost_to_sei_mol, 0.0);
  // The module shares the loss between SEI and the rest; the shares sum to one.
  const auto sei = static_cast<std::size_t>(ageing::FadeMechanism::sei);
  EXPECT_GT(end.capacity_loss_share[sei], 0.0);
  EXPECT_NEAR(end.capacity_loss_share[sei] + end.capacity_loss_share[static_cast<std::size_t>(ageing::FadeMechanism::other)], 1.0, 1e-9);
  EXPECT_NEAR(end.capacity_lost_by_mechanism_Ah[sei], std::min(end.capacity_lost_Ah, end.capacity_lost_to_sei_Ah - full.days.front().capacity_lost_to_sei_Ah),
              1e-9);
  EXPECT_FALSE(full.mechanisms.empty());

  // Accelerated against full: retention within 0.02 points every day (measured: 0.002 points, 9 of 30 days
  // solved; the study's error control keeps each jump within 5e-4 of retention).
  double worst = 0.0;
  for (std::size_t k = 0; k < 30; ++k) worst = std::max(worst, std::abs(full.days[k].capacity_retention - fast.days[k].capacity_retention));
  EXPECT_LT(worst, 2e-4);
  const double lost_full = 1.0 - full.days.back().capacity_retention, lost_fast = 1.0 - fast.days.back().capacity_retention;
  EXPECT_NEAR(lost_fast, lost_full, 0.1 * lost_full + 2e-4);
  EXPECT_NEAR(fast.days.back().lithium_lost_to_sei_mol, full.days.back().lithium_lost_to_sei_mol, 0.01 * full.days.back().lithium_lost_to_sei_mol);

  for (const auto* y : {&full, &fast}) {
    EXPECT_TRUE(y->checkup_failure.empty()) << y->checkup_failure;
    // Energy driven is the sum of the days; consumption is energy over distance.
    double e = 0.0, km = 0.0;
    for (const auto& d : y->days) {
      e += d.pack_drive_energy_kWh;
      km += d.distance_km;
      EXPECT_NEAR(d.consumption_kWh_per_100km, d.pack_drive_energy_kWh / d.distance_km * 100.0, 1e-9);
      // Lithium: conserved, and cyclable + SEI = total.
      EXPECT_NEAR(d.lithium_total_mol, y->days.front().lithium_total_mol, 1e-9 * d.lithium_total_mol);
      EXPECT_NEAR(d.lithium_inventory_mol + d.lithium_lost_to_sei_mol, d.lithium_total_mol, 1e-12 * d.lithium_total_mol);
      EXPECT_GT(d.cell_charge_Ah, 0.0);
      EXPECT_NEAR(d.duration_s, 86400.0, 2.0 * 3600.0);
    }
    EXPECT_NEAR(y->energy_driven_kWh, e, 1e-9 * e);
    EXPECT_NEAR(y->distance_km, 30 * 23.0, 1e-9);
    EXPECT_NEAR(km, y->distance_km, 1e-9);
    // The reference car on NEDC: 7-14 kWh/100 km at the battery (as drive_test).
    EXPECT_GT(y->days.front().consumption_kWh_per_100km, 7.0);
    EXPECT_LT(y->days.front().consumption_kWh_per_100km, 14.0);
    EXPECT_GT(y->range_start_km, 200.0);
    EXPECT_LT(y->range_end_km, y->range_start_km);
    // The nights put back what the days took (a little more: charging losses are the cell's, regen is in the trips).
    EXPECT_GT(y->equivalent_full_cycles, 30 * 23.0 * y->days.front().consumption_kWh_per_100km / 100.0 /
                                             (y->days.front().checkup_energy_Wh * y->pack_figures.cells / 1000.0) * 0.8);
  }
}

}  // namespace
}  // namespace solidcell::vehicle
