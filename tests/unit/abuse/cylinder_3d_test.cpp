// The 3D abuse models of a cylindrical cell (a half cylinder in r, theta, z): a tiny, highly conductive
// cylinder runs away like the lumped cell; the jelly roll's conductivities and heat capacity against a hand
// calculation; the built-in lgm50 (21700) in the oven and under the nail, conserving energy, booking the
// circuit's Joule heat and draining the cell, with the hot spot at the nail.
#include <cmath>
#include <iostream>
#include <numbers>

#include <gtest/gtest.h>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/layer_stack.hpp"
#include "solidcell/abuse/nail_test.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "support/kim2007_cell.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;
constexpr double pi = std::numbers::pi;

struct Lgm50 {
  cell::Cell cell;
  CellInventory inventory;
};
const Lgm50& lgm50() {
  static const Lgm50 c = [] {
    Lgm50 l{cell::load_cell("lgm50"), {}};
    l.inventory = cell_inventory(l.cell);
    return l;
  }();
  return c;
}

HeatingProcedure constant_oven_procedure(double celsius, double hours) {
  OvenThresholdOptions o;
  o.room_K = 25.0 + C0;
  o.exposure_s = hours * 3600.0;
  o.convection_W_per_m2_K = 10.0;
  o.emissivity = 0.8;
  return constant_oven(celsius + C0, o);
}

// U_ocv integrated over the charge the short moved (as abuse_3d_test.cpp).
double electrical_energy_J(const CellInventory& inv, double soc_start, double soc_end) {
  const int n = 2000;
  double sum = 0.0;
  for (int k = 0; k < n; ++k) {
    const double a = soc_end + (soc_start - soc_end) * k / n, b = soc_end + (soc_start - soc_end) * (k + 1) / n;
    sum += 0.5 * (inv.open_circuit_voltage(a) + inv.open_circuit_voltage(b)) * (b - a);
  }
  return sum * inv.capacity_Ah * constants::seconds_per_hour;
}

}  // namespace

TEST(Cylinder3d, TinyConductiveCylinderRunsAwayLikeTheLumpedCell) {
  // Kim's 18650 is a cylinder (r 9 mm, 65 mm): as a solid half cylinder (no hole, no can) with
  // k = 1e4 W/(m K) (Biot ~1e-6) it has one temperature, the lumped cell's volume and surface, and must
  // reproduce the lumped oven test (onset within 1 %, peak within 2 K, the same heat per reaction).
  const auto net = load_reaction_network("kim2007-lco-graphite");
  const auto kim = test_cells::kim_18650();
  PouchBox body;
  body.geometry = thermal::Conduction3dGeometry::cylinder;
  body.inner_radius_m = 0.0;
  body.length_x_m = test_cells::kim_radius_m;
  body.length_y_m = pi;
  body.length_z_m = test_cells::kim_length_m;
  body.conductivity_in_plane_W_per_m_K = body.conductivity_through_plane_W_per_m_K = 1e4;
  body.heat_capacity_J_per_m3_K = kim.heat_capacity_J_per_K / test_cells::kim_18650_volume_m3();
  body.unit_cell_thickness_m = body.length_x_m;
  ASSERT_NEAR(body.surface_m2(), kim.surface_m2, 1e-12);
  ASSERT_NEAR(body.volume_m3(), test_cells::kim_18650_volume_m3(), 1e-15);

  const auto procedure = constant_oven_procedure(155.0, 2.0);
  const auto lumped = run_heating_test(kim, net, procedure);
  ASSERT_TRUE(lumped.failure.empty()) << lumped.failure;
  ASSERT_TRUE(lumped.verdict.onset_time_s);
  ThreeDOptions o;
  o.nx = o.ny = o.nz = 3;
  o.relative_tolerance = 1e-5;
  o.absolute_tolerance_K = 0.005;
  o.max_step_s = 20.0;
  o.fast_reaction_max_change_K = 5.0;
  const auto r = run_heating_test_3d(body, kim, net, procedure, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_TRUE(r.verdict.onset_time_s);
  std::cout << "cylinder: onset lumped " << *lumped.verdict.onset_time_s << " s, 3D " << *r.verdict.onset_time_s << " s; peak lumped "
            << lumped.verdict.peak_temperature_K - C0 << " C, 3D " << r.verdict.peak_temperature_K - C0 << " C; " << r.statistics.steps << " steps\n";
  EXPECT_NEAR(*r.verdict.onset_time_s, *lumped.verdict.onset_time_s, 0.01 * *lumped.verdict.onset_time_s);
  EXPECT_NEAR(r.verdict.peak_temperature_K, lumped.verdict.peak_temperature_K, 2.0);
  EXPECT_TRUE(r.verdict.thermal_runaway);
  EXPECT_EQ(r.verdict.eucar_level, lumped.verdict.eucar_level);
  double total = 0.0;
  for (const auto& [name, kJ] : lumped.reaction_heat_kJ) total += std::abs(kJ);
  for (std::size_t k = 0; k < net.reactions.size(); ++k) EXPECT_NEAR(r.reaction_heat_kJ[k].second, lumped.reaction_heat_kJ[k].second, 0.01 * total) << net.reactions[k].name;
  for (std::size_t row = 0; row < r.trace.time_s.size(); ++row) ASSERT_LT(r.trace.temperature_K[row] - r.min_temperature_K[row], 0.5) << r.trace.time_s[row];
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * 1000.0 * r.heat_moved_kJ);
}

