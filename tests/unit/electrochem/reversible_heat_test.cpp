// Reversible heat in the lumped thermal model of every model (SPM, SPMe, DFN): with constant entropic coefficients
// and no cooling, the stored heat is the irreversible I (U_ocv - V) plus Bernardi's reversible -I T dU/dT, and at a
// low rate, where the reversible part dominates, the three models warm the cell alike.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::electrochem {
namespace {

// dU_ocv/dT = dU_p/dT - dU_n/dT of the test cells below [V/K].
constexpr double positive_dUdT = 3e-4;
constexpr double negative_dUdT = -1e-4;

// The LG M50 with its lumped thermal model, adiabatic, and constant entropic coefficients (the cell has none).
CellParameters adiabatic_lgm50(double positive, double negative) {
  auto p = model_parameters(cell::load_cell("lgm50"));
  p.thermal->cooling_conductance_W_per_K = 0.0;
  p.positive.entropic_coefficient = materials::StoichiometryFunction::constant(positive);
  p.negative->entropic_coefficient = materials::StoichiometryFunction::constant(negative);
  return p;
}

experiment::Solution run(const std::string& model, const CellParameters& p, const std::string& protocol) {
  auto m = make_model(model, p);
  experiment::SimulationOptions options;
  options.relative_tolerance = 1e-8;
  auto s = experiment::run_experiment(*m, experiment::parse_experiment(protocol), options);
  EXPECT_FALSE(s.failure.has_value()) << model << ": " << (s.failure ? s.failure->reason : "");
  return s;
}

struct HeatBudget {
  double irreversible = 0.0;  // integral of I (U_ocv - V) dt [J]
  double reversible = 0.0;    // integral of -I T dU_ocv/dT dt [J], from the outputs
  double stored = 0.0;        // C (T_end - T_start) [J]
};

HeatBudget budget(const experiment::Solution& s, const CellParameters& p, double dUdT) {
  HeatBudget b;
  for (std::size_t k = 1; k < s.time_s.size(); ++k) {
    const double dt = s.time_s[k] - s.time_s[k - 1];
    auto q_irr = [&](std::size_t m) { return s.current_A[m] * (s.open_circuit_voltage_V[m] - s.voltage_V[m]); };
    auto q_rev = [&](std::size_t m) { return -s.current_A[m] * s.temperature_K[m] * dUdT; };
    b.irreversible += 0.5 * (q_irr(k) + q_irr(k - 1)) * dt;
    b.reversible += 0.5 * (q_rev(k) + q_rev(k - 1)) * dt;
  }
  b.stored = p.thermal->heat_capacity_J_per_K * (s.temperature_K.back() - s.temperature_K.front());
  return b;
}

}  // namespace

TEST(ReversibleHeat, StoredHeatIsIrreversiblePlusBernardisReversibleHeatInEveryModel) {
  // dU_ocv/dT = +0.4 mV/K: the reversible heat cools a discharge, in each model by -I T dU/dT integrated from the
  // model's own outputs (trapezoids on the solver's steps: 2e-3 of the heat budget).
  const auto p = adiabatic_lgm50(positive_dUdT, negative_dUdT);
  const auto without = adiabatic_lgm50(0.0, 0.0);
  for (const char* model : {"spm", "spme", "dfn"}) {
    const auto s = run(model, p, "Discharge at 1C for 20 minutes");
    const auto b = budget(s, p, positive_dUdT - negative_dUdT);
    std::cout << model << ", 1C for 20 min, adiabatic: " << b.irreversible << " J irreversible, " << b.reversible << " J reversible, "
              << b.stored << " J stored\n";
    EXPECT_LT(b.reversible, 0.0) << model;
    const double scale = std::abs(b.irreversible) + std::abs(b.reversible);
    EXPECT_NEAR(b.stored - b.irreversible, b.reversible, 2e-3 * scale) << model;
    // Without entropic data the same discharge ends warmer.
    const auto s0 = run(model, without, "Discharge at 1C for 20 minutes");
    EXPECT_LT(s.temperature_K.back(), s0.temperature_K.back()) << model;
  }
}

TEST(ReversibleHeat, AtLowRateEveryModelWarmsTheCellAlike) {
  // dU_ocv/dT = -0.8 mV/K (heating on discharge): at C/20 the reversible heat, the same in every model, is over
  // ten times the irreversible heat, where the models differ (the SPM has no electrolyte or ohmic losses: about
  // 20 % less irreversible heat than the DFN, 1 % of the rise here).
  const double dUdT = -2.0 * (positive_dUdT - negative_dUdT);
  const auto p = adiabatic_lgm50(-2.0 * positive_dUdT, -2.0 * negative_dUdT);
  double dfn_rise = 0.0, dfn_reversible = 0.0;
  for (const char* model : {"dfn", "spme", "spm"}) {
    const auto s = run(model, p, "Discharge at C/20 for 1 hour");
    const double rise = s.temperature_K.back() - s.temperature_K.front();
    const auto b = budget(s, p, dUdT);
    std::cout << model << ", C/20 for 1 h, adiabatic: temperature rise " << rise << " K (" << b.reversible << " J reversible, "
              << b.irreversible << " J irreversible)\n";
    EXPECT_GT(b.reversible, 10.0 * b.irreversible) << model;
    if (std::string(model) == "dfn") {
      dfn_rise = rise;
      dfn_reversible = b.reversible;
      continue;
    }
    EXPECT_NEAR(rise, dfn_rise, 0.02 * dfn_rise) << model;  // stated tolerance: 2 % of the DFN's rise
    EXPECT_NEAR(b.reversible, dfn_reversible, 2e-3 * dfn_reversible) << model;
  }
}

TEST(ReversibleHeat, BuiltinEntropicCoefficientsAreOReganEtAl2022sFits) {
  // graphite and ncm811 carry O'Regan et al. 2022's LG M50 fits (Electrochim. Acta 425 140700, in mV/K); the LG M50
  // cell itself keeps none, as PyBaMM's Chen2020 set it is checked against.
  auto graphite = [](double x) { return (-0.1112 * x + 0.02914 + 0.3561 * std::exp(-(x - 0.08309) * (x - 0.08309) / 0.004616)) / 1000; };
  auto nmc = [](double x) {
    return (0.04006 * std::exp(-(x - 0.2828) * (x - 0.2828) / 0.0009855) - 0.06656 * std::exp(-(x - 0.8032) * (x - 0.8032) / 0.02179)) / 1000;
  };
  const auto liquid = model_parameters(cell::load_cell("liquid-ncm811-graphite"));
  const auto solid = model_parameters(cell::load_cell("assb-sulfide-li"));
  ASSERT_TRUE(liquid.negative->entropic_coefficient && liquid.positive.entropic_coefficient && solid.positive.entropic_coefficient);
  for (double x : {0.02, 0.08, 0.3, 0.5, 0.8, 0.97}) {
    EXPECT_NEAR((*liquid.negative->entropic_coefficient)(x), graphite(x), 1e-12) << x;
    EXPECT_NEAR((*liquid.positive.entropic_coefficient)(x), nmc(x), 1e-12) << x;
    EXPECT_NEAR((*solid.positive.entropic_coefficient)(x), nmc(x), 1e-12) << x;
  }
  const auto lgm50 = model_parameters(cell::load_cell("lgm50"));
  EXPECT_FALSE(lgm50.negative->entropic_coefficient.has_value());
  EXPECT_FALSE(lgm50.positive.entropic_coefficient.has_value());
}

}  // namespace solidcell::electrochem
