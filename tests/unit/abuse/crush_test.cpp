// The crush test: force against indentation for a linear-elastic stack against the closed form of a cylinder
// pressed into an elastic foundation; the layered power law's inverse and its stored energy against the work of
// the force; the short's onset at the failing layer's strain exactly; each stop criterion when made binding; a
// more brittle solid electrolyte failing earlier; and every built-in cell through GB 38031-2025 8.1.7.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <gtest/gtest.h>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/crush_mechanics.hpp"
#include "solidcell/abuse/crush_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;

StackGeometry block() {
  StackGeometry g;
  g.stack_thickness_m = 5e-3;
  g.cell_thickness_m = 5.3e-3;
  g.width_m = 0.1;
  g.length_m = 0.3;
  g.unit_cell_thickness_m = 1.25e-4;
  g.contact_resistance_ohm_m2 = 3e-4;
  return g;
}

CrushLayer layer(const std::string& role, double fraction, double stiffness_Pa, double exponent, std::optional<double> failure = {}) {
  LayerLaw l;
  l.role = role;
  l.stiffness_Pa = stiffness_Pa;
  l.exponent = exponent;
  l.failure_strain = failure;
  return {l, fraction};
}

// int_{-c}^{c} (d - R + sqrt(R^2 - x^2)) dx: the cross-section of a cylinder of radius R sunk d deep, cut at |x| = c.
double segment_area(double R, double d, double c) {
  return 2.0 * ((d - R) * c + 0.5 * (c * std::sqrt(R * R - c * c) + R * R * std::asin(c / R)));
}

double total_scale(const AbuseResult& r) {
  double released = 0.0;
  for (const auto& [n, kJ] : r.reaction_heat_kJ) released += std::abs(kJ);
  return 1000.0 * (released + std::abs(r.heat_from_surroundings_kJ) + std::abs(r.electrical_heat_kJ)) + 1e-6;
}

}  // namespace

TEST(Crush, LinearElasticForceMatchesTheCylinderOnAnElasticFoundation) {
  // sigma = E eps in every column: F = W E / H * (area of the sunk circular segment), exactly
  //   F = W E / H (2 R^2 asin(a/R) - 2 a (R - d)),  a = sqrt(2 R d - d^2)   (Hertz-like line contact, ~ 4/3 W E d a / H).
  const double E = 1e9;
  const CrushMechanics m(block(), {layer("positive", 1.0, E, 1.0)});
  const Indenter cyl{IndenterKind::semi_cylinder, 0.075};
  const double R = cyl.radius_m, W = 0.1, H = 5e-3;
  for (double d : {1e-5, 1e-4, 1e-3, 2e-3}) {
    const double a = std::sqrt(2 * R * d - d * d);
    const double exact = W * E / H * segment_area(R, d, a);
    EXPECT_NEAR(m.force_N(d, cyl), exact, 1e-7 * exact) << d;
    EXPECT_NEAR(exact, 4.0 / 3.0 * W * E * d * a / H, 0.01 * exact) << d;  // the parabolic approximation, for scale
  }
  // A contact wider than the cell is cut at its edges; a flat plate loads the whole face.
  auto narrow = block();
  narrow.length_m = 0.01;
  const CrushMechanics n(narrow, {layer("positive", 1.0, E, 1.0)});
  EXPECT_NEAR(n.force_N(1e-3, cyl), W * E / H * segment_area(R, 1e-3, 0.005), 1e-7 * n.force_N(1e-3, cyl));
  const Indenter plate{IndenterKind::flat_plate, 0.0};
  EXPECT_NEAR(m.force_N(1e-4, plate), W * 0.3 * E * 1e-4 / H, 1e-9 * W * 0.3 * E * 1e-4 / H);
}

TEST(Crush, LayeredPowerLawInvertsAndStoresTheWorkOfTheForce) {
  const CrushMechanics m(block(), {layer("positive", 0.4, 5e8, 2.0), layer("separator", 0.1, 1.5e8, 1.5), layer("negative", 0.45, 3e8, 2.0),
                                   layer("positive_collector", 0.05, 7e10, 1.0)});
  for (double s : {1e3, 1e6, 3e7, 1e9}) EXPECT_NEAR(m.stress_Pa(m.stack_strain(s)), s, 1e-10 * s);
  // int_0^d F dd' (Simpson on a fine grid) against the strain energy stored in the columns.
  const Indenter cyl{IndenterKind::semi_cylinder, 0.075};
  const double d = 1.2e-3;
  const int n = 400;
  double work = 0.0;
  for (int k = 0; k <= n; ++k) work += (k == 0 || k == n ? 1 : (k % 2 ? 4 : 2)) * m.force_N(d * k / n, cyl);
  work *= d / n / 3.0;
  EXPECT_NEAR(work, m.strain_energy_J(d, cyl), 1e-5 * work);
  std::cout << "work of the indenter to " << d * 1e3 << " mm: " << work << " J\n";
}

