// The 3D abuse models: a reaction network in every control volume of the conduction solver against the
// lumped model (a tiny, highly conductive box is one lumped cell), conservation of energy with reactions,
// shorts and a nail, the reaction heat against H x reacted mass, per-cell switches, the layer-stack
// conductivity against a hand calculation, and the nail's short (grid independence, monotone local heat,
// no short without contact).
#include <cmath>
#include <iostream>
#include <memory>
#include <numbers>

#include <gtest/gtest.h>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/layer_stack.hpp"
#include "solidcell/abuse/nail_test.hpp"
#include "solidcell/abuse/network_chemistry.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/short_circuit.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material_library.hpp"
#include "solidcell/thermal/conduction_3d.hpp"
#include "support/kim2007_cell.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;

// The built-in liquid pouch cell and its inventory (a DFN pulse: computed once).
struct LiquidCell {
  cell::Cell cell;
  CellInventory inventory;
};
const LiquidCell& liquid_cell() {
  static const LiquidCell c = [] {
    LiquidCell l{cell::load_cell("liquid-ncm811-graphite"), {}};
    l.inventory = cell_inventory(l.cell);
    return l;
  }();
  return c;
}

HeatingProcedure constant_oven_procedure(double celsius, double hours, double ambient_celsius = 25.0) {
  OvenThresholdOptions o;
  o.room_K = ambient_celsius + C0;
  o.exposure_s = hours * 3600.0;
  o.convection_W_per_m2_K = 10.0;
  o.emissivity = 0.8;
  return constant_oven(celsius + C0, o);
}

double heat_moved_J(const AbuseResult3d& r) { return 1000.0 * r.heat_moved_kJ; }

// The electrical energy a short drew from the cell: the charge it moved times the open-circuit voltage,
// Q * integral of U_ocv(s) ds from the final to the initial state of charge (trapezoids).
double electrical_energy_J(const CellInventory& inv, double soc_start, double soc_end) {
  const int n = 2000;
  double sum = 0.0;
  for (int k = 0; k < n; ++k) {
    const double a = soc_end + (soc_start - soc_end) * k / n, b = soc_end + (soc_start - soc_end) * (k + 1) / n;
    sum += 0.5 * (inv.open_circuit_voltage(a) + inv.open_circuit_voltage(b)) * (b - a);
  }
  return sum * inv.capacity_Ah * constants::seconds_per_hour;
}

ReactionNetwork no_reactions() {
  ReactionNetwork n;
  n.name = "none";
  n.chemistry = "liquid";
  return n;
}

}  // namespace

TEST(Abuse3d, TinyConductiveBoxRunsAwayLikeTheLumpedCell) {
  // Kim's 18650 as a box of the same volume and outer surface with k = 1e4 W/(m K) (Biot number ~1e-6):
  // one temperature, so the 3D oven test must reproduce the lumped one.
  const auto net = load_reaction_network("kim2007-lco-graphite");
  const auto kim = test_cells::kim_18650();
  const double V = test_cells::kim_18650_volume_m3(), A = kim.surface_m2;
  // A square-based box a x a x c with a^2 c = V and 2 a^2 + 4 a c = A (the tall root).
  double lo = 0.002, hi = std::cbrt(V);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (2.0 * mid * mid + 4.0 * V / mid - A > 0.0 ? lo : hi) = mid;
  }
  PouchBox box;
  box.length_x_m = box.length_y_m = lo;
  box.length_z_m = V / (lo * lo);
  box.conductivity_in_plane_W_per_m_K = box.conductivity_through_plane_W_per_m_K = 1e4;
  box.heat_capacity_J_per_m3_K = kim.heat_capacity_J_per_K / V;
  box.unit_cell_thickness_m = box.length_z_m;
  ASSERT_NEAR(box.surface_m2(), A, 1e-9 * A);

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
  const auto r = run_heating_test_3d(box, kim, net, procedure, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_TRUE(r.verdict.onset_time_s);
  std::cout << "onset: lumped " << *lumped.verdict.onset_time_s << " s, 3D " << *r.verdict.onset_time_s << " s; peak: lumped "
            << lumped.verdict.peak_temperature_K - C0 << " C, 3D " << r.verdict.peak_temperature_K - C0 << " C; " << r.statistics.steps << " steps\n";
  EXPECT_NEAR(*r.verdict.onset_time_s, *lumped.verdict.onset_time_s, 0.01 * *lumped.verdict.onset_time_s);
  EXPECT_NEAR(r.verdict.peak_temperature_K, lumped.verdict.peak_temperature_K, 2.0);
  EXPECT_TRUE(r.verdict.thermal_runaway);
  EXPECT_EQ(r.verdict.eucar_level, lumped.verdict.eucar_level);
  // The same heat per reaction (1 % of the total) and the hot spot is the whole cell (Biot ~ 0).
  double total = 0.0;
  for (const auto& [name, kJ] : lumped.reaction_heat_kJ) total += std::abs(kJ);
  for (std::size_t k = 0; k < net.reactions.size(); ++k) EXPECT_NEAR(r.reaction_heat_kJ[k].second, lumped.reaction_heat_kJ[k].second, 0.01 * total) << net.reactions[k].name;
  for (std::size_t row = 0; row < r.trace.time_s.size(); ++row) ASSERT_LT(r.trace.temperature_K[row] - r.min_temperature_K[row], 0.5) << r.trace.time_s[row];
}

