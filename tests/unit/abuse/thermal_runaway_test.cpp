// Thermal runaway in a lumped cell: the Kim et al. 2007 reaction set against its analytic limits (total heat
// of full conversion, the adiabatic temperature rise) and against the critical oven temperature published
// for LiCoO2 18650 cells; energy conservation of every run; the GB 38031-2025 criterion on known traces;
// the heating test on the built-in cells; and reader errors that name the field.
#include <cmath>
#include <iostream>

#include <gtest/gtest.h>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/thermal_runaway_model.hpp"
#include "solidcell/abuse/verdict.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "support/kim2007_cell.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;

using test_cells::kim_18650;

// An oven at a constant temperature from the start (Hatchard and Kim's test), for `hours`.
HeatingProcedure oven(double celsius, double hours, double h = 7.17, double emissivity = 0.8) {
  HeatingProcedure p;
  p.standard = "constant oven";
  p.ambient_K = 25.0 + C0;
  p.ramp_K_per_s = 1e3;  // a step
  p.hold_temperature_K = celsius + C0;
  p.hold_s = hours * 3600.0;
  p.observation_s = 0.0;
  p.convection_W_per_m2_K = h;
  p.emissivity = emissivity;
  return p;
}

}  // namespace

TEST(ThermalRunaway, KimNetworkReleasesItsTabulatedHeatAdiabatically) {
  // No heat exchange, started hot: the SEI, cathode and electrolyte reactions run to completion; the
  // negative-solvent reaction stops where its own growing SEI (exp(-z/z_ref)) chokes it. The cell warms by
  // exactly the heat released over its heat capacity, and that heat stays just below the full-conversion
  // total sum(H m c0) (the notes' 1.24e9 J per m3 of jelly roll).
  const auto net = load_reaction_network("kim2007-lco-graphite");
  ASSERT_EQ(net.reactions.size(), 4u);
  const auto cell = kim_18650();
  auto p = oven(150.0, 2.0, 0.0, 0.0);
  p.ambient_K = 150.0 + C0;
  const auto r = run_heating_test(cell, net, p);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  double full_J = 0.0;
  for (const auto& rx : net.reactions) {
    const double fraction = rx.law == RateLaw::autocatalytic ? 1.0 - rx.initial_value : rx.initial_value;
    full_J += rx.heat_J_per_kg * cell.reactant_mass_kg(rx.reactant, 1.0) * fraction;
  }
  const double volume = test_cells::kim_18650_volume_m3();
  EXPECT_NEAR(full_J / volume, 1.24e9, 0.01e9);
  for (std::size_t k = 0; k < net.reactions.size(); ++k) {
    const double progress = r.trace.reaction_progress[k].back();
    if (net.reactions[k].law == RateLaw::sei_limited) {
      EXPECT_GT(progress, 0.9) << net.reactions[k].name;
      EXPECT_LT(progress, 1.0) << net.reactions[k].name;
    } else {
      EXPECT_GT(progress, 0.999) << net.reactions[k].name;
    }
  }
  double released_J = 0.0;
  for (const auto& [name, kJ] : r.reaction_heat_kJ) released_J += 1000.0 * kJ;
  EXPECT_LT(released_J, full_J);
  EXPECT_GT(released_J, 0.95 * full_J);
  EXPECT_NEAR(r.verdict.peak_temperature_K - p.ambient_K, released_J / cell.heat_capacity_J_per_K, 1e-6 * released_J / cell.heat_capacity_J_per_K);
  EXPECT_NEAR(r.heat_from_surroundings_kJ, 0.0, 1e-12);
  EXPECT_TRUE(r.verdict.thermal_runaway);
  EXPECT_EQ(r.verdict.eucar_level, 5);  // a flammable electrolyte
  EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * full_J);
}

TEST(ThermalRunaway, CriticalOvenTemperatureOfALiCoO2CellMatchesThePublishedValue) {
  // Zhao et al. 2024 (J. Energy Storage 84, 110901) give 148 C for LiCoO2 18650 cells in an oven; here the
  // Kim set with natural convection (7.17 W/(m2 K)) and radiation (emissivity 0.8), bisected to 0.5 K.
  const auto net = load_reaction_network("kim2007-lco-graphite");
  const auto cell = kim_18650();
  OvenThresholdOptions o;
  o.room_K = 25.0 + C0;
  o.convection_W_per_m2_K = 7.17;
  o.emissivity = 0.8;
  const auto t = oven_threshold(cell, net, o);
  ASSERT_TRUE(t.threshold_K);
  std::cout << "critical oven temperature of the Kim 2007 18650: " << *t.threshold_K - C0 << " C (published 148 C), " << t.runs << " runs\n";
  EXPECT_NEAR(*t.threshold_K - C0, 148.0, 6.0);
  // Either side of it: no runaway 3 K below, runaway 3 K above, each run conserving energy.
  for (double dT : {-3.0, 3.0}) {
    const auto r = run_heating_test(cell, net, constant_oven(*t.threshold_K + dT, o));
    EXPECT_EQ(r.verdict.thermal_runaway, dT > 0.0);
    EXPECT_LT(std::abs(r.energy_balance_error_J), 1.0);
  }
  // Better cooling raises the threshold (the Semenov balance).
  o.convection_W_per_m2_K = 25.0;
  const auto cooled = oven_threshold(cell, net, o);
  ASSERT_TRUE(cooled.threshold_K);
  EXPECT_GT(*cooled.threshold_K, *t.threshold_K);
}

