// Lithium plating in the liquid DFN (docs/ageing.md): off, the model is the model without it; on, the plated and
// dead lithium follow their laws (irreversible: all dead; reversible: stripped again at rest; partially reversible:
// dead at the rate gamma_0 times the plated lithium), the lithium bookkeeping closes (particles + electrolyte + SEI +
// plated + dead constant), plating grows with the charge rate and the cold, the declared Jacobian pattern covers every
// entry, and the [negative.plating] table is read and checked.
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/numerics/ida_integrator.hpp"
#include "solidcell/numerics/sparsity_pattern.hpp"

namespace solidcell::ageing {
namespace {

using electrochem::CellParameters;
using electrochem::LithiumPlating;
using electrochem::SeiGrowth;

CellParameters lgm50() {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  return p;
}

std::string lgm50_text() {
  std::ifstream in(cell::builtin_cell_path("lgm50"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string error_of(const std::string& text) {
  try {
    auto doc = io::parse_toml_text(text, "bad.toml");
    cell::read_cell_toml(doc, "bad.toml", materials::MaterialLibrary::builtin());
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

AgeingCell plating_cell(LithiumPlating plating, SeiGrowth sei = SeiGrowth::none, double temperature_K = 298.15, double rtol = 1e-8) {
  AgeingCellOptions o;
  o.sei = sei;
  o.plating = plating;
  o.simulation.relative_tolerance = rtol;
  o.simulation.ambient_temperature_K = temperature_K;
  return AgeingCell(lgm50(), o);
}

const char* fast_charge = "Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20";

}  // namespace

TEST(PlatingModel, Lgm50CarriesOKane2022PlatingParameters) {
  auto p = lgm50();
  ASSERT_TRUE(p.plating.has_value());
  EXPECT_DOUBLE_EQ(p.plating->kinetic_rate_constant, 1e-9);
  EXPECT_DOUBLE_EQ(p.plating->transfer_coefficient, 0.65);
  EXPECT_DOUBLE_EQ(p.plating->lithium_partial_molar_volume, 1.3e-5);
  EXPECT_DOUBLE_EQ(p.plating->initial_concentration, 0.0);
  EXPECT_DOUBLE_EQ(p.plating->dead_lithium_decay_constant, 1e-6);
  EXPECT_DOUBLE_EQ(p.plating->activation_energy, 0.0);
  EXPECT_EQ(p.lithium_plating, LithiumPlating::none);  // off unless a model option asks for it
  auto generic = electrochem::model_parameters(cell::load_cell("liquid-ncm811-graphite"));
  ASSERT_TRUE(generic.plating.has_value());
  EXPECT_DOUBLE_EQ(generic.plating->kinetic_rate_constant, 1e-9);
}

// With plating off, a cell file's [negative.plating] table changes nothing: same unknowns, same numbers, bit for bit,
// with and without SEI growth.
TEST(PlatingModel, OffGivesExactlyTheModelWithoutPlatingParameters) {
  for (SeiGrowth sei : {SeiGrowth::none, SeiGrowth::reaction_limited}) {
    auto with_table = lgm50();
    with_table.sei_growth = sei;
    auto without = with_table;
    without.plating.reset();
    electrochem::DfnModel a(with_table, {}), b(without, {});
    ASSERT_EQ(a.size(), b.size());
    auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V");
    auto sa = experiment::run_experiment(a, steps, {});
    auto sb = experiment::run_experiment(b, steps, {});
    ASSERT_EQ(sa.voltage_V.size(), sb.voltage_V.size());
    for (std::size_t k = 0; k < sa.voltage_V.size(); ++k) ASSERT_EQ(sa.voltage_V[k], sb.voltage_V[k]) << k;
    ASSERT_EQ(sa.final_state, sb.final_state);
    EXPECT_FALSE(a.has_lithium_plating());
    EXPECT_EQ(a.plating_lithium_moles(sa.final_state.data()), 0.0);
    EXPECT_TRUE(a.plating_current_density(sa.final_state.data()).empty());
  }
}

TEST(PlatingModel, TwoUnknownsPerNegativeVolumeAndTheOptionNames) {
  auto p = lgm50();
  electrochem::DfnModel off(p, {});
  p.lithium_plating = LithiumPlating::partially_reversible;
  electrochem::DfnModel on(p, {});
  EXPECT_EQ(on.size(), off.size() + 2 * static_cast<std::size_t>(on.mesh().negative));
  EXPECT_TRUE(on.has_lithium_plating());
  auto y = on.initial_state(1.0);
  EXPECT_EQ(on.plated_lithium_moles(y.data()), 0.0);
  EXPECT_EQ(on.dead_lithium_moles(y.data()), 0.0);
  EXPECT_NEAR(on.lithium_moles(y.data()), off.lithium_moles(off.initial_state(1.0).data()), 1e-12);
  EXPECT_EQ(on.plated_lithium_concentration(y.data()).size(), static_cast<std::size_t>(on.mesh().negative));

  EXPECT_EQ(electrochem::parse_lithium_plating("partially reversible"), LithiumPlating::partially_reversible);
  EXPECT_EQ(electrochem::parse_lithium_plating("partially-reversible"), LithiumPlating::partially_reversible);
  EXPECT_EQ(electrochem::parse_lithium_plating("partially_reversible"), LithiumPlating::partially_reversible);
  EXPECT_EQ(electrochem::parse_lithium_plating("irreversible"), LithiumPlating::irreversible);
  EXPECT_STREQ(electrochem::to_string(LithiumPlating::reversible), "reversible");
  try {
    electrochem::parse_lithium_plating("lots");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "lithium plating");
  }

  p.plating.reset();
  try {
    electrochem::DfnModel m(p, {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "lithium plating");
    EXPECT_NE(std::string(e.what()).find("[negative.plating]"), std::string::npos) << e.what();
  }
}

// Irreversible: everything plated is dead at once and plating never stops (it runs, slowly, even in discharge and at
// rest); the strippable part stays at its initial value.
TEST(PlatingModel, IrreversiblePlatingOnlyGrowsDeadLithium) {
  auto cell = plating_cell(LithiumPlating::irreversible);
  double before = 0.0;
  for (const auto& step : experiment::parse_experiment(std::string(fast_charge) + ", Rest for 1 hour")) {
    auto sol = cell.advance({step});
    ASSERT_FALSE(sol.failure) << sol.failure->reason;
    EXPECT_GT(cell.dead_lithium_mol(), before) << step.text;
    EXPECT_EQ(cell.plated_lithium_mol(), 0.0);
    before = cell.dead_lithium_mol();
  }
  EXPECT_DOUBLE_EQ(cell.lithium_lost_to_plating_mol(), cell.dead_lithium_mol());
  EXPECT_GT(before, 1e-3);  // mol: at 2C the M50 plates lithium worth tens of mA.h per cycle
}

// Reversible: the lithium plated during the fast charge strips back into the particles at rest (the plated metal sits
// below 0 V vs Li while the graphite is at about 0.1 V), and none of it is dead.
TEST(PlatingModel, ReversiblePlatingStripsAtRest) {
  auto cell = plating_cell(LithiumPlating::reversible);
  auto sol = cell.advance(experiment::parse_experiment("Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at 2C until 4.2 V"));
  ASSERT_FALSE(sol.failure);
  const double plated = cell.plated_lithium_mol();
  EXPECT_GT(plated, 1e-4);
  auto rest = cell.advance(experiment::parse_experiment("Rest for 2 hours"));
  ASSERT_FALSE(rest.failure);
  EXPECT_LT(cell.plated_lithium_mol(), 0.5 * plated);
  EXPECT_EQ(cell.dead_lithium_mol(), 0.0);
  // The stripped lithium goes back into the negative's particles, lowering their potential: the open-circuit voltage rises.
  EXPECT_GT(rest.open_circuit_voltage_V.back(), rest.open_circuit_voltage_V.front());
}

// Partially reversible with a constant SEI: d(dead)/dt = gamma_0 c_plated in every volume, so the dead lithium gained
// over a rest is gamma_0 times the time integral of the plated lithium (trapezoidal rule over 5-minute rows).
TEST(PlatingModel, DeadLithiumGrowsAtGammaTimesThePlatedLithium) {
  auto cell = plating_cell(LithiumPlating::partially_reversible);
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V")).failure);
  const double gamma = cell.model().parameters().plating->dead_lithium_decay_constant;
  const double dead0 = cell.dead_lithium_mol();
  double integral = 0.0, plated = cell.plated_lithium_mol();
  ASSERT_GT(plated, 1e-4);
  const auto rest = experiment::parse_experiment("Rest for 1 minute");
  for (int k = 0; k < 60; ++k) {
    ASSERT_FALSE(cell.advance(rest).failure);
    integral += 0.5 * (plated + cell.plated_lithium_mol()) * 60.0;
    plated = cell.plated_lithium_mol();
  }
  const double gained = cell.dead_lithium_mol() - dead0;
  EXPECT_NEAR(gained, gamma * integral, 0.01 * gamma * integral);
  EXPECT_GT(gained, 0.0);
}

// Particles + electrolyte + SEI + plated + dead lithium is constant, and what plating and SEI took is what the
// cyclable inventory lost, for every plating model (with SEI growth on).
TEST(PlatingModel, LithiumBookkeepingClosesForEveryModel) {
  for (LithiumPlating plating : {LithiumPlating::irreversible, LithiumPlating::reversible, LithiumPlating::partially_reversible}) {
    auto cell = plating_cell(plating, SeiGrowth::reaction_limited);
    const double start = cell.lithium_moles();
    const double cyclable_start = cell.cyclable_lithium_mol();
    auto steps = experiment::parse_experiment(std::string(fast_charge) + ", Rest for 1 hour");
    for (int c = 0; c < 2; ++c) {
      auto sol = cell.advance(steps);
      ASSERT_FALSE(sol.failure) << sol.failure->reason;
      ASSERT_EQ(sol.steps.size(), steps.size()) << sol.stopped_early;
      EXPECT_NEAR(sol.lithium_moles_end, sol.lithium_moles_start, 1e-7 * start) << to_string(plating) << " cycle " << c;
    }
    EXPECT_NEAR(cell.lithium_moles(), start, 1e-7 * start) << to_string(plating);
    EXPECT_GT(cell.lithium_lost_to_plating_mol(), 0.0) << to_string(plating);
    EXPECT_GT(cell.lithium_lost_to_sei_mol(), 0.0) << to_string(plating);
    EXPECT_NEAR(cyclable_start - cell.cyclable_lithium_mol(), cell.lithium_lost_to_sei_mol() + cell.lithium_lost_to_plating_mol(), 1e-7 * start)
        << to_string(plating);
  }
}

// Faster and colder charging plates faster: at the same charge passed from the same state, the plating current density
// (x-averaged over the negative) is larger at 2C than at 0.5C, and at -5 C than at 25 C, as phi_s - phi_e goes lower.
// (What has plated by the end of a charge also depends on how long it lasted and how full it left the graphite: a slow
// charge that ends near full can plate more in all.)
TEST(PlatingModel, PlatingRateGrowsWithChargeRateAndCold) {
  auto plating_rate = [](const std::string& charge, double temperature_K) {
    AgeingCellOptions o;
    o.sei = SeiGrowth::none;
    o.plating = LithiumPlating::irreversible;
    o.simulation.relative_tolerance = 1e-6;
    o.simulation.ambient_temperature_K = temperature_K;
    o.simulation.initial_soc = 0.6;
    AgeingCell cell(lgm50(), o);
    EXPECT_FALSE(cell.advance(experiment::parse_experiment(charge)).failure);
    const auto j = cell.model().plating_current_density(cell.state().data());
    double mean = 0.0;
    for (double v : j) mean += v / static_cast<double>(j.size());
    return -mean;  // A/m2, positive while plating
  };
  const double slow = plating_rate("Charge at 0.5C for 360 seconds", 298.15);
  const double fast = plating_rate("Charge at 2C for 90 seconds", 298.15);
  const double cold = plating_rate("Charge at 0.5C for 360 seconds", 268.15);
  std::cout << "plating current density after 0.25 A.h from SOC 0.6: 0.5C " << slow << " A/m2, 2C " << fast << " A/m2, 0.5C at -5 C " << cold
            << " A/m2\n";
  EXPECT_GT(slow, 0.0);
  EXPECT_GT(fast, 1.5 * slow);
  EXPECT_GT(cold, 1.5 * slow);
}

TEST(PlatingModel, DeclaredJacobianPatternCoversEveryProbedEntry) {
  for (LithiumPlating plating : {LithiumPlating::irreversible, LithiumPlating::reversible, LithiumPlating::partially_reversible}) {
    for (SeiGrowth sei : {SeiGrowth::none, SeiGrowth::reaction_limited}) {
      for (bool thermal : {false, true}) {
        auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
        if (!thermal) p.thermal.reset();
        p.sei_growth = sei;
        p.lithium_plating = plating;
        electrochem::DfnModel model(p, {});
        std::vector<double> y = model.initial_state(0.3), yp;
        electrochem::Control c;
        c.value = -10.0;  // a 2C charge, so that lithium plates
        model.set_control(c);
        numerics::IdaIntegrator ida(model, numerics::IntegratorOptions{1e-6});
        ida.start(0.0, y, yp);
        double t = 0.0;
        ida.advance_to(600.0, 600.0, t, y, yp);
        ASSERT_GT(model.plating_lithium_moles(y.data()), 0.0);
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> jitter(-1e-4, 1e-4);
        for (std::size_t k = 0; k < y.size(); ++k) {
          y[k] += jitter(rng) * (std::abs(y[k]) < 1e-6 ? std::abs(y[k]) : std::max(std::abs(y[k]), 1e-2));
          yp[k] += jitter(rng) * std::max(std::abs(yp[k]), 1e-6);
        }
        const auto declared = model.jacobian_pattern();
        const auto probed = numerics::probe_sparsity(model, 600.0, y, yp);
        int missing = 0;
        for (std::size_t col = 0; col < probed.size(); ++col)
          for (int row : probed.rows_of_column(col))
            if (!declared.contains(static_cast<std::size_t>(row), col) && static_cast<std::size_t>(row) != col)
              if (++missing <= 5)
                ADD_FAILURE() << to_string(plating) << ", SEI " << to_string(sei) << ": entry (" << row << ", " << col << ") changes but is not declared";
        EXPECT_EQ(missing, 0);
      }
    }
  }
}

// The cycling study shares the capacity lost among SEI, plating and the rest; plating at 2C dominates.
TEST(PlatingModel, CycleSummaryGivesPlatingItsShare) {
  auto cell = plating_cell(LithiumPlating::irreversible, SeiGrowth::reaction_limited, 298.15, 1e-6);
  CycleStudyOptions so;
  so.cycles = 3;
  auto r = run_cycle_study(cell, experiment::parse_experiment(fast_charge), so);
  ASSERT_EQ(r.cycles.size(), 3u) << r.stopped;
  const auto& last = r.cycles.back();
  const auto plating = static_cast<std::size_t>(FadeMechanism::lithium_plating);
  const auto sei = static_cast<std::size_t>(FadeMechanism::sei);
  EXPECT_STREQ(to_string(FadeMechanism::lithium_plating), "lithium plating");
  EXPECT_LT(last.capacity_retention, 0.97);
  EXPECT_GT(last.capacity_loss_share[plating], 0.8);
  EXPECT_GT(last.capacity_loss_share[sei], 0.0);
  double sum = 0.0;
  for (double s : last.capacity_loss_share) sum += s;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GT(last.dead_lithium_mol, r.cycles.front().dead_lithium_mol);
  EXPECT_DOUBLE_EQ(last.lithium_lost_to_negative_plating_mol, last.dead_lithium_mol + last.plated_lithium_mol);
  EXPECT_NEAR(last.lithium_inventory_mol + last.lithium_lost_to_sei_mol + last.plated_lithium_mol + last.dead_lithium_mol, last.lithium_total_mol,
              1e-12 * last.lithium_total_mol);
}

TEST(PlatingModel, SetupSwitchesPlatingOnAndRefusesWhatCannotPlate) {
  AgeingSetup s;
  s.plating = "partially-reversible";
  s.sei = "none";
  auto cell = make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s);
  EXPECT_EQ(cell->options().plating, LithiumPlating::partially_reversible);
  EXPECT_EQ(degradation_description(*cell), "lithium plating (partially reversible)");
  s.sei = "reaction limited";
  EXPECT_EQ(degradation_description(*make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s)),
            "SEI (reaction limited), lithium plating (partially reversible)");
  s.plating = "sometimes";
  try {
    make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "--plating");
  }
  s.plating = "reversible";
  try {
    make_ageing_cell(cell::load_cell("assb-sulfide-li"), "assb-sulfide-li", s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "--plating");
  }
}

TEST(PlatingModel, PlatingTableErrorsNameTheField) {
  auto text = lgm50_text();
  auto edited = [&](const std::string& from, const std::string& to) {
    auto t = text;
    auto pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  auto e1 = error_of(edited("kinetic_rate_constant_m_per_s = 1.0e-9", "kinetic_rate_constant_m_per_s = -1.0"));
  EXPECT_NE(e1.find("negative.plating.kinetic_rate_constant_m_per_s = -1: allowed range (0, 0.001]"), std::string::npos) << e1;
  EXPECT_NE(e1.find("bad.toml"), std::string::npos) << e1;
  auto e2 = error_of(edited("transfer_coefficient = 0.65", "transfer_coefficient = 1.5"));
  EXPECT_NE(e2.find("negative.plating.transfer_coefficient = 1.5: allowed range (0, 1)"), std::string::npos) << e2;
  auto e3 = error_of(edited("dead_lithium_decay_constant_per_s = 1.0e-6", "dead_lithium_decay_constant_per_s = 1.0e-6\nrate = 3"));
  EXPECT_NE(e3.find("negative.plating.rate"), std::string::npos) << e3;
  auto e4 = error_of(edited("kinetic_rate_constant_m_per_s = 1.0e-9\n", ""));
  EXPECT_NE(e4.find("negative.plating.kinetic_rate_constant_m_per_s"), std::string::npos) << e4;
}

}  // namespace solidcell::ageing