TEST(Abuse3d, ReactionHeatEqualsHeatTimesReactedMassInEveryControlVolume) {
  // The solver's booked heat per reaction against H_k x the reacted mass summed over the control volumes,
  // on a box with a temperature gradient (one hot face), so that cells react differently.
  const auto net = load_reaction_network("kim2007-lco-graphite");
  const auto kim = test_cells::kim_18650();
  thermal::Conduction3d box({4, 3, 8, 0.03, 0.02, 0.04});
  box.set_conductivity(1.0, 1.0, 0.5);
  box.set_heat_capacity(kim.heat_capacity_J_per_K / test_cells::kim_18650_volume_m3());
  box.set_face(thermal::BoxFace::z_min, thermal::FaceCondition::fixed_temperature(440.0));
  box.set_face(thermal::BoxFace::z_max, thermal::FaceCondition::fixed_temperature(300.0));
  const double V_jr = test_cells::kim_18650_volume_m3();  // Kim's heat per volume
  auto chem = std::make_shared<NetworkChemistry>(net, kim, 1.0, V_jr, std::vector<double>(box.cell_count(), 1.0));
  box.set_chemistry(chem);
  box.set_initial_temperature(300.0);
  box.advance_to(900.0);
  const auto b = box.energy_balance();
  ASSERT_EQ(b.reaction_heat_by_channel_J.size(), net.reactions.size());
  const double dV = box.grid().cell_volume_m3();
  double all = 0.0;
  for (std::size_t k = 0; k < net.reactions.size(); ++k) {
    double reacted_kg = 0.0, lowest = 1.0, highest = 0.0;
    for (std::size_t c = 0; c < box.cell_count(); ++c) {
      const auto state = box.chemistry_state(c);
      reacted_kg += chem->reactant_kg(k) / V_jr * dV * chem->converted(k, state);
      lowest = std::min(lowest, chem->progress(k, state));
      highest = std::max(highest, chem->progress(k, state));
    }
    const double expected = net.reactions[k].heat_J_per_kg * reacted_kg;
    std::cout << net.reactions[k].name << ": progress " << lowest << ".." << highest << ", heat " << b.reaction_heat_by_channel_J[k] << " J\n";
    EXPECT_NEAR(b.reaction_heat_by_channel_J[k], expected, 1e-10 * std::abs(expected) + 1e-9) << net.reactions[k].name;
    all += std::abs(expected);
    if (k == 0) {
      EXPECT_GT(highest, 0.5);  // the SEI near the hot wall is largely gone ...
      EXPECT_LT(lowest, 0.1);   // ... and barely touched at the cool face
    }
  }
  EXPECT_GT(all, 1.0);
  EXPECT_LT(std::abs(b.imbalance_J()), 1e-6 * (all + std::abs(b.heat_in_through_faces_J())));
}