TEST(Cylinder3d, JellyRollPropertiesMatchAHandCalculation) {
  // The lgm50's unit cell: NMC811 coating 75.6 um (2.1 W/(m K)), PE 12 um (0.16), graphite-SiOx 85.2 um
  // (1.7), half the 16 um Al foil (237) and half the 12 um Cu foil (401): each double-sided foil serves
  // the unit cells on both its sides.
  const auto& l = lgm50();
  const double tp = 75.6e-6, ts = 12e-6, tn = 85.2e-6, tal = 8e-6, tcu = 6e-6;
  const double t = tp + ts + tn + tal + tcu;
  const double along = (tp * 2.1 + ts * 0.16 + tn * 1.7 + tal * 237.0 + tcu * 401.0) / t;
  const double across = t / (tp / 2.1 + ts / 0.16 + tn / 1.7 + tal / 237.0 + tcu / 401.0);
  const auto body = cylinder_box(l.cell, l.inventory);
  std::cout << "lgm50 jelly roll: unit cell " << t * 1e6 << " um, " << body.unit_cells << " across the radius, k_r " << body.conductivity_through_plane_W_per_m_K
            << ", k_theta = k_z " << body.conductivity_in_plane_W_per_m_K << " W/(m K), rho c_p " << body.heat_capacity_J_per_m3_K << " J/(m3 K)\n";
  EXPECT_NEAR(body.unit_cell_thickness_m, t, 1e-12);
  EXPECT_NEAR(body.conductivity_in_plane_W_per_m_K, along, 1e-9 * along);
  EXPECT_NEAR(body.conductivity_through_plane_W_per_m_K, across, 1e-9 * across);
  EXPECT_EQ(body.unit_cells, static_cast<int>(std::lround((0.0105 - 0.0002 - 0.001) / t)));
  EXPECT_NEAR(body.outer_radius_m(), 0.0105, 1e-12);
  EXPECT_NEAR(body.inner_radius_m, 0.001, 1e-12);
  EXPECT_NEAR(body.length_z_m, 0.070, 1e-12);
  EXPECT_NEAR(body.surface_m2(), 2.0 * pi * (0.0105 * 0.070 + 0.0105 * 0.0105 - 0.001 * 0.001), 1e-12);
  // The can (7900 kg/m3; plain carbon steel's 434 J/(kg K), 60.5 W/(m K)) and the roll hold the cell's
  // heat capacity; so does the grid, the can wall mixed into its outer ring.
  EXPECT_NEAR(body.can_heat_capacity_J_per_m3_K, 7900.0 * 434.0, 1e-6);
  EXPECT_NEAR(body.can_conductivity_W_per_m_K, 60.5, 1e-12);
  const double wall = pi * (0.0105 * 0.0105 - 0.0103 * 0.0103) * 0.070;
  EXPECT_NEAR(body.heat_capacity_J_per_m3_K * body.jelly_roll_volume_m3() + body.can_heat_capacity_J_per_m3_K * wall, l.inventory.heat_capacity_J_per_K,
              1e-9 * l.inventory.heat_capacity_J_per_K);
  // A pouch is refused by cylinder_box, a cylinder by pouch_box, each naming the field.
  EXPECT_THROW(pouch_box(l.cell, l.inventory), InputError);
}

