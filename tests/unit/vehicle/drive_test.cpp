// Driving the cells: the power handed to the cell is the vehicle's, the cell's charge is the integral of its
// current, the reference vehicle's consumption lies in the published range, and the range run ends at the
// SOC floor.
#include <gtest/gtest.h>

#include <cmath>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "unit/vehicle/shared_cycles.hpp"

namespace solidcell::vehicle {
namespace {

struct Reference {
  Pack pack = load_pack("model3-class-ncm811");
  cell::Cell cell = cell::load_cell(pack.cell);
  cell::DesignFigures figures = cell::compute_design(cell);
  Vehicle car = load_vehicle("midsize-bev");
};

DriveReport drive_once(const Reference& r, const SpeedTrace& trace) {
  DriveOptions o;
  o.range = RangeMethod::nominal;
  return drive(r.cell, r.figures, "", r.pack, r.car, trace, o);
}

TEST(CellPowerProfile, IntegratesToTheVehicleEnergyOnAUniformTrace) {
  const Reference r;
  const auto power = vehicle_power(r.car, 400.0, nedc_speed_trace());
  const auto e = energy_balance(power);
  const auto profile = cell_power_profile(power, 540);
  EXPECT_NEAR(profile.energy_J() * 540, e.battery_J, 1e-9 * e.battery_discharge_J);
  EXPECT_DOUBLE_EQ(profile.duration_s(), 1180.0);
}

TEST(Drive, CellsDeliverTheVehicleEnergyAndTheirChargeIsTheIntegralOfCurrent) {
  const Reference r;
  DriveOptions o;
  o.range = RangeMethod::nominal;
  o.relative_tolerance = 1e-7;  // the charge state is integrated to the solver's tolerance (0.25 % off at 1e-5)
  const auto rep = drive(r.cell, r.figures, "", r.pack, r.car, nedc_speed_trace(), o);
  ASSERT_TRUE(rep.failure.empty()) << rep.failure;
  ASSERT_TRUE(rep.stopped_early.empty()) << rep.stopped_early;
  EXPECT_NEAR(rep.profile_energy_J, rep.balance.battery_J, 1e-9 * rep.balance.battery_discharge_J);
  // The simulated cells give what the vehicle asks.
  EXPECT_NEAR(rep.battery_energy_kWh, rep.balance.battery_J / 3.6e6, 1e-4 * rep.balance.battery_J / 3.6e6);
  // Charge throughput: the model's discharged capacity equals the trapezoidal integral of its current over the
  // 0.5 s rows (which fall on the profile's knots).
  const auto& sol = rep.cycle_solution;
  double q = 0.0;
  for (size_t k = 1; k < sol.time_s.size(); ++k) q += 0.5 * (sol.current_A[k] + sol.current_A[k - 1]) * (sol.time_s[k] - sol.time_s[k - 1]) / 3600.0;
  EXPECT_NEAR(sol.discharge_capacity_Ah.back(), q, 5e-4 * q);
  EXPECT_GT(rep.cell_charge_throughput_Ah, sol.discharge_capacity_Ah.back());  // regeneration charges back
  EXPECT_GT(rep.cell_max_charge_current_A, 0.0);
  EXPECT_LT(rep.series.soc.back(), r.pack.soc_max);
  EXPECT_EQ(rep.series.time_s.size(), sol.time_s.size());
}

TEST(Drive, RepeatedPassesCarryTheStateOver) {
  const Reference r;
  const auto power = vehicle_power(r.car, 400.0, nedc_speed_trace());
  const auto profile = cell_power_profile(power, 540);
  auto model = electrochem::make_model("spme", electrochem::model_parameters(r.cell));
  experiment::SimulationOptions so;
  so.initial_soc = 0.9;
  so.relative_tolerance = 1e-5;
  so.max_solver_steps_per_step = 1000000;
  const auto one = drive_cell(*model, profile, 1, so);
  const auto two = drive_cell(*model, profile, 2, so);
  ASSERT_EQ(two.steps.size(), 2u);
  EXPECT_NEAR(two.steps[1].start_s, 1180.0, 1e-9);
  // The second pass starts from the first one's end: together they discharge about twice as much.
  EXPECT_NEAR(two.discharge_capacity_Ah.back(), 2.0 * one.discharge_capacity_Ah.back(), 0.01 * one.discharge_capacity_Ah.back());
  EXPECT_LT(two.voltage_V.back(), one.voltage_V.back());
}

// Published range for the reference vehicle (shared notes production-ev.md 0, 4.5): the EPA label of the
// Model 3 (142 Wh/km city, 158 Wh/km highway, wall-to-wheel, adjusted) less the EPA's 0.7 adjustment and the
// 0.86 charger efficiency gives 8.5 and 9.5 kWh/100 km at the battery; the notes' FASTSim figures for these
// parameters are 10.6 (UDDS) and 10.4 (HWFET). The test asks for the span between them, widened by 10 %.
TEST(Drive, ReferenceVehicleConsumptionOnUddsAndHwfetIsInThePublishedRange) {
  if (!test::have_shared_cycle("udds.csv")) GTEST_SKIP() << "no shared drive cycles";
  const Reference r;
  const auto udds = drive_once(r, load_speed_trace(test::shared_cycle("udds.csv")));
  const auto hwfet = drive_once(r, load_speed_trace(test::shared_cycle("hwfet.csv")));
  ASSERT_TRUE(udds.failure.empty() && hwfet.failure.empty());
  EXPECT_GE(udds.consumption_kWh_per_100km, 0.9 * 8.5);
  EXPECT_LE(udds.consumption_kWh_per_100km, 1.1 * 10.6);
  EXPECT_GE(hwfet.consumption_kWh_per_100km, 0.9 * 9.5);
  EXPECT_LE(hwfet.consumption_kWh_per_100km, 1.1 * 10.4);
  EXPECT_NEAR(udds.wall_consumption_kWh_per_100km, udds.consumption_kWh_per_100km / 0.86, 1e-12);
  EXPECT_EQ(udds.balance.intervals_above_max_power, 0);
}

TEST(Drive, RangeRunEndsAtTheSocFloor) {
  Reference r;
  // A small pack from a low top SOC drains in about six cycles; its cells see 3.4 times the reference's power,
  // which keeps them off their voltage limits down to the floor.
  r.pack.series = 80;
  r.pack.parallel = 2;
  r.pack.soc_max = 0.35;
  DriveOptions o;
  o.range = RangeMethod::simulated;
  const auto rep = drive(r.cell, r.figures, "", r.pack, r.car, nedc_speed_trace(), o);
  ASSERT_TRUE(rep.failure.empty()) << rep.failure;
  ASSERT_TRUE(rep.range_simulated) << rep.range_end;
  EXPECT_EQ(rep.range_end, "SOC floor 0.05");
  ASSERT_FALSE(rep.range_passes.empty());
  EXPECT_NEAR(rep.range_passes.back().soc_end, r.pack.soc_min, 0.01);
  // The energy delivered down to the floor is below the nominal window's (the low-SOC part of the window has
  // the lowest voltage, and the cell loses some), but not far below.
  const double nominal_window_kWh = rep.pack_figures.usable_energy_Wh / 1e3;
  EXPECT_LT(rep.range_usable_energy_kWh, nominal_window_kWh);
  EXPECT_GT(rep.range_usable_energy_kWh, 0.8 * nominal_window_kWh);
  EXPECT_NEAR(rep.range_km, rep.range_usable_energy_kWh / rep.consumption_kWh_per_100km * 100.0, 0.05 * rep.range_km);
  // The range from one discharge at the cycle's mean power lands near the simulated one.
  o.range = RangeMethod::mean_power;
  const auto quick = drive(r.cell, r.figures, "", r.pack, r.car, nedc_speed_trace(), o);
  ASSERT_TRUE(quick.failure.empty()) << quick.failure;
  EXPECT_FALSE(quick.range_simulated);
  EXPECT_NEAR(quick.range_km, rep.range_km, 0.05 * rep.range_km);
  EXPECT_NEAR(quick.mean_power_usable_energy_kWh, rep.range_usable_energy_kWh, 0.05 * rep.range_usable_energy_kWh);
}

}  // namespace
}  // namespace solidcell::vehicle