TEST(Abuse3d, AdiabaticBoxReleasesTheNetworksHeat) {
  // Started hot with no exchange: every reaction but the SEI-limited one runs to completion in every
  // control volume, and the box warms by the heat released over its heat capacity (as the lumped test).
  const auto net = load_reaction_network("kim2007-lco-graphite");
  const auto kim = test_cells::kim_18650();
  const double V = 0.02 * 0.02 * 0.01;
  thermal::Conduction3d box({3, 3, 2, 0.02, 0.02, 0.01});
  box.set_conductivity(0.5, 0.5, 0.5);
  const double rho_cp = kim.heat_capacity_J_per_K / V;
  box.set_heat_capacity(rho_cp);
  auto chem = std::make_shared<NetworkChemistry>(net, kim, 1.0, V, std::vector<double>(box.cell_count(), 1.0));
  box.set_chemistry(chem);
  thermal::Conduction3dOptions o;
  o.relative_tolerance = 1e-6;
  o.absolute_tolerance_K = 1e-3;
  box.set_options(o);
  box.set_initial_temperature(423.15);
  box.advance_to(7200.0);
  double full = 0.0, released = 0.0;
  for (std::size_t k = 0; k < net.reactions.size(); ++k) {
    full += chem->heat_available_J(k);
    released += box.energy_balance().reaction_heat_by_channel_J[k];
    for (std::size_t c = 0; c < box.cell_count(); ++c) {
      const double p = chem->progress(k, box.chemistry_state(c));
      if (net.reactions[k].law == RateLaw::sei_limited) {
        EXPECT_GT(p, 0.9);
        EXPECT_LT(p, 1.0);
      } else {
        EXPECT_GT(p, 0.999) << net.reactions[k].name;
      }
    }
  }
  EXPECT_LT(released, full);
  EXPECT_GT(released, 0.95 * full);
  EXPECT_NEAR(box.mean_temperature_K() - 423.15, released / kim.heat_capacity_J_per_K, 1e-6 * released / kim.heat_capacity_J_per_K);
}

TEST(Abuse3d, ThresholdsAndGatesSwitchPerControlVolume) {
  // The liquid network's cathode steps start at 120 C: with one face at 150 C and the other cooled, the
  // cells near the hot face switch them on, the cool ones do not, and a switched-off reaction does not move.
  const auto net = load_reaction_network("liquid-ncm-graphite");
  const auto& lc = liquid_cell();
  thermal::Conduction3d box({2, 2, 8, 0.02, 0.02, 0.04});
  box.set_conductivity(1.0, 1.0, 1.0);
  box.set_heat_capacity(2.5e6);
  box.set_face(thermal::BoxFace::z_min, thermal::FaceCondition::fixed_temperature(150.0 + C0));
  box.set_face(thermal::BoxFace::z_max, thermal::FaceCondition::fixed_temperature(25.0 + C0));
  // The real cell's heat per volume: its reacting masses spread over its own jelly roll.
  const double V_jr = pouch_box(lc.cell, lc.inventory).volume_m3();
  auto chem = std::make_shared<NetworkChemistry>(net, lc.inventory, 1.0, V_jr, std::vector<double>(box.cell_count(), 1.0));
  box.set_chemistry(chem);
  box.set_initial_temperature(25.0 + C0);
  std::size_t cathode = 0;
  while (net.reactions[cathode].law != RateLaw::autocatalytic) ++cathode;
  ASSERT_FALSE(chem->enabled(0, cathode));
  box.advance_to(1.0);
  ASSERT_FALSE(chem->enabled(box.cell_count() - 1, cathode)) << box.temperature_K()[box.cell_count() - 1];
  box.advance_to(3600.0);
  int on = 0, off = 0;
  std::cout << "temperatures along z [C]:";
  for (int k = 0; k < box.grid().nz; ++k) std::cout << ' ' << box.temperature_K(0, 0, k) - C0 << (chem->enabled(box.grid().index(0, 0, k), cathode) ? "(on)" : "(off)");
  std::cout << '\n';
  for (std::size_t c = 0; c < box.cell_count(); ++c) {
    const double T = box.temperature_K()[c];
    const auto state = box.chemistry_state(c);
    if (chem->enabled(c, cathode)) {
      ++on;
      EXPECT_GT(chem->progress(cathode, state), 0.0);
    } else {
      ++off;
      EXPECT_LT(T, 120.0 + C0 + 1e-9);
      EXPECT_NEAR(chem->progress(cathode, state), 0.0, 1e-12);  // untouched (to the round-off of the BDF history)
    }
  }
  EXPECT_GT(on, 0);
  EXPECT_GT(off, 0);
}

