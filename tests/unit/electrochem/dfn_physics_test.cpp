// Physics of the DFN and the solid-state DFN, checked against conservation laws, analytic limits and
// mesh refinement; and robustness over random parameter sets.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::electrochem {
namespace {

using experiment::parse_experiment;
using experiment::run_experiment;
using experiment::SimulationOptions;

constexpr double F = 96485.33212;

experiment::Solution run(BatteryModel& model, const std::string& protocol, double rtol = 1e-8) {
  SimulationOptions o;
  o.relative_tolerance = rtol;
  return run_experiment(model, parse_experiment(protocol), o);
}

// Isothermal unless a test switches the lumped thermal model on: the analytic checks assume constant T.
CellParameters parameters_of(const std::string& cell, bool thermal = false) {
  auto p = model_parameters(cell::load_cell(cell));
  if (!thermal) p.thermal.reset();
  return p;
}

}  // namespace

TEST(DfnPhysics, LithiumAndChargeAreConservedOverACycle) {
  for (const char* name : {"lgm50", "assb-sulfide-li"}) {
    DfnModel model(parameters_of(name), Mesh{});
    auto s = run(model, "Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at 0.5C until 4.2 V, Hold at 4.2 V until C/20, Rest for 10 minutes");
    ASSERT_FALSE(s.failure) << name << ": " << s.failure->reason;
    ASSERT_TRUE(s.stopped_early.empty()) << name << ": " << s.stopped_early;
    double drift = std::abs(s.lithium_moles_end - s.lithium_moles_start) / s.lithium_moles_start;
    EXPECT_LT(drift, 1e-6) << name;
    std::cout << name << ": lithium drift over a full cycle " << drift << "\n";
  }
}

TEST(DfnPhysics, DischargedCapacityIsTheChargeThroughTheTerminals) {
  // Q [A.h] integrates the imposed current exactly over steps of different currents and a rest.
  DfnModel model(parameters_of("lgm50"), Mesh{});
  auto s = run(model, "Discharge at 1C for 30 minutes, Rest for 10 minutes, Discharge at 2C for 5 minutes");
  ASSERT_FALSE(s.failure);
  double expected_C = 5.0 * 1800.0 + 10.0 * 300.0;
  EXPECT_NEAR(s.discharge_capacity_Ah.back() * 3600.0, expected_C, 1e-9 * expected_C);
}

TEST(DfnPhysics, AdiabaticTemperatureRiseIsTheDissipatedEnergy) {
  // With no cooling, C dT = I (U_ocv - V) dt: the temperature rise times the heat capacity equals the
  // energy lost between the open-circuit and the terminal voltage.
  auto p = parameters_of("lgm50", true);
  ASSERT_TRUE(p.thermal.has_value());
  p.thermal->cooling_conductance_W_per_K = 0.0;
  DfnModel model(p, Mesh{});
  auto s = run(model, "Discharge at 2C for 15 minutes");
  ASSERT_FALSE(s.failure);
  double dissipated = 0.0;
  for (std::size_t k = 1; k < s.time_s.size(); ++k) {
    double dt = s.time_s[k] - s.time_s[k - 1];
    auto q = [&](std::size_t m) { return s.current_A[m] * (s.open_circuit_voltage_V[m] - s.voltage_V[m]); };
    dissipated += 0.5 * (q(k) + q(k - 1)) * dt;
  }
  double stored = p.thermal->heat_capacity_J_per_K * (s.temperature_K.back() - s.temperature_K.front());
  std::cout << "adiabatic 2C, 15 min: temperature rise " << s.temperature_K.back() - s.temperature_K.front() << " K, "
            << stored << " J stored vs " << dissipated << " J dissipated\n";
  EXPECT_GT(stored, 0.0);
  EXPECT_NEAR(stored, dissipated, 2e-3 * dissipated);
}

TEST(DfnPhysics, EveryModelKeepsTheAdiabaticEnergyBalance) {
  auto p = parameters_of("lgm50", true);
  p.thermal->cooling_conductance_W_per_K = 0.0;
  for (const char* name : {"spm", "spme", "dfn"}) {
    auto model = make_model(name, p);
    auto s = run(*model, "Discharge at 2C for 10 minutes");
    ASSERT_FALSE(s.failure) << name;
    double dissipated = 0.0;
    for (std::size_t k = 1; k < s.time_s.size(); ++k) {
      auto q = [&](std::size_t m) { return s.current_A[m] * (s.open_circuit_voltage_V[m] - s.voltage_V[m]); };
      dissipated += 0.5 * (q(k) + q(k - 1)) * (s.time_s[k] - s.time_s[k - 1]);
    }
    double stored = p.thermal->heat_capacity_J_per_K * (s.temperature_K.back() - s.temperature_K.front());
    EXPECT_GT(stored, 0.0) << name;
    EXPECT_NEAR(stored, dissipated, 2e-3 * dissipated) << name;
  }
}