TEST(Cylinder3d, Lgm50OvenTestConservesEnergyAndHoldsTheCellsHeatCapacity) {
  const auto& l = lgm50();
  const auto net = load_reaction_network(default_network_name(l.cell.chemistry));
  ThreeDOptions o;
  o.nx = 8;
  o.ny = 4;
  o.nz = 6;
  const auto r = run_heating_test_3d(l.cell, l.inventory, net, constant_oven_procedure(170.0, 1.0), o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const double moved = 1000.0 * r.heat_moved_kJ;
  std::cout << "lgm50 in a 170 C oven (half cylinder 8 x 4 x 6): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway
            << ", onset " << r.verdict.onset_time_s.value_or(-1) << " s, short from " << r.short_onset_s.value_or(-1) << " s, Joule " << r.electrical_heat_kJ
            << " kJ, " << r.statistics.steps << " steps, imbalance " << r.energy_balance_error_J << " J of " << moved << " J\n";
  EXPECT_TRUE(r.grid.is_cylinder());
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * moved);
  // The whole cell's heat from outside plus its reactions and Joule heat is what it stores.
  EXPECT_NEAR(r.stored_energy_change_kJ, r.heat_from_surroundings_kJ + r.electrical_heat_kJ + [&] {
    double q = 0.0;
    for (const auto& [name, kJ] : r.reaction_heat_kJ) q += kJ;
    return q;
  }(), 1e-6 * r.heat_moved_kJ);
  if (r.short_onset_s) {
    const double joule = r.internal_joule_kJ + r.contact_joule_kJ + r.conductor_joule_kJ;
    EXPECT_NEAR(r.electrical_heat_kJ, joule, 1e-9 * joule);
  }
}

TEST(Cylinder3d, Lgm50NailTestConservesEnergyDrainsTheCellAndHeatsAtTheNail) {
  const auto& l = lgm50();
  const auto net = load_reaction_network(default_network_name(l.cell.chemistry));
  auto p = load_nail_procedure("gbt31485-2015");
  p.observation_s = 300.0;
  ThreeDOptions o;
  o.nx = 12;
  o.ny = 8;
  o.nz = 8;
  const auto r = run_nail_test_3d(l.cell, l.inventory, net, p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const double moved = 1000.0 * r.heat_moved_kJ;
  std::cout << "lgm50 nail (half cylinder 12 x 8 x 8, 300 s): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway
            << ", SOC " << r.trace.state_of_charge.back() << ", Joule " << r.electrical_heat_kJ << " kJ (contact " << r.contact_joule_kJ << ", internal "
            << r.internal_joule_kJ << ", nail " << r.conductor_joule_kJ << "), " << r.statistics.steps << " steps, imbalance " << r.energy_balance_error_J
            << " J of " << moved << " J\n";
  ASSERT_TRUE(r.short_onset_s);
  // The first short: through the 0.2 mm can to the first unit cell's separator at 25 mm/s.
  EXPECT_NEAR(*r.short_onset_s, (0.0002 + 0.5 * r.box.unit_cell_thickness_m) / 0.025, 1e-9);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * moved);
  const double joule = r.internal_joule_kJ + r.contact_joule_kJ + r.conductor_joule_kJ;
  EXPECT_NEAR(r.electrical_heat_kJ, joule, 1e-9 * joule);
  EXPECT_NEAR(1000.0 * joule, electrical_energy_J(l.inventory, 1.0, r.trace.state_of_charge.back()), 5e-3 * 1000.0 * joule);
  EXPECT_LT(r.trace.state_of_charge.back(), 0.5);
  // In the first seconds (the nail through the cell after 0.84 s) the hottest control volume is at the
  // nail: next to the plane of symmetry, at mid-height.
  p.observation_s = 3.0;
  const auto early = run_nail_test_3d(l.cell, l.inventory, net, p, o);
  ASSERT_TRUE(early.failure.empty()) << early.failure;
  std::size_t hottest = 0;
  for (std::size_t c = 0; c < early.peak_temperature_K.size(); ++c)
    if (early.peak_temperature_K[c] > early.peak_temperature_K[hottest]) hottest = c;
  const int j = static_cast<int>((hottest / early.grid.nx) % early.grid.ny), k = static_cast<int>(hottest / (early.grid.nx * early.grid.ny));
  std::cout << "after 3 s: hottest " << early.peak_temperature_K[hottest] - C0 << " C at ring " << hottest % early.grid.nx << ", angle " << j << ", height " << k
            << "\n";
  EXPECT_TRUE(j == 0 || j == early.grid.ny - 1) << j;
  EXPECT_NEAR(early.grid.centre_z_m(k), 0.035, early.grid.spacing_z_m());
  EXPECT_GT(early.peak_temperature_K[hottest], p.ambient_K + 20.0);
}