TEST(Abuse3d, LayerStackConductivityMatchesAHandCalculation) {
  // Two layers: 1 and 100 W/(m K), equal thickness.
  const auto two = mix_layer_stack({{"a", "", 1e-5, 1.0}, {"b", "", 1e-5, 100.0}});
  EXPECT_DOUBLE_EQ(two.in_plane_W_per_m_K, 50.5);
  EXPECT_DOUBLE_EQ(two.through_plane_W_per_m_K, 2.0 / 1.01);
  EXPECT_THROW(mix_layer_stack({{"a", "", 1e-5, 0.0}}), std::invalid_argument);

  // The built-in liquid cell by hand: NCM811 coating 2.1, PE 0.16, graphite coating 1.7, Al 237, Cu 401
  // W/(m K) (data/materials; carbon black and binders carry none); collectors 20 x 15 um Al and 21 x 8 um
  // Cu over 40 unit cells.
  const auto& c = liquid_cell().cell;
  const double tp = c.positive.thickness_m, ts = 12e-6, tn = c.negative.composite->thickness_m;
  const double tal = 20.0 * 15e-6 / 40.0, tcu = 21.0 * 8e-6 / 40.0;
  const double t = tp + ts + tn + tal + tcu;
  const double in_plane = (tp * 2.1 + ts * 0.16 + tn * 1.7 + tal * 237.0 + tcu * 401.0) / t;
  const double through = t / (tp / 2.1 + ts / 0.16 + tn / 1.7 + tal / 237.0 + tcu / 401.0);
  const auto s = layer_stack_conductivity(c);
  std::cout << "liquid-ncm811-graphite stack: unit cell " << t * 1e6 << " um, in-plane " << s.in_plane_W_per_m_K << ", through-plane "
            << s.through_plane_W_per_m_K << " W/(m K)\n";
  EXPECT_NEAR(s.unit_cell_thickness_m, t, 1e-12);
  EXPECT_NEAR(s.in_plane_W_per_m_K, in_plane, 1e-9 * in_plane);
  EXPECT_NEAR(s.through_plane_W_per_m_K, through, 1e-9 * through);
  // The box holds the cell's heat capacity and its stack.
  const auto box = pouch_box(c, liquid_cell().inventory);
  EXPECT_NEAR(box.length_z_m, 40.0 * t, 1e-12);
  EXPECT_NEAR(box.heat_capacity_J_per_m3_K * box.volume_m3(), liquid_cell().inventory.heat_capacity_J_per_K, 1e-9);

  // A sulfide composite cathode: NCM811 and Li6PS5Cl mixed geometrically by their solid volume fractions.
  const auto assb = cell::load_cell("assb-sulfide-li");
  double f_ncm = 0.0, f_se = 0.0;
  for (const auto& solid : assb.positive.solids) {
    if (solid.material == "ncm811") f_ncm = solid.volume_fraction;
    if (solid.material == "li6ps5cl") f_se = solid.volume_fraction;
  }
  const double k_cathode = std::exp((f_ncm * std::log(2.1) + f_se * std::log(0.5)) / (f_ncm + f_se));
  EXPECT_NEAR(composite_layer_conductivity(assb.positive, assb, "positive electrode"), k_cathode, 1e-12);

  // A layer whose materials carry no conductivity names the field.
  auto bare = c;
  bare.materials.at("ncm811").thermal.thermal_conductivity_W_per_m_K.reset();
  try {
    layer_stack_conductivity(bare, "cell.toml");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "materials.ncm811.thermal.thermal_conductivity_W_per_m_K");
    EXPECT_EQ(e.where().file, "cell.toml");
  }
}