TEST(DfnPhysics, ReversibleHeatEntersTheEnergyBalance) {
  // dU_p/dT = +0.3 mV/K: adiabatically, C dT = I (U_ocv(T) - V) dt - I T dU/dT dt, and the reversible
  // part cools a discharge (the cell ends cooler than without it).
  auto base = parameters_of("lgm50", true);
  base.thermal->cooling_conductance_W_per_K = 0.0;
  auto with = base;
  with.positive.entropic_coefficient = materials::StoichiometryFunction::constant(3e-4);
  DfnModel a(base, Mesh{}), b(with, Mesh{});
  auto sa = run(a, "Discharge at 1C for 20 minutes");
  auto sb = run(b, "Discharge at 1C for 20 minutes");
  ASSERT_FALSE(sa.failure);
  ASSERT_FALSE(sb.failure);
  double irreversible = 0.0, reversible = 0.0;
  for (std::size_t k = 1; k < sb.time_s.size(); ++k) {
    double dt = sb.time_s[k] - sb.time_s[k - 1];
    auto q_irr = [&](std::size_t m) { return sb.current_A[m] * (sb.open_circuit_voltage_V[m] - sb.voltage_V[m]); };
    auto q_rev = [&](std::size_t m) { return -sb.current_A[m] * sb.temperature_K[m] * 3e-4; };
    irreversible += 0.5 * (q_irr(k) + q_irr(k - 1)) * dt;
    reversible += 0.5 * (q_rev(k) + q_rev(k - 1)) * dt;
  }
  double stored = base.thermal->heat_capacity_J_per_K * (sb.temperature_K.back() - sb.temperature_K.front());
  std::cout << "1C, 20 min, adiabatic: " << irreversible << " J irreversible, " << reversible << " J reversible, " << stored
            << " J stored\n";
  EXPECT_NEAR(stored, irreversible + reversible, 2e-3 * irreversible);
  EXPECT_LT(sb.temperature_K.back(), sa.temperature_K.back());
}

TEST(DfnPhysics, MeshRefinementConverges) {
  // 1C discharge capacity and mid-discharge voltage against a fine mesh; report the observed order.
  auto p = parameters_of("lgm50");
  auto measure = [&](int n) {
    DfnModel model(p, Mesh{n, n, n, n});
    auto s = run(model, "Discharge at 1C for 30 minutes", 1e-9);
    return s.voltage_V.back();
  };
  double fine = measure(80);
  double e10 = std::abs(measure(10) - fine), e20 = std::abs(measure(20) - fine), e40 = std::abs(measure(40) - fine);
  double order_1 = std::log2(e10 / e20), order_2 = std::log2(e20 / e40);
  std::cout << "voltage errors at 10/20/40 cells: " << e10 * 1e3 << " / " << e20 * 1e3 << " / " << e40 * 1e3
            << " mV; observed order " << order_1 << ", " << order_2 << "\n";
  EXPECT_LT(e20, e10);
  EXPECT_LT(e40, e20);
  EXPECT_GT(order_2, 1.5);  // second order in space (finite volumes with linear extrapolation)
  EXPECT_LT(e10, 5e-3);
}

TEST(DfnPhysics, LiquidHalfCellDeliversThePositivesCapacityAndConservesLithium) {
  // The half-cell option: a lithium counter electrode at x = 0 in a liquid cell. At C/20 the positive
  // gives nearly its whole 0-100 % SOC window, and lithium (particles + salt - stripped metal) is conserved.
  auto c = cell::load_cell(std::string(SOLIDCELL_TEST_DATA_DIR) + "/nmc811_half_cell.toml");
  auto design = cell::compute_design(c);
  auto p = model_parameters(c);
  p.thermal.reset();
  DfnModel model(p, Mesh{});
  auto s = run(model, "Discharge at C/20 until 2.5 V, Rest for 1 hour, Charge at C/10 until 4.3 V");
  ASSERT_FALSE(s.failure) << s.failure->reason;
  double delivered = s.steps.front().capacity_Ah;
  // Chen's NMC811 fit has no wall before x = 1 (PyBaMM's set, kept as is), and nothing else stops a half
  // cell: the positive fills up to x = 1, i.e. its window scaled to (1 - x_100) / (x_0 - x_100).
  const auto& pos = c.positive;
  double to_full = design.positive_capacity_Ah * (1.0 - pos.stoichiometry_at_100_soc) / (pos.stoichiometry_at_0_soc - pos.stoichiometry_at_100_soc);
  std::cout << "half cell C/20: " << delivered << " A.h; filling the positive to x = 1 holds " << to_full << " A.h\n";
  EXPECT_GT(delivered, 0.97 * to_full);
  EXPECT_LT(delivered, to_full);
  EXPECT_LT(std::abs(s.lithium_moles_end - s.lithium_moles_start) / s.lithium_moles_start, 1e-9);
}

