// Loss of active material in the liquid DFN (docs/ageing.md): off, the model is the model without it; on, stress-driven
// LAM acts only under tensile surface stress (the negative in discharge, the positive in charge), scales with its rate
// constant, reaction-driven LAM follows the SEI's lithium, the lithium bookkeeping closes with every mechanism on, the
// declared Jacobian pattern covers every entry, and the tables are read and checked.
#include <cmath>
#include <fstream>
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

using electrochem::ActiveMaterialLoss;
using electrochem::CellParameters;
using electrochem::LithiumPlating;
using electrochem::SeiGrowth;

CellParameters lgm50() {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  return p;
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

AgeingCell lam_cell(ActiveMaterialLoss lam, CellParameters p, SeiGrowth sei = SeiGrowth::none, LithiumPlating plating = LithiumPlating::none) {
  AgeingCellOptions o;
  o.sei = sei;
  o.plating = plating;
  o.active_material_loss = lam;
  o.simulation.relative_tolerance = 1e-8;
  return AgeingCell(std::move(p), o);
}

}  // namespace

TEST(LamModel, Lgm50CarriesOKane2022MechanicsAndLamValues) {
  auto p = lgm50();
  ASSERT_TRUE(p.negative->active_material_loss.has_value());
  ASSERT_TRUE(p.positive.active_material_loss.has_value());
  const auto& n = *p.negative->active_material_loss;
  const auto& q = *p.positive.active_material_loss;
  EXPECT_DOUBLE_EQ(n.youngs_modulus, 15e9);
  EXPECT_DOUBLE_EQ(n.poissons_ratio, 0.3);
  EXPECT_DOUBLE_EQ(n.partial_molar_volume, 3.1e-6);
  EXPECT_DOUBLE_EQ(n.critical_stress, 60e6);
  EXPECT_DOUBLE_EQ(n.proportional_rate, 2.7778e-7);
  EXPECT_DOUBLE_EQ(n.exponent, 2.0);
  EXPECT_DOUBLE_EQ(q.youngs_modulus, 375e9);
  EXPECT_DOUBLE_EQ(q.critical_stress, 375e6);
  EXPECT_DOUBLE_EQ(q.partial_molar_volume, 1.25e-5);
  EXPECT_EQ(p.active_material_loss, ActiveMaterialLoss::none);
  EXPECT_EQ(electrochem::parse_active_material_loss("stress-driven"), ActiveMaterialLoss::stress_driven);
  EXPECT_EQ(electrochem::parse_active_material_loss("stress_and_reaction_driven"), ActiveMaterialLoss::stress_and_reaction_driven);
  EXPECT_THROW(electrochem::parse_active_material_loss("cracking"), InputError);
}