TEST(Abuse3d, OvenTestOfThePouchCellConservesEnergyWithReactionsAndShort) {
  // 170 C: above the separator's 165 C onset, so the short joins the reactions.
  const auto& lc = liquid_cell();
  const auto net = load_reaction_network("liquid-ncm-graphite");
  ThreeDOptions o;
  o.nx = 8;
  o.ny = 4;
  o.nz = 4;
  const auto r = run_heating_test_3d(lc.cell, lc.inventory, net, constant_oven_procedure(170.0, 1.0), o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::cout << "liquid pouch in a 170 C oven (3D, 8 x 4 x 4): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway
            << ", short from " << r.short_onset_s.value_or(-1) << " s, Joule " << r.electrical_heat_kJ << " kJ, " << r.statistics.steps
            << " steps, imbalance " << r.energy_balance_error_J << " J of " << heat_moved_J(r) << " J\n";
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_GT(r.electrical_heat_kJ, 0.0);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * heat_moved_J(r));
  // The Joule heat booked by the solver is the circuit's (piecewise-constant current, exact integration),
  // and all the charge the short moved: U_ocv I over the state of charge it drained.
  const double joule = r.internal_joule_kJ + r.contact_joule_kJ + r.conductor_joule_kJ;
  EXPECT_NEAR(r.electrical_heat_kJ, joule, 1e-9 * joule);
  const double soc_end = r.trace.state_of_charge.back();
  EXPECT_NEAR(1000.0 * joule, electrical_energy_J(lc.inventory, 1.0, soc_end), 5e-3 * 1000.0 * joule);
}

TEST(Abuse3d, NailTestConservesEnergyAndDrainsTheCell) {
  const auto& lc = liquid_cell();
  const auto net = load_reaction_network("liquid-ncm-graphite");
  auto p = load_nail_procedure("gbt31485-2015");
  EXPECT_NEAR(p.diameter_m, 0.005, 1e-12);
  EXPECT_NEAR(p.speed_m_per_s, 0.025, 1e-12);
  EXPECT_NEAR(p.observation_s, 3600.0, 1e-9);
  EXPECT_NEAR(p.nail_conductivity_W_per_m_K, 14.9, 1e-12);  // stainless_steel.toml
  p.observation_s = 600.0;
  ThreeDOptions o;
  o.nx = 12;
  o.ny = 6;
  o.nz = 4;
  const auto r = run_nail_test_3d(lc.cell, lc.inventory, net, p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::cout << "nail (3D, 12 x 6 x 4, 600 s): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway << ", SOC "
            << r.trace.state_of_charge.back() << ", Joule " << r.electrical_heat_kJ << " kJ (contact " << r.contact_joule_kJ << ", internal "
            << r.internal_joule_kJ << ", nail " << r.conductor_joule_kJ << "), " << r.statistics.steps << " steps, imbalance " << r.energy_balance_error_J
            << " J of " << heat_moved_J(r) << " J\n";
  EXPECT_EQ(r.test, "nail");
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_NEAR(*r.short_onset_s, 0.5 * r.box.unit_cell_thickness_m / 0.025, 1e-12);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * heat_moved_J(r));
  const double joule = r.internal_joule_kJ + r.contact_joule_kJ + r.conductor_joule_kJ;
  EXPECT_NEAR(r.electrical_heat_kJ, joule, 1e-9 * joule);
  EXPECT_NEAR(1000.0 * joule, electrical_energy_J(lc.inventory, 1.0, r.trace.state_of_charge.back()), 5e-3 * 1000.0 * joule);
  EXPECT_LT(r.trace.state_of_charge.back(), 0.5);  // a 5 mOhm short drains most of the cell in 10 minutes
  // The hottest control volume is at the nail.
  std::size_t hottest = 0;
  for (std::size_t c = 0; c < r.peak_temperature_K.size(); ++c)
    if (r.peak_temperature_K[c] > r.peak_temperature_K[hottest]) hottest = c;
  const int i = static_cast<int>(hottest % r.grid.nx), j = static_cast<int>((hottest / r.grid.nx) % r.grid.ny);
  EXPECT_NEAR(r.grid.centre_x_m(i), 0.5 * r.box.length_x_m, r.grid.spacing_x_m());
  EXPECT_NEAR(r.grid.centre_y_m(j), 0.5 * r.box.length_y_m, r.grid.spacing_y_m());
}