TEST(SolidStateDfn, SeparatorOhmicDropMatchesOhmsLaw) {
  // In the separator no reaction happens: phi_e is linear with slope i / sigma_eff, whatever the rest does.
  auto p = parameters_of("assb-sulfide-li");
  DfnModel model(p, Mesh{10, 10, 10, 10});
  double amps = p.nominal_capacity_Ah;  // 1C
  auto s = run(model, "Discharge at " + std::to_string(amps) + " A for 10 seconds");
  ASSERT_FALSE(s.failure);
  const auto& prof = s.profiles.back();
  double sigma = p.separator.ionic_conductivity * std::pow(p.separator.electrolyte_fraction, p.separator.bruggeman);
  double i = amps / p.electrode_area_m2;
  // Separator cells are the first ten (planar lithium negative, no negative region).
  double drop = prof.electrolyte_potential[0] - prof.electrolyte_potential[9];
  double expected = i * (prof.x_m[9] - prof.x_m[0]) / sigma;
  EXPECT_NEAR(drop, expected, 1e-9 * std::abs(expected) + 1e-12);
  std::cout << "separator ohmic drop " << drop * 1e3 << " mV (Ohm's law " << expected * 1e3 << " mV)\n";
}

TEST(SolidStateDfn, UniformReactionGivesTheAnalyticCathodeDrop) {
  // A large film resistance forces a uniform reaction; then phi_e(x) in the cathode is the parabola
  // phi(x) = phi(L_s) - (i / sigma_eff) (x' - x'^2 / (2 L_p)), x' measured from the separator.
  auto p = parameters_of("assb-sulfide-li");
  p.positive.interface_resistance = 10.0;  // Ohm m2 per active area: dominates every other resistance
  DfnModel model(p, Mesh{10, 10, 10, 10});
  double amps = 0.05 * p.nominal_capacity_Ah;
  auto s = run(model, "Discharge at " + std::to_string(amps) + " A for 1 second");
  ASSERT_FALSE(s.failure);
  const auto& prof = s.profiles.back();
  double sigma = p.positive.ionic_conductivity * std::pow(p.positive.electrolyte_fraction, p.positive.bruggeman);
  double i = amps / p.electrode_area_m2;
  double Lp = p.positive.thickness_m, x0 = p.separator.thickness_m;
  auto analytic = [&](double x) {
    double xp = x - x0;
    return -(i / sigma) * (xp - xp * xp / (2 * Lp));
  };
  // Compare drops between the first cathode centre and each other cathode centre.
  double worst = 0.0, scale = i * Lp / (2 * sigma);
  for (int k = 11; k < 20; ++k) {
    double numeric = prof.electrolyte_potential[static_cast<std::size_t>(k)] - prof.electrolyte_potential[10];
    double exact = analytic(prof.x_m[static_cast<std::size_t>(k)]) - analytic(prof.x_m[10]);
    worst = std::max(worst, std::abs(numeric - exact));
  }
  std::cout << "cathode electrolyte drop i L/(2 sigma) = " << scale * 1e3 << " mV; worst node error " << worst * 1e6 << " uV\n";
  EXPECT_LT(worst, 0.01 * scale);
}

TEST(SolidStateDfn, RateCapabilityFallsWithElectrolyteConductivity) {
  auto base = parameters_of("assb-sulfide-li");
  double previous = 1e9;
  for (double mS_per_cm : {10.0, 2.0, 0.5, 0.1}) {
    auto p = base;
    p.separator.ionic_conductivity = mS_per_cm * 0.1;
    p.positive.ionic_conductivity = mS_per_cm * 0.1;
    DfnModel model(p, Mesh{});
    auto s = run(model, "Discharge at 1C until 2.5 V", 1e-6);
    ASSERT_FALSE(s.failure) << mS_per_cm;
    double q = s.discharge_capacity_Ah.back();
    std::cout << "sigma_SE " << mS_per_cm << " mS/cm: 1C capacity " << q << " A.h\n";
    EXPECT_LT(q, previous);
    previous = q;
  }
}

