// The crush test in 3D (crush_test.hpp, run_crush_test_3d): a tiny, highly conductive box without contact bodies
// is the lumped crush; energy is conserved with the indenter and the base taking heat; the short heats the
// failed strip under the indenter (a pouch) or in the band through the diameter (a cylinder); the contact bodies'
// conductance against its closed form; bad input.
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <numbers>
#include <sstream>

#include <gtest/gtest.h>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/crush_mechanics.hpp"
#include "solidcell/abuse/crush_test.hpp"
#include "solidcell/abuse/layer_stack.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;

struct PouchCase {
  cell::Cell cell;
  CellInventory inventory;
  CrushMechanics mechanics;
};
const PouchCase& liquid_pouch() {
  static const PouchCase c = [] {
    auto cell = cell::load_cell("liquid-ncm811-graphite");
    auto inventory = cell_inventory(cell);
    auto mechanics = crush_mechanics(cell, load_stack_mechanics(default_mechanics_name(cell.chemistry)));
    return PouchCase{cell, inventory, mechanics};
  }();
  return c;
}

ReactionNetwork no_reactions() {
  ReactionNetwork n;
  n.name = "none";
  n.chemistry = "liquid";
  return n;
}

double heat_moved_J(const AbuseResult3d& r) { return 1000.0 * r.heat_moved_kJ; }

}  // namespace

TEST(Crush3d, ContactConductanceIsTheContactInSeriesWithASemiInfiniteBody) {
  auto p = load_crush_procedure("gb38031-2025");
  EXPECT_EQ(p.contact_body_material, "stainless_steel");
  EXPECT_DOUBLE_EQ(p.contact_conductance_W_per_m2_K, 2000.0);
  const double e = std::sqrt(14.9 * 7900.0 * 477.0);  // stainless_steel.toml: k, rho, c_p
  EXPECT_NEAR(p.contact_body_effusivity_W_s05_per_m2_K, e, 1e-9 * e);
  EXPECT_DOUBLE_EQ(p.contact_conductance_at(0.0), 2000.0);
  const double t = 600.0, body = p.contact_body_effusivity_W_s05_per_m2_K / std::sqrt(std::numbers::pi * t);
  EXPECT_NEAR(p.contact_conductance_at(t), 1.0 / (1.0 / 2000.0 + 1.0 / body), 1e-9);
  EXPECT_LT(p.contact_conductance_at(3600.0), p.contact_conductance_at(60.0));
}