TEST(Abuse3d, NailShortHeatIsGridIndependentMonotoneAndZeroWithoutContact) {
  const auto& lc = liquid_cell();
  const auto none = no_reactions();
  auto p = load_nail_procedure("gbt31485-2015");
  p.observation_s = 60.0;
  // Without radiation: the hot spot at the top face (its temperature depends on the grid) would radiate
  // by T^4 and make the faces' losses, hence the mean temperature, grid dependent.
  p.emissivity = 0.0;
  ThreeDOptions coarse;
  coarse.nx = 10;
  coarse.ny = 6;
  coarse.nz = 4;
  ThreeDOptions fine = coarse;
  fine.nx = 20;
  fine.ny = 12;
  fine.nz = 8;
  const auto a = run_nail_test_3d(lc.cell, lc.inventory, none, p, coarse);
  const auto b = run_nail_test_3d(lc.cell, lc.inventory, none, p, fine);
  ASSERT_TRUE(a.failure.empty() && b.failure.empty()) << a.failure << b.failure;
  std::cout << "nail short, 60 s: Joule " << a.electrical_heat_kJ << " kJ (coarse), " << b.electrical_heat_kJ << " kJ (fine); mean T at the end "
            << a.mean_temperature_K.back() - C0 << " / " << b.mean_temperature_K.back() - C0 << " C; hot spot " << a.verdict.peak_temperature_K - C0
            << " / " << b.verdict.peak_temperature_K - C0 << " C\n";
  // The short's heat does not depend on the grid (1e-6), nor does the box's mean temperature (0.2 % of
  // its rise): the heat is deposited where the nail is and conserved.
  EXPECT_NEAR(a.electrical_heat_kJ, b.electrical_heat_kJ, 1e-6 * a.electrical_heat_kJ);
  EXPECT_NEAR(a.mean_temperature_K.back(), b.mean_temperature_K.back(), 2e-3 * (a.mean_temperature_K.back() - p.ambient_K));
  EXPECT_GT(b.verdict.peak_temperature_K, a.verdict.peak_temperature_K);  // a finer grid resolves the hot spot more sharply
  EXPECT_LT(std::abs(a.energy_balance_error_J), 1e-6 * heat_moved_J(a));
  EXPECT_LT(std::abs(b.energy_balance_error_J), 1e-6 * heat_moved_J(b));

  // Contact resistance below the cell's own: a larger one keeps more of the heat at the nail and heats it
  // more (I^2 R_c rises with R_c while R_c < R_int).
  const double r_int = lc.inventory.internal_resistance_ohm;
  double previous_share = 0.0, previous_contact = 0.0, previous_peak = 0.0;
  p.observation_s = 10.0;
  for (double ratio : {0.1, 0.3, 0.9}) {
    auto q = p;
    q.contact_resistance_ohm = ratio * r_int * 40.0;  // 40 unit cells in parallel: R_c,eff = ratio R_int
    const auto r = run_nail_test_3d(lc.cell, lc.inventory, none, q, coarse);
    ASSERT_TRUE(r.failure.empty()) << r.failure;
    const double share = r.contact_joule_kJ / (r.contact_joule_kJ + r.internal_joule_kJ + r.conductor_joule_kJ);
    std::cout << "contact " << q.contact_resistance_ohm << " Ohm per unit cell: local share " << share << ", contact heat " << r.contact_joule_kJ
              << " kJ, hot spot " << r.verdict.peak_temperature_K - C0 << " C\n";
    EXPECT_GT(share, previous_share);
    EXPECT_GT(r.contact_joule_kJ, previous_contact);
    EXPECT_GT(r.verdict.peak_temperature_K, previous_peak);
    previous_share = share;
    previous_contact = r.contact_joule_kJ;
    previous_peak = r.verdict.peak_temperature_K;
  }

  // A nail stopped before it reaches the first separator: a conductor in the cell, no short, no heat.
  auto shallow = p;
  shallow.depth_fraction = 0.4 * a.box.unit_cell_thickness_m / a.box.length_z_m;
  const auto s = run_nail_test_3d(lc.cell, lc.inventory, none, shallow, coarse);
  ASSERT_TRUE(s.failure.empty()) << s.failure;
  EXPECT_EQ(s.electrical_heat_kJ, 0.0);
  EXPECT_EQ(s.contact_joule_kJ + s.internal_joule_kJ + s.conductor_joule_kJ, 0.0);
  EXPECT_FALSE(s.short_onset_s);
  EXPECT_NEAR(s.verdict.peak_temperature_K, p.ambient_K, 1e-9);
  EXPECT_EQ(s.trace.state_of_charge.back(), 1.0);
}

