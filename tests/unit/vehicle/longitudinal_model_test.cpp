// The longitudinal model against hand calculations, its energy balance over whole cycles, and the vehicle
// file's checks.
#include <gtest/gtest.h>

#include <cmath>

#include "solidcell/base/input_error.hpp"
#include "solidcell/vehicle/longitudinal_model.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "solidcell/vehicle/vehicle.hpp"
#include "unit/vehicle/shared_cycles.hpp"

namespace solidcell::vehicle {
namespace {

Vehicle test_vehicle() {
  Vehicle v;
  v.mass_without_pack_kg = 1300.0;
  v.cargo_mass_kg = 100.0;
  v.rotational_inertia_factor = 0.03;
  v.drag_coefficient = 0.25;
  v.frontal_area_m2 = 2.3;
  v.rolling_resistance_coefficient = 0.008;
  v.drivetrain_efficiency = 0.85;
  v.regen_efficiency = 0.8;
  v.regen_fraction_max = 0.9;
  v.regen_fade_a = 500.0;
  v.regen_fade_b_per_mph = 0.99;
  v.max_power_W = 150e3;
  v.regen_power_limit_W = 40e3;
  v.auxiliary_power_W = 400.0;
  v.charger_efficiency = 0.9;
  return v;
}

SpeedTrace constant_speed(double v, double seconds, double grade = 0.0) {
  SpeedTrace t;
  for (int s = 0; s <= static_cast<int>(seconds); ++s) {
    t.time_s.push_back(s);
    t.speed_mps.push_back(v);
    t.grade.push_back(grade);
  }
  return t;
}

TEST(LongitudinalModel, ConstantSpeedCruiseEqualsTheHandCalculation) {
  const auto car = test_vehicle();
  const double pack_kg = 450.0, v = 25.0, seconds = 600.0;
  const auto balance = energy_balance(vehicle_power(car, pack_kg, constant_speed(v, seconds)));
  const double m = 1300.0 + 100.0 + 450.0;
  const double force = 0.5 * 1.2 * 0.25 * 2.3 * v * v + m * 9.81 * 0.008;
  const double battery_J = (force * v / 0.85 + 400.0) * seconds;
  EXPECT_NEAR(balance.battery_J, battery_J, 1e-9 * battery_J);
  EXPECT_NEAR(balance.drag_J, 0.5 * 1.2 * 0.25 * 2.3 * v * v * v * seconds, 1e-9 * balance.drag_J);
  EXPECT_NEAR(balance.distance_m, v * seconds, 1e-9 * v * seconds);
  EXPECT_EQ(balance.inertia_J, 0.0);
  EXPECT_EQ(balance.regen_J, 0.0);
}

TEST(LongitudinalModel, ClimbAddsPotentialEnergyAndDescentRegenerates) {
  const auto car = test_vehicle();
  const double v = 20.0, seconds = 100.0, grade = 0.05, m = 1300.0 + 100.0 + 450.0;
  const double theta = std::atan(grade);
  const auto up = energy_balance(vehicle_power(car, 450.0, constant_speed(v, seconds, grade)));
  const double rise = v * seconds * std::sin(theta);
  EXPECT_NEAR(up.grade_J, m * 9.81 * rise, 1e-9 * m * 9.81 * rise);
  const auto down = energy_balance(vehicle_power(car, 450.0, constant_speed(v, seconds, -grade)));
  EXPECT_GT(down.regen_J, 0.0);
  // Steady descent: the wheel gives back gravity less drag and rolling; regeneration takes f(v) of it, capped.
  const double braking_W = m * 9.81 * std::sin(theta) * v - 0.5 * 1.2 * 0.25 * 2.3 * v * v * v - m * 9.81 * 0.008 * std::cos(theta) * v;
  const double recovered_W = std::min(regen_fraction(car, v) * braking_W, car.regen_power_limit_W);
  EXPECT_NEAR(down.regen_J, recovered_W * 0.8 * seconds, 1e-9 * recovered_W * seconds);
  EXPECT_NEAR(down.battery_J, (400.0 - recovered_W * 0.8) * seconds, 1e-9 * recovered_W * seconds);
}

TEST(LongitudinalModel, RegenerationFadesAtLowSpeedAsFastSim) {
  const auto car = test_vehicle();
  EXPECT_NEAR(regen_fraction(car, 0.0), 0.9 / (1.0 + 500.0 * std::exp(-0.99)), 1e-12);
  EXPECT_NEAR(regen_fraction(car, 30.0), 0.9, 1e-6);
  EXPECT_LT(regen_fraction(car, 2.0), regen_fraction(car, 5.0));
}

void expect_balance_closes(const EnergyBalance& e) {
  const double scale = e.battery_discharge_J;
  // battery = traction + drivetrain losses + auxiliary - regeneration, every term reported
  EXPECT_NEAR(e.battery_J, e.traction_J + e.drivetrain_loss_J + e.auxiliary_J - e.regen_J, 1e-9 * scale);
  // the wheel's terms add up to traction less braking, and braking splits into regeneration, its loss and friction
  EXPECT_NEAR(e.traction_J - e.braking_J, e.inertia_J + e.drag_J + e.rolling_J + e.grade_J, 1e-9 * scale);
  EXPECT_NEAR(e.braking_J, e.regen_J + e.regen_loss_J + e.friction_brake_J, 1e-9 * scale);
  EXPECT_GT(e.regen_J, 0.0);
  EXPECT_GT(e.regen_loss_J, 0.0);
  EXPECT_GT(e.friction_brake_J, 0.0);
  // A cycle from rest to rest on the flat: no net kinetic or potential energy.
  EXPECT_NEAR(e.inertia_J, 0.0, 1e-9 * scale);
  EXPECT_EQ(e.grade_J, 0.0);
}

TEST(LongitudinalModel, EnergyBalanceClosesOverNedc) {
  const auto car = test_vehicle();
  const auto power = vehicle_power(car, 450.0, nedc_speed_trace());
  const auto e = energy_balance(power);
  expect_balance_closes(e);
  double braking_split = 0.0;
  for (size_t k = 0; k < power.wheel_W.size(); ++k)
    if (power.wheel_W[k] < 0) braking_split += power.regen_W[k] + power.regen_loss_W[k] + power.friction_brake_W[k];
  EXPECT_NEAR(braking_split, e.braking_J, 1e-9 * e.braking_J);  // dt = 1 s
  EXPECT_EQ(e.intervals_above_max_power, 0);
}

TEST(LongitudinalModel, EnergyBalanceClosesOverUdds) {
  if (!test::have_shared_cycle("udds.csv")) GTEST_SKIP() << "no shared drive cycles";
  expect_balance_closes(energy_balance(vehicle_power(test_vehicle(), 450.0, load_speed_trace(test::shared_cycle("udds.csv")))));
}

TEST(LongitudinalModel, HeavierPackCostsEnergy) {
  const auto car = test_vehicle();
  const auto light = energy_balance(vehicle_power(car, 300.0, nedc_speed_trace()));
  const auto heavy = energy_balance(vehicle_power(car, 600.0, nedc_speed_trace()));
  EXPECT_GT(heavy.battery_J, light.battery_J);
}

const char* vehicle_text = R"(
[vehicle]
name = "t"
source = "test"
[mass]
mass_without_pack_kg = MASS
rotational_inertia_factor = 0.02
source = "test"
[road_load]
drag_coefficient = 0.3
frontal_area_m2 = 2.2
rolling_resistance_coefficient = 0.008
source = "test"
[drivetrain]
efficiency = 0.9
regen_efficiency = 0.9
regen_fraction_max = 0.9
max_power_kW = 150
auxiliary_power_kW = 0.3
charger_efficiency = 0.9
source = "test"
)";

std::string with_mass(const std::string& mass) {
  std::string s = vehicle_text;
  s.replace(s.find("MASS"), 4, mass);
  return s;
}

TEST(VehicleFile, BuiltInReferenceVehicleLoads) {
  const auto v = load_vehicle("midsize-bev");
  EXPECT_EQ(v.drag_coefficient, 0.23);
  EXPECT_EQ(v.frontal_area_m2, 2.22);
  EXPECT_DOUBLE_EQ(v.max_power_W, 239e3);
  EXPECT_DOUBLE_EQ(v.auxiliary_power_W, 250.0);
}

TEST(VehicleFile, NegativeMassNamesTheField) {
  EXPECT_EQ(read_vehicle_toml(with_mass("1500"), "car.toml").mass_without_pack_kg, 1500.0);
  try {
    read_vehicle_toml(with_mass("-5"), "car.toml");
    FAIL() << "a negative mass must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "car.toml");
    EXPECT_EQ(e.where().field, "mass.mass_without_pack_kg");
    EXPECT_EQ(e.where().line, 6);
    EXPECT_EQ(e.value(), "-5");
  }
}

TEST(VehicleFile, UnknownKeyIsRefused) {
  std::string s = with_mass("1500");
  s.replace(s.find("drag_coefficient"), 16, "drag_coeficient");
  EXPECT_THROW(read_vehicle_toml(s, "car.toml"), InputError);
}

}  // namespace
}  // namespace solidcell::vehicle