TEST(Crush, ShortStartsAtTheSeparatorFailureStrainExactly) {
  const auto c = cell::load_cell("liquid-ncm811-graphite");
  const auto m = crush_mechanics(c, load_stack_mechanics("liquid-stack"));
  const auto onset = m.onset_indentation_m();
  ASSERT_TRUE(onset);
  const auto k = *m.failing_layer();
  EXPECT_EQ(m.layers()[k].law.role, "separator");
  const double H = m.geometry().stack_thickness_m;
  EXPECT_NEAR(m.layer_strain(k, m.stress_Pa(*onset / H)), 0.40, 1e-9);
  const Indenter cyl{IndenterKind::semi_cylinder, 0.075};
  EXPECT_EQ(m.failed_area_m2(*onset * (1 - 1e-9), cyl), 0.0);
  EXPECT_GT(m.failed_area_m2(*onset * (1 + 1e-3), cyl), 0.0);
  EXPECT_TRUE(std::isinf(m.short_resistance_ohm(*onset, cyl)));
  // GB/T 31485-2015 crushes to 30 %: far enough for this stack's separator (about 30 % stack strain).
  const auto procedure = load_crush_procedure("gbt31485-2015");
  const auto inv = cell_inventory(c);
  const auto r = run_crush_test(m, inv, load_reaction_network("liquid-ncm-graphite"), procedure);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_NEAR(*r.short_onset_s, *onset / procedure.speed_m_per_s, 1e-12 * *r.short_onset_s);
  for (const auto& s : r.verdict.reasons) std::cout << "  " << s << "\n";
}

TEST(Crush, EachStopCriterionEndsTheCrushWhenItBinds) {
  const auto c = cell::load_cell("liquid-ncm811-graphite");
  const auto inv = cell_inventory(c);
  const auto net = load_reaction_network("liquid-ncm-graphite");
  auto mech = load_stack_mechanics("liquid-stack");
  const auto base = load_crush_procedure("gb38031-2025");
  auto crush_end = [](const AbuseResult& r) {
    double d = 0.0;
    for (double x : r.trace.displacement_m) d = std::max(d, x);
    return d;
  };
  auto max_force = [](const AbuseResult& r) {
    double f = 0.0;
    for (double x : r.trace.force_N) f = std::max(f, x);
    return f;
  };
  // Deformation: no force limit.
  auto p = base;
  p.stop_force_N = 1e9;
  p.stop_force_per_cell_weight = 0.0;
  p.observation_s = 60.0;
  const auto m = crush_mechanics(c, mech);
  auto r = run_crush_test(m, inv, net, p);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_NEAR(crush_end(r), 0.15 * m.geometry().cell_thickness_m, 1e-12);
  EXPECT_NE(r.verdict.reasons.front().find("deformation"), std::string::npos) << r.verdict.reasons.front();
  // Force: 2 kN, below what 15 % takes.
  p.stop_force_N = 2000.0;
  r = run_crush_test(m, inv, net, p);
  EXPECT_NEAR(max_force(r), 2000.0, 1e-6 * 2000.0);
  EXPECT_LT(crush_end(r), 0.15 * m.geometry().cell_thickness_m);
  EXPECT_NE(r.verdict.reasons.front().find("force"), std::string::npos) << r.verdict.reasons.front();
  // The weight rule: 1000 x m g is below 100 kN for this cell, so it is the one that stops GB 38031's crush.
  r = run_crush_test(m, inv, net, base);
  EXPECT_NEAR(max_force(r), 1000.0 * inv.mass_kg * 9.80665, 1e-6 * max_force(r));
  // Voltage: a separator that fails early and a stop above what the transport-limited short leaves at the terminals.
  for (auto& l : mech.layers)
    if (l.role == "separator") l.failure_strain = 0.05;
  const auto brittle = crush_mechanics(c, mech);
  p = base;
  p.stop_force_N = 1e9;
  p.stop_force_per_cell_weight = 0.0;
  p.observation_s = 60.0;
  p.stop_voltage_V = inv.open_circuit_voltage(1.0) - 0.5 * inv.limiting_current_A * inv.internal_resistance_ohm;
  r = run_crush_test(brittle, inv, net, p);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_TRUE(r.short_onset_s);
  EXPECT_LT(crush_end(r), 0.15 * brittle.geometry().cell_thickness_m);
  EXPECT_NE(r.verdict.reasons.front().find("voltage"), std::string::npos) << r.verdict.reasons.front();
  // The crush ended at the first row at or below the stop voltage.
  const auto& t = r.trace;
  std::size_t last = 0;
  for (std::size_t k = 0; k < t.time_s.size(); ++k)
    if (t.displacement_m[k] > 0.0 && t.time_s[k] <= crush_end(r) / p.speed_m_per_s + 1e-9) last = k;
  EXPECT_LE(t.voltage_V[last], p.stop_voltage_V);
  EXPECT_GT(t.voltage_V[last - 1], p.stop_voltage_V);
}