TEST(Abuse3d, MaterialThermalConductivityIsReadWithItsRange) {
  // Every material of the built-in pouch cells' stacks carries a conductivity with a source.
  const auto library = materials::MaterialLibrary::builtin();
  for (const char* name : {"ncm811", "graphite", "pe_separator", "li6ps5cl", "lithium", "aluminium", "copper", "stainless_steel"}) {
    const auto* m = library.find(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_TRUE(m->thermal.thermal_conductivity_W_per_m_K) << name;
    EXPECT_FALSE(m->thermal.source.empty()) << name;
  }
  // A value typed in the wrong unit (mW/(m K)) is refused with its field.
  const auto doc = toml::parse("role = \"binder\"\nsource = \"t\"\n[thermal]\nthermal_conductivity_W_per_m_K = 190.0e3\nsource = \"t\"\n");
  try {
    materials::read_material(io::TomlTable(doc, "pvdf.toml", ""), "pvdf");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "thermal.thermal_conductivity_W_per_m_K");
  }
}

TEST(Abuse3d, NailProcedureErrorsNameTheField) {
  const auto p = load_nail_procedure("gbt31485-2015");
  NailOverrides o;
  o.diameter_m = 0.2;
  try {
    with_overrides(p, o);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "nail.diameter_m");
  }
  NailOverrides m;
  m.nail_material = "pvdf";  // no electrical conductivity
  EXPECT_THROW(with_overrides(p, m), InputError);
  NailOverrides ok;
  ok.diameter_m = 0.008;
  ok.contact_resistance_ohm = 0.05;
  const auto q = with_overrides(p, ok);
  EXPECT_EQ(q.diameter_m, 0.008);
  EXPECT_EQ(q.contact_resistance_ohm, 0.05);
  // Short-circuit arithmetic: 40 branches of (0.2 + nail) Ohm in parallel.
  NailShortPath path{0.2, 0.001, 40};
  EXPECT_DOUBLE_EQ(path.resistance_ohm(), 0.201 / 40.0);
  const auto power = path.power(4.0, 0.002);
  EXPECT_NEAR(power.total_W(), 4.0 * power.current_A, 1e-9 * power.total_W());
  EXPECT_EQ(unit_cells_crossed(2.49e-4, 1e-4, 40), 2);
  EXPECT_EQ(unit_cells_crossed(2.51e-4, 1e-4, 40), 3);
  EXPECT_EQ(unit_cells_crossed(1.0, 1e-4, 40), 40);
}

}  // namespace solidcell::abuse