TEST(ThermalRunaway, CriterionNeedsTheRateForLongerThanItsDuration) {
  RunawayCriterion c;  // GB 38031-2025 App. C: 25 %, 1 C/s, 3 s
  HazardInputs liquid{true, false, true, 0.0, 0.0, 0.5};  // the reactions ran
  // dT/dt = 2 C/s at t = 10 s and 11 s only: above 1 C/s for about 2 s (crossings interpolated), not more than 3 s.
  std::vector<double> t, T, rate, V;
  for (int k = 0; k <= 40; ++k) {
    t.push_back(k);
    rate.push_back(k >= 10 && k <= 11 ? 2.0 : 0.1);
    T.push_back(400.0 + k);
    V.push_back(4.0);
  }
  auto v = judge(t, T, rate, V, 333.15, c, liquid);
  EXPECT_FALSE(v.thermal_runaway);
  EXPECT_EQ(v.eucar_level, 2);
  EXPECT_TRUE(v.pass);
  // From 10 s to 20 s: runaway from t = 9.something (interpolated start), fire with a flammable electrolyte.
  for (int k = 10; k <= 20; ++k) rate[static_cast<std::size_t>(k)] = 2.0;
  v = judge(t, T, rate, V, 333.15, c, liquid);
  EXPECT_TRUE(v.thermal_runaway);
  ASSERT_TRUE(v.onset_time_s);
  EXPECT_NEAR(*v.onset_time_s, 9.0 + 0.9 / 1.9, 1e-12);
  EXPECT_EQ(v.eucar_level, 5);
  EXPECT_FALSE(v.pass);
  // The same trace below the maximum operating temperature and without a voltage drop is not runaway (a or b fails).
  std::vector<double> cool(T.size(), 300.0);
  EXPECT_FALSE(judge(t, cool, rate, V, 333.15, c, liquid).thermal_runaway);
  // ... but a 30 % voltage drop makes it runaway again; without flammables it is venting (EUCAR 4): pass.
  V.back() = 2.8;
  v = judge(t, cool, rate, V, 333.15, c, HazardInputs{false, false, true, 0.0, 0.0, 0.5});
  EXPECT_TRUE(v.thermal_runaway);
  EXPECT_EQ(v.eucar_level, 4);
  EXPECT_TRUE(v.pass);
  // The same trace with no decomposition (Joule heat of a short): the standard's rule is met, runaway is not.
  v = judge(t, cool, rate, V, 333.15, c, HazardInputs{true, false, true, 0.0, 0.0, 0.001});
  EXPECT_TRUE(v.standard_criterion_met);
  EXPECT_FALSE(v.thermal_runaway);
  EXPECT_FALSE(v.onset_time_s);
  EXPECT_LE(v.eucar_level, 2);
}

TEST(ThermalRunaway, HeatingTestOnTheBuiltInCellsConservesEnergy) {
  const auto procedure = load_heating_procedure("gb38031-2025");
  EXPECT_NEAR(procedure.hold_temperature_K, 130.0 + C0, 1e-9);
  EXPECT_NEAR(procedure.ramp_K_per_s, 5.0 / 60.0, 1e-12);
  for (const char* name : {"liquid-ncm811-graphite", "assb-sulfide-li", "assb-sulfide-anodefree"}) {
    const auto c = cell::load_cell(name);
    const auto inv = cell_inventory(c);
    EXPECT_GT(inv.internal_resistance_ohm, 0.0) << name;
    EXPECT_GT(inv.reactant_mass_kg(Reactant::positive_active, 1.0), 0.0) << name;
    const auto net = load_reaction_network(default_network_name(c.chemistry));
    const auto r = run_heating_test(inv, net, procedure);
    ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
    double released = 0.0;
    for (const auto& [n, kJ] : r.reaction_heat_kJ) released += kJ;
    const double scale = 1000.0 * (std::abs(released) + std::abs(r.heat_from_surroundings_kJ) + std::abs(r.electrical_heat_kJ));
    EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * scale + 1e-6) << name;
    // The oven holds 130 C for 30 min: the cell gets there, and the observation hour cools it again.
    EXPECT_GT(r.verdict.peak_temperature_K, 125.0 + C0) << name;
    EXPECT_LT(r.trace.temperature_K.back(), r.verdict.peak_temperature_K) << name;
    std::cout << name << ": peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway << ", EUCAR "
              << r.verdict.eucar_level << ", " << (r.verdict.pass ? "pass" : "fail") << "\n";
  }
}

TEST(ThermalRunaway, BadNetworkFilesNameTheField) {
  try {
    load_reaction_network("no-such-network");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("kim2007-lco-graphite"), std::string::npos) << e.what();  // lists the built-ins
  }
  const std::string dir = ::testing::TempDir();
  const std::string file = dir + "/bad-network.toml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs("[network]\nname = \"bad\"\nchemistry = \"liquid\"\nsource = \"t\"\n[[reaction]]\nname = \"x\"\nrate_law = \"nth_order\"\n"
               "frequency_factor_per_s = -1\nactivation_energy_J_per_mol = 1e5\nheat_J_per_g = 1\nreactant = \"negative_active\"\n"
               "initial_value = 0.1\nsource = \"t\"\n",
               f);
    std::fclose(f);
  }
  try {
    load_reaction_network(file);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, file);
    EXPECT_NE(e.where().field.find("frequency_factor_per_s"), std::string::npos) << e.what();
    EXPECT_GT(e.where().line, 0);
  }
}

}  // namespace solidcell::abuse