TEST(Crush, AMoreBrittleSolidElectrolyteShortsEarlier) {
  const auto c = cell::load_cell("assb-sulfide-li");
  const auto inv = cell_inventory(c);
  const auto net = load_reaction_network("sulfide-assb");
  auto mech = load_stack_mechanics("sulfide-assb-stack");
  const auto procedure = load_crush_procedure("gbt31485-2015");  // 200 kN: deep enough for both
  std::vector<double> onsets;
  for (double strain : {0.0025, 0.001}) {
    for (auto& l : mech.layers)
      if (l.role == "separator") l.failure_strain = strain;
    const auto r = run_crush_test(crush_mechanics(c, mech), inv, net, procedure);
    ASSERT_TRUE(r.failure.empty()) << r.failure;
    ASSERT_TRUE(r.short_onset_s) << strain;
    onsets.push_back(*r.short_onset_s);
  }
  EXPECT_LT(onsets[1], onsets[0]);
}

TEST(Crush, BuiltInCellsThroughGb38031) {
  const auto p = load_crush_procedure("gb38031-2025");
  EXPECT_NEAR(p.indenter.radius_m, 0.075, 1e-12);
  EXPECT_NEAR(p.speed_m_per_s, 0.002, 1e-12);
  for (const char* name : {"liquid-ncm811-graphite", "assb-sulfide-li", "assb-sulfide-anodefree", "lgm50"}) {
    const auto c = cell::load_cell(name);
    const auto inv = cell_inventory(c);
    const auto net = load_reaction_network(default_network_name(c.chemistry));
    const auto m = crush_mechanics(c, load_stack_mechanics(default_mechanics_name(c.chemistry)));
    const auto r = run_crush_test(m, inv, net, p);
    ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
    EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * total_scale(r)) << name;
    ASSERT_EQ(r.trace.force_N.size(), r.trace.time_s.size());
    const double limit = std::min(p.stop_force_N, p.stop_force_per_cell_weight * inv.mass_kg * 9.80665);
    for (std::size_t k = 0; k < r.trace.time_s.size(); ++k) {
      EXPECT_LE(r.trace.force_N[k], limit * (1 + 1e-9)) << name;
      EXPECT_LE(r.trace.displacement_m[k], 0.15 * m.geometry().cell_thickness_m * (1 + 1e-12)) << name;
    }
    std::cout << name << ": peak " << r.verdict.peak_temperature_K - C0 << " C, short " << (r.short_onset_s ? "yes" : "no") << ", EUCAR "
              << r.verdict.eucar_level << ", " << (r.verdict.pass ? "pass" : "fail") << "\n";
    for (const auto& s : r.verdict.reasons) std::cout << "  " << s << "\n";
  }
}

TEST(Crush, BadProcedureAndMechanicsFilesNameTheField) {
  const std::string file = ::testing::TempDir() + "/bad-crush.toml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs("[standard]\nname = \"x\"\n[runaway_criterion]\nvoltage_drop_fraction = 0.25\ntemperature_rise_rate_C_per_s = 1\n"
               "temperature_rise_duration_s = 3\nsource = \"t\"\n[crush]\nindenter = \"sphere\"\n",
               f);
    std::fclose(f);
  }
  try {
    load_crush_procedure(file);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(e.where().field.find("crush.indenter"), std::string::npos) << e.what();
    EXPECT_GT(e.where().line, 0);
  }
  const std::string mfile = ::testing::TempDir() + "/bad-mechanics.toml";
  {
    std::FILE* f = std::fopen(mfile.c_str(), "w");
    std::fputs("[mechanics]\nname = \"m\"\nchemistry = \"liquid\"\nsource = \"t\"\n[[layer]]\nrole = \"separator\"\nstiffness_MPa = 100\n"
               "failure_strain = 1.5\nsource = \"t\"\n",
               f);
    std::fclose(f);
  }
  try {
    load_stack_mechanics(mfile);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(e.where().field.find("failure_strain"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().file, mfile);
  }
  // A cell with a layer the data does not describe.
  auto m = load_stack_mechanics("liquid-stack");
  EXPECT_THROW(crush_mechanics(cell::load_cell("assb-sulfide-li"), m), InputError);  // no lithium_metal law
}

}  // namespace solidcell::abuse