TEST(SolidStateDfn, FastTransportApproachesTheUniformParticleLimit) {
  // With a very conductive electrolyte and no film, every cathode particle reacts alike: the DFN with
  // ten cathode cells must reproduce one cathode cell (a single particle) closely.
  auto p = parameters_of("assb-sulfide-li");
  p.separator.ionic_conductivity = p.positive.ionic_conductivity = 1e3;
  p.positive.interface_resistance = 0.0;
  p.positive.conductivity = 1e6;
  DfnModel many(p, Mesh{10, 10, 10, 10});
  DfnModel single(p, Mesh{10, 10, 1, 10});
  auto a = run(many, "Discharge at 1C for 40 minutes");
  auto b = run(single, "Discharge at 1C for 40 minutes");
  ASSERT_FALSE(a.failure);
  ASSERT_FALSE(b.failure);
  EXPECT_NEAR(a.voltage_V.back(), b.voltage_V.back(), 1e-4);
}

TEST(SolidStateDfn, HighConductivityAndNoFilmApproachTheSpm) {
  // The limit: a very conductive solid electrolyte and no interface film leave only particle
  // diffusion and kinetics, which is the single-particle model with the same particles.
  auto p = parameters_of("assb-sulfide-li");
  p.separator.ionic_conductivity = p.positive.ionic_conductivity = 1e4;
  p.positive.interface_resistance = 0.0;
  p.lithium_metal->interface_resistance = 0.0;
  p.positive.conductivity = 1e7;
  auto dfn = make_model("dfn", p);
  auto spm = make_model("spm", p);
  auto a = run(*dfn, "Discharge at 1C until 2.5 V");
  auto b = run(*spm, "Discharge at 1C until 2.5 V");
  ASSERT_FALSE(a.failure);
  ASSERT_FALSE(b.failure);
  double worst = 0.0;
  for (std::size_t k = 0; k < a.time_s.size(); ++k) {
    if (a.time_s[k] > b.time_s.back()) break;
    auto it = std::lower_bound(b.time_s.begin(), b.time_s.end(), a.time_s[k]);
    std::size_t m = static_cast<std::size_t>(std::max<std::ptrdiff_t>(1, it - b.time_s.begin()));
    double w = (a.time_s[k] - b.time_s[m - 1]) / (b.time_s[m] - b.time_s[m - 1]);
    double vb = b.voltage_V[m - 1] + w * (b.voltage_V[m] - b.voltage_V[m - 1]);
    if (a.discharge_capacity_Ah[k] < 0.95 * a.discharge_capacity_Ah.back()) worst = std::max(worst, std::abs(a.voltage_V[k] - vb));
  }
  double dq = std::abs(a.discharge_capacity_Ah.back() / b.discharge_capacity_Ah.back() - 1.0);
  std::cout << "solid-state DFN vs SPM at high conductivity: worst voltage difference " << worst * 1e3 << " mV (first 95 %), capacity "
            << 100 * dq << " %\n";
  EXPECT_LT(worst, 2e-3);
  EXPECT_LT(dq, 2e-3);
}

TEST(SolidStateDfn, LithiumIndiumFoilShiftsTheVoltageByItsPlateau) {
  // A Li-In foil negative works as a planar electrode at 0.62 V vs Li: at a low rate the cell voltage sits
  // 0.62 V below the lithium-metal cell's, with the same capacity from the same cathode.
  auto lin = model_parameters(cell::load_cell(std::string(SOLIDCELL_TEST_DATA_DIR) + "/assb-sulfide-lin.toml"));
  auto li = parameters_of("assb-sulfide-li");
  lin.thermal.reset();
  ASSERT_TRUE(lin.lithium_metal.has_value());
  EXPECT_NEAR(lin.lithium_metal->open_circuit_potential, 0.62, 1e-12);
  lin.lithium_metal->interface_resistance = li.lithium_metal->interface_resistance;
  lin.nominal_capacity_Ah = li.nominal_capacity_Ah;
  for (const char* model_name : {"dfn", "spm"}) {
    auto a = make_model(model_name, lin);
    auto b = make_model(model_name, li);
    auto sa = run(*a, "Discharge at C/10 for 2 hours");
    auto sb = run(*b, "Discharge at C/10 for 2 hours");
    ASSERT_FALSE(sa.failure);
    ASSERT_FALSE(sb.failure);
    EXPECT_NEAR(sb.voltage_V.back() - sa.voltage_V.back(), 0.62, 1e-6) << model_name;
  }
}