TEST(LamModel, OffGivesExactlyTheModelWithoutLamTablesAndOnAddsTwoUnknownsPerElectrodeVolume) {
  auto with = lgm50();
  with.sei_growth = SeiGrowth::reaction_limited;
  auto without = with;
  without.negative->active_material_loss.reset();
  without.positive.active_material_loss.reset();
  electrochem::DfnModel a(with, {}), b(without, {});
  ASSERT_EQ(a.size(), b.size());
  auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 1C until 4.2 V");
  auto sa = experiment::run_experiment(a, steps, {});
  auto sb = experiment::run_experiment(b, steps, {});
  ASSERT_EQ(sa.final_state, sb.final_state);
  for (std::size_t k = 0; k < sa.voltage_V.size(); ++k) ASSERT_EQ(sa.voltage_V[k], sb.voltage_V[k]) << k;
  EXPECT_FALSE(a.has_active_material_loss());
  with.active_material_loss = ActiveMaterialLoss::stress_driven;
  electrochem::DfnModel on(with, {});
  EXPECT_EQ(on.size(), a.size() + 2 * static_cast<std::size_t>(on.mesh().negative + on.mesh().positive));
  auto y = on.initial_state(1.0);
  EXPECT_DOUBLE_EQ(on.active_material_fraction(y.data(), false), with.negative->active_fraction);
  EXPECT_DOUBLE_EQ(on.active_material_fraction(y.data(), true), with.positive.active_fraction);
  EXPECT_NEAR(on.lithium_moles(y.data()), a.lithium_moles(a.initial_state(1.0).data()), 1e-12);
  // Only the positive's table: LAM in the positive only.
  auto positive_only = with;
  positive_only.negative->active_material_loss.reset();
  electrochem::DfnModel p_only(positive_only, {});
  EXPECT_EQ(p_only.size(), a.size() + 2 * static_cast<std::size_t>(on.mesh().positive));
  // Neither table, or reaction-driven LAM without SEI growth: refused, naming the option.
  auto none = without;
  none.active_material_loss = ActiveMaterialLoss::stress_driven;
  try {
    electrochem::DfnModel m(none, {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "loss of active material");
  }
  auto reaction = lgm50();
  reaction.active_material_loss = ActiveMaterialLoss::reaction_driven;
  EXPECT_THROW(electrochem::DfnModel(reaction, {}), InputError);
}

// The swelling stress is tensile where the surface holds less lithium than the particle's mean: in the negative while it
// delithiates (discharge), in the positive while it delithiates (charge). Only tension removes material; at rest from
// uniform particles nothing does.
TEST(LamModel, StressDrivenLossOnlyUnderTension) {
  auto cell = lam_cell(ActiveMaterialLoss::stress_driven, lgm50());
  const double n0 = cell.active_material_fraction(false), p0 = cell.active_material_fraction(true);
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Rest for 10 minutes")).failure);
  EXPECT_EQ(cell.active_material_fraction(false), n0);
  EXPECT_EQ(cell.active_material_fraction(true), p0);
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Discharge at 1C until 2.5 V")).failure);
  const double n1 = cell.active_material_fraction(false), p1 = cell.active_material_fraction(true);
  EXPECT_LT(n1, n0);
  EXPECT_EQ(p1, p0);  // compressive in the positive throughout the discharge
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Rest for 1 hour")).failure);
  const double n2 = cell.active_material_fraction(false);
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Charge at 1C until 4.2 V")).failure);
  EXPECT_LT(cell.active_material_fraction(true), p1);
  EXPECT_LT(n2 - cell.active_material_fraction(false), 1e-3 * (n0 - n1));  // the negative lithiates: compressive
  EXPECT_GT(cell.lithium_lost_to_active_material_loss_mol(), 0.0);
}

// The loss rate is proportional to beta: twice beta, twice the material lost (to the feedback of the loss itself, which
// is tiny here).
TEST(LamModel, StressDrivenLossScalesWithItsRateConstant) {
  auto lost_with = [](double factor) {
    auto p = lgm50();
    p.negative->active_material_loss->proportional_rate *= factor;
    p.positive.active_material_loss->proportional_rate *= factor;
    auto cell = lam_cell(ActiveMaterialLoss::stress_driven, p);
    EXPECT_FALSE(cell.advance(experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 1C until 4.2 V")).failure);
    return std::pair{p.negative->active_fraction - cell.active_material_fraction(false), p.positive.active_fraction - cell.active_material_fraction(true)};
  };
  const auto one = lost_with(1.0), two = lost_with(2.0);
  EXPECT_NEAR(two.first / one.first, 2.0, 0.01);
  EXPECT_NEAR(two.second / one.second, 2.0, 0.01);
}

// Reaction-driven LAM: d(eps)/dt = beta_sei a j_sei / F, and the SEI binds z a |j_sei| / (z F) per volume: the active
// material lost over the electrode's volume is beta_sei times the moles of SEI reaction (the SEI's lithium), to the
// change of a with eps (small here).
TEST(LamModel, ReactionDrivenLossFollowsTheSeiLithium) {
  auto p = lgm50();
  p.negative->active_material_loss->reaction_factor = 1e-4;  // m3/mol: large, to see it
  auto cell = lam_cell(ActiveMaterialLoss::reaction_driven, p, SeiGrowth::reaction_limited);
  ASSERT_FALSE(cell.advance(experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 1C until 4.2 V, Rest for 5 hours")).failure);
  const double volume = p.negative->thickness_m * p.electrode_area_m2;
  const double lost = (p.negative->active_fraction - cell.active_material_fraction(false)) * volume;
  const double expected = 1e-4 * cell.lithium_lost_to_sei_mol();
  EXPECT_GT(lost, 1e-4 * p.negative->active_fraction * volume);
  EXPECT_NEAR(lost, expected, 0.01 * expected);
  EXPECT_DOUBLE_EQ(cell.active_material_fraction(true), p.positive.active_fraction);  // the positive has no SEI
}

// Particles + electrolyte + SEI + plated + dead + lithium in lost material is constant, and what the mechanisms took is
// what the cyclable inventory lost.
TEST(LamModel, LithiumBookkeepingClosesWithEveryMechanism) {
  auto p = lgm50();
  p.negative->active_material_loss->proportional_rate *= 100.0;
  p.positive.active_material_loss->proportional_rate *= 100.0;
  p.negative->active_material_loss->reaction_factor = 1e-4;
  auto cell = lam_cell(ActiveMaterialLoss::stress_and_reaction_driven, p, SeiGrowth::reaction_limited, LithiumPlating::partially_reversible);
  const double start = cell.lithium_moles(), cyclable0 = cell.cyclable_lithium_mol();
  auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20, Rest for 1 hour");
  for (int c = 0; c < 2; ++c) {
    auto sol = cell.advance(steps);
    ASSERT_FALSE(sol.failure) << sol.failure->reason;
    ASSERT_EQ(sol.steps.size(), steps.size()) << sol.stopped_early;
  }
  EXPECT_NEAR(cell.lithium_moles(), start, 1e-7 * start);
  const double taken = cell.lithium_lost_to_sei_mol() + cell.lithium_lost_to_plating_mol() + cell.lithium_lost_to_active_material_loss_mol();
  EXPECT_GT(cell.lithium_lost_to_active_material_loss_mol(), 1e-5);
  EXPECT_NEAR(cyclable0 - cell.cyclable_lithium_mol(), taken, 1e-7 * start);
}

TEST(LamModel, DeclaredJacobianPatternCoversEveryProbedEntry) {
  for (ActiveMaterialLoss lam : {ActiveMaterialLoss::stress_driven, ActiveMaterialLoss::stress_and_reaction_driven}) {
    for (bool thermal : {false, true}) {
      auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
      if (!thermal) p.thermal.reset();
      p.negative->active_material_loss->reaction_factor = 1e-4;
      p.sei_growth = SeiGrowth::reaction_limited;
      p.lithium_plating = LithiumPlating::partially_reversible;
      p.active_material_loss = lam;
      electrochem::DfnModel model(p, {});
      std::vector<double> y = model.initial_state(0.7), yp;
      electrochem::Control c;
      c.value = 5.0;
      model.set_control(c);
      numerics::IdaIntegrator ida(model, numerics::IntegratorOptions{1e-6});
      ida.start(0.0, y, yp);
      double t = 0.0;
      ida.advance_to(300.0, 300.0, t, y, yp);
      std::mt19937 rng(5);
      std::uniform_real_distribution<double> jitter(-1e-4, 1e-4);
      for (std::size_t k = 0; k < y.size(); ++k) {
        y[k] += jitter(rng) * (std::abs(y[k]) < 1e-6 ? std::abs(y[k]) : std::max(std::abs(y[k]), 1e-2));
        yp[k] += jitter(rng) * std::max(std::abs(yp[k]), 1e-6);
      }
      const auto declared = model.jacobian_pattern();
      const auto probed = numerics::probe_sparsity(model, 300.0, y, yp);
      int missing = 0;
      for (std::size_t col = 0; col < probed.size(); ++col)
        for (int row : probed.rows_of_column(col))
          if (!declared.contains(static_cast<std::size_t>(row), col) && static_cast<std::size_t>(row) != col)
            if (++missing <= 5) ADD_FAILURE() << to_string(lam) << ": entry (" << row << ", " << col << ") changes but is not declared";
      EXPECT_EQ(missing, 0);
    }
  }
}

TEST(LamModel, CycleSummaryGivesLamItsShare) {
  auto p = lgm50();
  p.negative->active_material_loss->proportional_rate *= 1000.0;
  p.positive.active_material_loss->proportional_rate *= 1000.0;
  AgeingCellOptions o;
  o.sei = SeiGrowth::reaction_limited;
  o.active_material_loss = ActiveMaterialLoss::stress_driven;
  AgeingCell cell(p, o);
  CycleStudyOptions so;
  so.cycles = 3;
  auto r = run_cycle_study(cell, experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 1C until 4.2 V, Hold at 4.2 V until C/20"), so);
  ASSERT_EQ(r.cycles.size(), 3u) << r.stopped;
  const auto& last = r.cycles.back();
  const auto lam = static_cast<std::size_t>(FadeMechanism::loss_of_active_material);
  EXPECT_STREQ(to_string(FadeMechanism::loss_of_active_material), "loss of active material");
  EXPECT_LT(last.capacity_retention, 0.995);
  EXPECT_GT(last.capacity_loss_share[lam], 0.5);
  EXPECT_LT(last.positive_active_fraction, r.cycles.front().positive_active_fraction);
  EXPECT_LT(last.negative_active_fraction, r.cycles.front().negative_active_fraction);
  double sum = 0.0;
  for (double s : last.capacity_loss_share) sum += s;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(last.lithium_inventory_mol + last.lithium_lost_to_sei_mol + last.lithium_lost_to_active_material_loss_mol, last.lithium_total_mol,
              1e-12 * last.lithium_total_mol);
}

TEST(LamModel, SetupAndTableErrorsNameTheField) {
  AgeingSetup s;
  s.lam = "stress-driven";
  auto made = make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s);
  EXPECT_EQ(degradation_description(*made), "SEI (reaction limited), loss of active material (stress-driven)");
  s.sei = "none";
  s.lam = "reaction-driven";
  try {
    make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "--lam");
  }
  s.lam = "cracks";
  try {
    make_ageing_cell(cell::load_cell("lgm50"), "lgm50", s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "--lam");
  }

  std::ifstream in(cell::builtin_cell_path("lgm50"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  auto edited = [&](const std::string& from, const std::string& to) {
    auto t = text;
    auto pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  auto e1 = error_of(edited("poissons_ratio = 0.2", "poissons_ratio = 0.7"));
  EXPECT_NE(e1.find("positive.active_material_loss.poissons_ratio = 0.7: allowed range [0, 0.5)"), std::string::npos) << e1;
  EXPECT_NE(e1.find("bad.toml"), std::string::npos) << e1;
  auto e2 = error_of(edited("critical_stress_MPa = 60.0", "critical_stress_MPa = 0"));
  EXPECT_NE(e2.find("negative.active_material_loss.critical_stress_MPa = 0"), std::string::npos) << e2;
  auto e3 = error_of(edited("exponent = 2.0\nreaction_factor_m3_per_mol = 0.0", "exponent = 2.0\nreaction_factor_m3_per_mol = 0.0\ncrack_length_um = 1"));
  EXPECT_NE(e3.find("negative.active_material_loss.crack_length_um"), std::string::npos) << e3;
}

}  // namespace solidcell::ageing