TEST(Cylinder3d, NailOffTheAxisRunsOnTheWholeCylinder) {
  // The nail along a chord 0.3 D from the axis at 0.3 of the height: the whole cylinder (periodic seam) is
  // solved. The first short comes when the tip reaches the first unit cell's middle along the chord; energy
  // is conserved; early on the hottest control volume lies on the chord. A nail a hair off the axis gives
  // what the half cylinder gives on the axis.
  const auto& l = lgm50();
  const auto net = load_reaction_network(default_network_name(l.cell.chemistry));
  auto p = load_nail_procedure("gbt31485-2015");
  p.observation_s = 120.0;
  p.position_x_fraction = 0.3;
  p.position_y_fraction = 0.8;
  ThreeDOptions o;
  o.nx = 12;
  o.ny = 8;
  o.nz = 8;
  const auto r = run_nail_test_3d(l.cell, l.inventory, net, p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(r.grid.ny, 16);
  EXPECT_TRUE(r.grid.is_periodic());
  const double R = r.box.outer_radius_m(), offset = 0.3 * 2.0 * R, roll_outer = R - r.box.can_wall_thickness_m;
  const double r_first = roll_outer - 0.5 * r.box.unit_cell_thickness_m;
  const double onset = (std::sqrt(R * R - offset * offset) - std::sqrt(r_first * r_first - offset * offset)) / p.speed_m_per_s;
  const double moved = 1000.0 * r.heat_moved_kJ;
  std::cout << "lgm50 nail off the axis (whole cylinder 12 x 16 x 8, 120 s): peak " << r.verdict.peak_temperature_K - C0 << " C, SOC "
            << r.trace.state_of_charge.back() << ", Joule " << r.electrical_heat_kJ << " kJ, first short " << r.short_onset_s.value_or(-1) << " s (chord: "
            << onset << " s), imbalance " << r.energy_balance_error_J << " J of " << moved << " J\n";
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_NEAR(*r.short_onset_s, onset, 1e-9);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * moved);
  const double joule = r.internal_joule_kJ + r.contact_joule_kJ + r.conductor_joule_kJ;
  EXPECT_NEAR(1000.0 * joule, electrical_energy_J(l.inventory, 1.0, r.trace.state_of_charge.back()), 5e-3 * 1000.0 * joule);

  p.observation_s = 3.0;
  const auto early = run_nail_test_3d(l.cell, l.inventory, net, p, o);
  ASSERT_TRUE(early.failure.empty()) << early.failure;
  std::size_t hottest = 0;
  for (std::size_t c = 0; c < early.peak_temperature_K.size(); ++c)
    if (early.peak_temperature_K[c] > early.peak_temperature_K[hottest]) hottest = c;
  const auto& g = early.grid;
  const int i = static_cast<int>(hottest % g.nx), j = static_cast<int>((hottest / g.nx) % g.ny), k = static_cast<int>(hottest / (g.nx * g.ny));
  const double y = g.centre_radius_m(i) * std::sin(g.centre_y_m(j));
  std::cout << "after 3 s off the axis: hottest " << early.peak_temperature_K[hottest] - C0 << " C at y = " << 1e3 * y << " mm (chord at "
            << 1e3 * offset << " mm), height " << g.centre_z_m(k) / r.box.length_z_m << " of H\n";
  EXPECT_NEAR(y, offset, g.spacing_x_m() + g.centre_radius_m(i) * g.spacing_y_m());
  EXPECT_NEAR(g.centre_z_m(k), 0.3 * r.box.length_z_m, g.spacing_z_m());

  // A hair off the axis: the whole cylinder against the half on the axis.
  auto axis = load_nail_procedure("gbt31485-2015");
  axis.observation_s = 60.0;
  auto hair = axis;
  hair.position_y_fraction = 0.5 + 1e-6;
  const auto half = run_nail_test_3d(l.cell, l.inventory, net, axis, o);
  const auto full = run_nail_test_3d(l.cell, l.inventory, net, hair, o);
  ASSERT_TRUE(half.failure.empty() && full.failure.empty());
  EXPECT_FALSE(half.grid.is_periodic());
  EXPECT_TRUE(full.grid.is_periodic());
  std::cout << "on the axis (half) against a hair off it (whole): Joule " << half.electrical_heat_kJ << " / " << full.electrical_heat_kJ << " kJ, peak "
            << half.verdict.peak_temperature_K - C0 << " / " << full.verdict.peak_temperature_K - C0 << " C\n";
  EXPECT_NEAR(full.electrical_heat_kJ, half.electrical_heat_kJ, 1e-3 * half.electrical_heat_kJ);
  EXPECT_NEAR(full.verdict.peak_temperature_K, half.verdict.peak_temperature_K, 0.02 * (half.verdict.peak_temperature_K - p.ambient_K));
}

}  // namespace solidcell::abuse