TEST(SolidStateDfn, OneCCurveAgainstAPublishedCell) {
  // Liu, Wang, Chen, Li and Wu 2024 (Adv. Funct. Mater. 34 2315701): single-crystal Ni90 with a sulfide
  // coating in Li6PS5Cl, 172.8 mAh/g at 1C on the first cycle. The built-in cell's 1C capacity per gram
  // of cathode active material, with the difference stated (Ni90 vs NCM811, LTO vs Li metal negative).
  auto c = cell::load_cell("assb-sulfide-li");
  auto f = cell::compute_design(c);
  double cam_kg = 0.0;
  for (const auto& e : f.breakdown)
    if (e.component == "positive electrode") cam_kg = e.mass_kg * 0.80;  // 80 wt% of the composite
  DfnModel model(model_parameters(c), Mesh{});
  auto s = run(model, "Discharge at 1C until 2.5 V", 1e-6);
  ASSERT_FALSE(s.failure);
  double mAh_per_g = s.discharge_capacity_Ah.back() / cam_kg;  // Ah/kg = mAh/g
  double difference = mAh_per_g / 172.8 - 1.0;
  std::cout << "1C specific capacity " << mAh_per_g << " mAh/g vs 172.8 mAh/g published: " << 100 * difference << " %\n";
  EXPECT_LT(std::abs(difference), 0.20);
}

TEST(DfnRobustness, FiveHundredRandomParameterSetsEndInASolutionOrAClearError) {
  auto base = parameters_of("lgm50");
  std::mt19937_64 rng(20261125);
  auto factor = [&](double lo, double hi) { return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng)); };
  int solved = 0, failed_cleanly = 0, depleted = 0;
  for (int k = 0; k < 500; ++k) {
    auto p = base;
    p.positive.particle_radius_m *= factor(0.3, 3.0);
    p.negative->particle_radius_m *= factor(0.3, 3.0);
    p.positive.surface_area_per_volume = 3 * p.positive.active_fraction / p.positive.particle_radius_m;
    p.negative->surface_area_per_volume = 3 * p.negative->active_fraction / p.negative->particle_radius_m;
    p.positive.diffusivity *= factor(0.1, 10.0);
    p.negative->diffusivity *= factor(0.1, 10.0);
    p.positive.exchange_current_reference *= factor(0.1, 10.0);
    p.negative->exchange_current_reference *= factor(0.1, 10.0);
    p.positive.thickness_m *= factor(0.7, 1.4);
    p.negative->thickness_m *= factor(0.7, 1.4);
    p.separator.thickness_m *= factor(0.5, 3.0);
    p.positive.conductivity *= factor(0.1, 10.0);
    double c_rate = factor(0.2, 3.0);
    DfnModel model(p, Mesh{});
    SimulationOptions o;
    o.relative_tolerance = 1e-6;
    auto s = run_experiment(model, parse_experiment("Discharge at " + std::to_string(c_rate) + "C until 2.5 V"), o);
    if (s.failure) {
      ++failed_cleanly;
      EXPECT_FALSE(s.failure->reason.empty());
      EXPECT_FALSE(s.time_s.empty() && s.failure->time_s > 0);
    } else if (!s.stopped_early.empty()) {
      ++depleted;  // a physical end: the salt ran out before the cut-off
      EXPECT_NE(s.stopped_early.find("electrolyte depletion"), std::string::npos) << s.stopped_early;
    } else {
      ++solved;
      EXPECT_NEAR(s.voltage_V.back(), 2.5, 1e-6) << "set " << k;
    }
  }
  std::cout << solved << " reached 2.5 V, " << depleted << " stopped at electrolyte depletion, " << failed_cleanly
            << " ended in a reported solver failure\n";
  EXPECT_EQ(solved + depleted + failed_cleanly, 500);
  EXPECT_GE(solved + depleted, 475);
}

TEST(DfnRobustness, ConstantCurrentConstantVoltageNeverFailsOnTheBuiltins) {
  for (const auto& name : cell::builtin_cell_names()) {
    auto p = parameters_of(name);
    DfnModel model(p, Mesh{});
    auto protocol = fmt::format("Discharge at 1C until {} V, Rest for 10 minutes, Charge at 1C until {} V, Hold at {} V until C/50",
                                p.voltage_min_V, p.voltage_max_V, p.voltage_max_V);
    auto s = run(model, protocol, 1e-6);
    EXPECT_FALSE(s.failure) << name << ": " << (s.failure ? s.failure->reason : "");
    EXPECT_TRUE(s.stopped_early.empty()) << name << ": " << s.stopped_early;
    EXPECT_EQ(s.steps.size(), 4u) << name;
  }
}

}  // namespace solidcell::electrochem