namespace solidcell::abuse {
namespace {

const LiquidCell& sulfide_cell() {
  static const LiquidCell c = [] {
    LiquidCell l{cell::load_cell("assb-sulfide-li"), {}};
    l.inventory = cell_inventory(l.cell);
    return l;
  }();
  return c;
}

}  // namespace

TEST(Abuse3d, SulfideNailTestCompletesWithJumpsAndConservesEnergy) {
  // The sulfide cell's lithium + cathode oxygen and O2 + Li6PS5Cl finish within nanoseconds once hot: the
  // control volumes at the nail ignite one after another as jumps (docs/thermal-3d.md, "Ignitions"),
  // rather than each being resolved in steps of nanoseconds.
  const auto& sc = sulfide_cell();
  const auto net = load_reaction_network("sulfide-assb");
  auto p = load_nail_procedure("gbt31485-2015");
  p.observation_s = 300.0;
  ThreeDOptions o;
  o.nx = 8;
  o.ny = 6;
  o.nz = 4;
  const auto r = run_nail_test_3d(sc.cell, sc.inventory, net, p, o);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::cout << "sulfide nail (3D, 8 x 6 x 4, 300 s): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway
            << ", pass " << r.verdict.pass << ", " << r.statistics.steps << " steps (" << r.statistics.rejected_steps << " rejected, "
            << r.statistics.newton_failures << " Newton failures), imbalance " << r.energy_balance_error_J << " J of " << heat_moved_J(r) << " J\n";
  EXPECT_DOUBLE_EQ(r.trace.time_s.back(), 300.0);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * heat_moved_J(r));
  EXPECT_LT(r.statistics.steps, 20000);
  // The verdict: the lithium burns (fire), so the cell fails.
  EXPECT_TRUE(r.verdict.thermal_runaway);
  EXPECT_FALSE(r.verdict.pass);
  double lithium_kJ = 0.0;
  for (const auto& [name, kJ] : r.reaction_heat_kJ)
    if (name == "Lithium + cathode oxygen") lithium_kJ = kJ;
  EXPECT_GT(lithium_kJ, 0.0);
}

TEST(Abuse3d, ACrawlingRunEndsWithAFailureAndKeepsItsTrace) {
  // Every igniting control volume limited to 2 K a step, jumps included (jump_time_s = 0): the sulfide
  // cell's nanosecond reactions then need nanosecond steps. The stall guard ends the run, deterministically,
  // with the time and the reason, and the trace so far.
  const auto& sc = sulfide_cell();
  const auto net = load_reaction_network("sulfide-assb");
  auto p = load_nail_procedure("gbt31485-2015");
  p.observation_s = 300.0;
  ThreeDOptions o;
  o.nx = 8;
  o.ny = 6;
  o.nz = 4;
  o.jump_time_s = 0.0;
  o.fast_reaction_max_change_K = 2.0;
  o.stall_window_steps = 500;
  o.stall_min_mean_step_s = 1e-4;
  const auto r = run_nail_test_3d(sc.cell, sc.inventory, net, p, o);
  std::cout << "crawling sulfide nail: " << r.failure << "\n";
  ASSERT_FALSE(r.failure.empty());
  EXPECT_NE(r.failure.find("stalled"), std::string::npos);
  EXPECT_NE(r.failure.find("stall_min_mean_step_s"), std::string::npos);
  ASSERT_GT(r.trace.time_s.size(), 1u);
  EXPECT_LT(r.trace.time_s.back(), 300.0);
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * heat_moved_J(r));

  // The cap on all attempts: the same, by count.
  o.stall_window_steps = 0;
  o.max_solver_steps = 300;
  const auto capped = run_nail_test_3d(sc.cell, sc.inventory, net, p, o);
  ASSERT_FALSE(capped.failure.empty());
  EXPECT_NE(capped.failure.find("max_total_steps"), std::string::npos);
  EXPECT_LE(capped.statistics.steps + capped.statistics.rejected_steps + capped.statistics.newton_failures, 300);
}

}  // namespace solidcell::abuse