TEST(Crush3d, TinyConductiveBoxWithoutContactBodiesIsTheLumpedCrush) {
  // One temperature (k = 1e7 W/(m K): the short's kilowatt in a strip a few mm wide spreads over the 20 cm
  // pouch within 0.1 K), the lumped cell's surface and heat capacity, no indenter or base conduction and no
  // transport cap on either side: the 3D crush must be the lumped one.
  const auto& pc = liquid_pouch();
  auto inventory = pc.inventory;
  inventory.limiting_current_A = std::numeric_limits<double>::infinity();
  PouchBox box = pouch_box(pc.cell, inventory);
  box.conductivity_in_plane_W_per_m_K = box.conductivity_through_plane_W_per_m_K = 1e7;
  box.heat_capacity_J_per_m3_K = inventory.heat_capacity_J_per_K / box.volume_m3();
  inventory.surface_m2 = box.surface_m2();
  const auto net = load_reaction_network("liquid-ncm-graphite");
  auto p = load_crush_procedure("gbt31485-2015");  // 30 %: the separator fails
  p.contact_conductance_W_per_m2_K = 0.0;
  p.observation_s = 600.0;
  AbuseOptions lo;
  lo.relative_tolerance = 1e-7;
  const auto lumped = run_crush_test(pc.mechanics, inventory, net, p, lo);
  ASSERT_TRUE(lumped.failure.empty()) << lumped.failure;
  ThreeDOptions o;
  o.nx = 6;
  o.ny = 3;
  o.nz = 2;
  o.relative_tolerance = 1e-5;
  o.absolute_tolerance_K = 0.005;
  o.max_step_s = 5.0;
  o.max_soc_change_per_piece = 0.005;
  const auto r = run_crush_test_3d(box, pc.mechanics, inventory, net, p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::cout << "tiny box crush: lumped peak " << lumped.verdict.peak_temperature_K - C0 << " C, Joule " << lumped.electrical_heat_kJ << " kJ, EUCAR "
            << lumped.verdict.eucar_level << "; 3D peak " << r.verdict.peak_temperature_K - C0 << " C, Joule " << r.electrical_heat_kJ << " kJ, EUCAR "
            << r.verdict.eucar_level << "; shutdown " << lumped.separator_shutdown_s.value_or(-1) << " / " << r.separator_shutdown_s.value_or(-1) << " s\n";
  ASSERT_TRUE(lumped.short_onset_s && r.short_onset_s);
  EXPECT_NEAR(*r.short_onset_s, *lumped.short_onset_s, 1e-9);
  // Measured: peak 130.02 against 130.00 C, Joule 103.519 against 103.512 kJ, shutdown 34.362 against 34.355 s.
  EXPECT_NEAR(r.verdict.peak_temperature_K, lumped.verdict.peak_temperature_K, 0.5);
  EXPECT_NEAR(r.electrical_heat_kJ, lumped.electrical_heat_kJ, 1e-3 * lumped.electrical_heat_kJ);
  ASSERT_TRUE(lumped.separator_shutdown_s && r.separator_shutdown_s);
  EXPECT_NEAR(*r.separator_shutdown_s, *lumped.separator_shutdown_s, 0.1);
  EXPECT_EQ(r.verdict.thermal_runaway, lumped.verdict.thermal_runaway);
  EXPECT_EQ(r.verdict.eucar_level, lumped.verdict.eucar_level);
  ASSERT_TRUE(r.heat_to_contact_bodies_kJ);
  EXPECT_DOUBLE_EQ(*r.heat_to_contact_bodies_kJ, 0.0);
}

TEST(Crush3d, ShortHeatsTheFailedStripAndTheBodiesTakeHeatWithEnergyConserved) {
  const auto& pc = liquid_pouch();
  auto p = load_crush_procedure("gbt31485-2015");
  p.observation_s = 300.0;
  ThreeDOptions o;
  o.nx = 24;
  o.ny = 4;
  o.nz = 6;
  const auto net = no_reactions();
  const auto with_bodies = run_crush_test_3d(pc.cell, pc.inventory, net, p, o);
  ASSERT_TRUE(with_bodies.failure.empty()) << with_bodies.failure;
  auto insulated = p;
  insulated.contact_conductance_W_per_m2_K = 0.0;
  const auto without = run_crush_test_3d(pc.cell, pc.inventory, net, insulated, o);
  ASSERT_TRUE(without.failure.empty()) << without.failure;
  std::cout << "crush 3D (no reactions, 24 x 4 x 6): peak " << with_bodies.verdict.peak_temperature_K - C0 << " C with the indenter and base, "
            << without.verdict.peak_temperature_K - C0 << " C without; bodies took " << with_bodies.heat_to_contact_bodies_kJ.value_or(-1) << " kJ of "
            << with_bodies.electrical_heat_kJ << " kJ Joule; imbalance " << with_bodies.energy_balance_error_J << " J of " << heat_moved_J(with_bodies) << " J\n";
  for (const auto* r : {&with_bodies, &without}) {
    EXPECT_LT(std::abs(r->energy_balance_error_J), 1e-6 * heat_moved_J(*r));
    // Joule heat booked = what the circuit drew.
    const double joule = r->internal_joule_kJ + r->contact_joule_kJ + r->conductor_joule_kJ;
    EXPECT_NEAR(r->electrical_heat_kJ, joule, 1e-9 * joule);
    EXPECT_GT(r->contact_joule_kJ, 0.0);
    EXPECT_DOUBLE_EQ(r->conductor_joule_kJ, 0.0);
    // The hottest control volume lies in the failed strip at mid-length.
    std::size_t hottest = 0;
    for (std::size_t c = 0; c < r->peak_temperature_K.size(); ++c)
      if (r->peak_temperature_K[c] > r->peak_temperature_K[hottest]) hottest = c;
    const int i = static_cast<int>(hottest % r->grid.nx);
    const double half = pc.mechanics.failed_half_width_m(p.speed_m_per_s * 1e9, p.indenter);  // at most the final strip
    EXPECT_LT(std::abs(r->grid.centre_x_m(i) - 0.5 * r->box.length_x_m), half + r->grid.spacing_x_m());
    ASSERT_TRUE(r->short_onset_s);
  }
  ASSERT_TRUE(with_bodies.heat_to_contact_bodies_kJ);
  EXPECT_GT(*with_bodies.heat_to_contact_bodies_kJ, 0.0);
  EXPECT_LT(*with_bodies.heat_to_contact_bodies_kJ, -with_bodies.heat_from_surroundings_kJ + 1e-9);  // part of what left through the faces
  EXPECT_LT(with_bodies.verdict.peak_temperature_K, without.verdict.peak_temperature_K);
  // The same short either way: the circuit does not see the bodies.
  EXPECT_NEAR(with_bodies.electrical_heat_kJ, without.electrical_heat_kJ, 1e-6 * without.electrical_heat_kJ);
}

TEST(Crush3d, NoShortBeforeTheFailingLayerFails) {
  // GB 38031-2025 stops the liquid pouch at 15 %, before its separator fails (about 29 %): no short, no heat
  // but the surroundings', and the cell stays at room temperature.
  const auto& pc = liquid_pouch();
  auto p = load_crush_procedure("gb38031-2025");
  p.observation_s = 60.0;
  p.hold_s = 60.0;
  ThreeDOptions o;
  o.nx = 8;
  o.ny = 4;
  o.nz = 3;
  const auto r = run_crush_test_3d(pc.cell, pc.inventory, no_reactions(), p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_FALSE(r.short_onset_s);
  EXPECT_DOUBLE_EQ(r.electrical_heat_kJ, 0.0);
  EXPECT_NEAR(r.verdict.peak_temperature_K, p.ambient_K, 1e-6);
  EXPECT_TRUE(r.verdict.pass);
  EXPECT_FALSE(r.trace.force_N.empty());
}

TEST(Crush3d, CylinderIsCrushedAcrossItsDiameterWithEnergyConserved) {
  // lgm50 on its side under GB/T 31485 (30 %): the half cylinder, the failed band through the diameter at
  // mid-height, the indenter on top and the base below conducting heat away; energy holds, the hottest control
  // volume lies in the band at mid-height, and the short's onset is the mechanics'.
  const auto cell = cell::load_cell("lgm50");
  const auto inventory = cell_inventory(cell);
  auto p = load_crush_procedure("gbt31485-2015");
  p.observation_s = 120.0;
  ThreeDOptions o;
  o.nx = 10;
  o.ny = 8;
  o.nz = 12;
  const auto r = run_crush_test_3d(cell, inventory, no_reactions(), p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto mechanics = crush_mechanics(cell, load_stack_mechanics(default_mechanics_name(cell.chemistry)));
  std::cout << "lgm50 crush 3D (no reactions, 10 x 8 x 12 half cylinder): peak " << r.verdict.peak_temperature_K - C0 << " C, Joule "
            << r.electrical_heat_kJ << " kJ, bodies " << r.heat_to_contact_bodies_kJ.value_or(-1) << " kJ, imbalance " << r.energy_balance_error_J << " J of "
            << heat_moved_J(r) << " J\n";
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_NEAR(*r.short_onset_s, *mechanics.onset_indentation_m() / p.speed_m_per_s, 1e-12);
  EXPECT_FALSE(r.grid.is_periodic());
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * heat_moved_J(r));
  EXPECT_GT(r.heat_to_contact_bodies_kJ.value_or(0.0), 0.0);
  std::size_t hottest = 0;
  for (std::size_t c = 0; c < r.peak_temperature_K.size(); ++c)
    if (r.peak_temperature_K[c] > r.peak_temperature_K[hottest]) hottest = c;
  const auto& g = r.grid;
  const int i = static_cast<int>(hottest % g.nx), j = static_cast<int>((hottest / g.nx) % g.ny), k = static_cast<int>(hottest / (g.nx * g.ny));
  EXPECT_LT(std::abs(g.centre_radius_m(i) * std::sin(g.centre_y_m(j))), 0.5 * mechanics.geometry().width_m);
  EXPECT_NEAR(g.centre_z_m(k), 0.5 * r.box.length_z_m, mechanics.failed_half_width_m(p.speed_m_per_s * 1e9, p.indenter) + g.spacing_z_m());
}

TEST(Crush3d, BadContactDataIsRefusedByName) {
  // The standard's contact data: an unknown material and a conductance out of range are named with the file.
  std::stringstream text;
  text << std::ifstream(builtin_data_dir() / "standards" / "gb38031-2025.toml").rdbuf();
  auto variant = [&](const std::string& from, const std::string& to) {
    std::string t = text.str();
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
    const std::string file = ::testing::TempDir() + "/crush-contact.toml";
    std::ofstream(file) << t;
    return file;
  };
  const auto bad_material = variant("body_material = \"stainless_steel\"", "body_material = \"unobtainium\"");
  try {
    load_crush_procedure(bad_material);
    FAIL() << "an unknown contact material was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "crush.contact.body_material") << e.what();
    EXPECT_EQ(e.where().file, bad_material);
    EXPECT_NE(std::string(e.what()).find("unobtainium"), std::string::npos) << e.what();
  }
  const auto bad_conductance = variant("conductance_W_per_m2_K = 2000.0", "conductance_W_per_m2_K = -5.0");
  try {
    load_crush_procedure(bad_conductance);
    FAIL() << "a negative contact conductance was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(e.where().field.find("conductance_W_per_m2_K"), std::string::npos) << e.what();
    EXPECT_GT(e.where().line, 0);
  }
}

}  // namespace solidcell::abuse
