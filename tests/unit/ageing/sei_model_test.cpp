// SEI growth in the liquid DFN (docs/ageing.md): off, the model is the model without it; on, the growth laws
// give their closed forms, lithium bookkeeping closes (particles + electrolyte + SEI constant), the declared
// Jacobian pattern covers every entry, and the [negative.sei] table is read and checked.
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/open_circuit_potential.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/numerics/ida_integrator.hpp"
#include "solidcell/numerics/sparsity_pattern.hpp"

namespace solidcell::ageing {
namespace {

using electrochem::CellParameters;
using electrochem::SeiGrowth;
constexpr double F = constants::faraday_C_per_mol;

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

}  // namespace

TEST(SeiModel, Lgm50CarriesChen2020SeiParameters) {
  auto p = lgm50();
  ASSERT_TRUE(p.sei.has_value());
  EXPECT_DOUBLE_EQ(p.sei->initial_thickness_m, 5e-9);
  EXPECT_DOUBLE_EQ(p.sei->partial_molar_volume, 9.585e-5);
  EXPECT_DOUBLE_EQ(p.sei->exchange_current_density, 1.5e-7);
  EXPECT_DOUBLE_EQ(p.sei->resistivity, 2e5);
  EXPECT_DOUBLE_EQ(p.sei->solvent_diffusivity, 2.5e-22);
  EXPECT_DOUBLE_EQ(p.sei->bulk_solvent_concentration, 2636.0);
  EXPECT_DOUBLE_EQ(p.sei->open_circuit_potential, 0.4);
  EXPECT_DOUBLE_EQ(p.sei->lithium_per_sei, 2.0);
  EXPECT_EQ(p.sei_growth, SeiGrowth::none);  // off unless a model option asks for it
}

TEST(SeiModel, OffGivesExactlyTheModelWithoutSeiParameters) {
  auto with_table = lgm50();
  auto without = with_table;
  without.sei.reset();
  electrochem::DfnModel a(with_table, {}), b(without, {});
  ASSERT_EQ(a.size(), b.size());
  auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 0.5C until 4.2 V");
  auto sa = experiment::run_experiment(a, steps, {});
  auto sb = experiment::run_experiment(b, steps, {});
  ASSERT_EQ(sa.voltage_V.size(), sb.voltage_V.size());
  for (std::size_t k = 0; k < sa.voltage_V.size(); ++k) ASSERT_EQ(sa.voltage_V[k], sb.voltage_V[k]) << k;
  EXPECT_EQ(a.sei_lithium_moles(sa.final_state.data()), 0.0);
}

TEST(SeiModel, OneThicknessUnknownPerNegativeVolume) {
  auto p = lgm50();
  electrochem::DfnModel off(p, {});
  p.sei_growth = SeiGrowth::reaction_limited;
  electrochem::DfnModel on(p, {});
  EXPECT_EQ(on.size(), off.size() + static_cast<std::size_t>(on.mesh().negative));
  EXPECT_TRUE(on.has_sei_growth());
  auto y = on.initial_state(1.0);
  EXPECT_DOUBLE_EQ(on.mean_sei_thickness(y.data()), 5e-9);
  EXPECT_DOUBLE_EQ(on.sei_lithium_moles(y.data()), 0.0);
  EXPECT_NEAR(on.lithium_moles(y.data()), off.lithium_moles(off.initial_state(1.0).data()), 1e-12);
}

TEST(SeiModel, GrowthNeedsTheSeiTable) {
  auto p = lgm50();
  p.sei.reset();
  p.sei_growth = SeiGrowth::reaction_limited;
  try {
    electrochem::DfnModel m(p, {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "SEI");
    EXPECT_NE(std::string(e.what()).find("[negative.sei]"), std::string::npos) << e.what();
  }
  p = lgm50();
  p.sei_growth = SeiGrowth::reaction_limited;
  EXPECT_THROW(electrochem::make_model("spme", p), InputError);  // the DFN only, for now
  EXPECT_NO_THROW(electrochem::make_model("dfn", p));
  EXPECT_EQ(electrochem::parse_sei_growth("solvent-diffusion limited"), SeiGrowth::solvent_diffusion_limited);
  EXPECT_EQ(electrochem::parse_sei_growth("reaction_limited"), SeiGrowth::reaction_limited);
  EXPECT_THROW(electrochem::parse_sei_growth("fast"), InputError);
}

// Solvent-diffusion-limited growth does not depend on the potentials: dL/dt = V D c / (z L), so
// L(t)^2 = L0^2 + 2 V D c t / z in every volume, whatever the cell does.
TEST(SeiModel, SolventDiffusionLimitedGrowthFollowsItsClosedForm) {
  auto p = lgm50();
  AgeingCellOptions o;
  o.sei = SeiGrowth::solvent_diffusion_limited;
  o.simulation.relative_tolerance = 1e-8;
  AgeingCell cell(p, o);
  auto sol = cell.advance(experiment::parse_experiment("Discharge at 1C until 3.0 V, Rest for 10 hours"));
  ASSERT_FALSE(sol.failure);
  const auto& s = *p.sei;
  const double t = sol.time_s.back();
  const double expected = std::sqrt(s.initial_thickness_m * s.initial_thickness_m +
                                    2.0 * s.partial_molar_volume * s.solvent_diffusivity * s.bulk_solvent_concentration * t / s.lithium_per_sei);
  EXPECT_NEAR(cell.sei_thickness_m(), expected, 1e-6 * expected);
  EXPECT_GT(cell.sei_thickness_m(), 1.01 * s.initial_thickness_m);
}

// Reaction-limited growth at rest: no intercalation current, so j_sei = -j0 exp(-alpha F (U_n - U_sei) / RT)
// with U_n the negative's open-circuit potential, and dL/dt = -V j_sei / (z F).
TEST(SeiModel, ReactionLimitedRateAtRestMatchesTheTafelLaw) {
  auto p = lgm50();
  AgeingCellOptions o;
  o.simulation.relative_tolerance = 1e-9;
  o.simulation.absolute_tolerance = 1e-10;
  AgeingCell cell(p, o);
  auto sol = cell.advance(experiment::parse_experiment("Rest for 2 hours"));
  ASSERT_FALSE(sol.failure);
  const auto& s = *p.sei;
  const auto& n = *p.negative;
  const double x = n.stoichiometry_at_100_soc;
  const double u = electrochem::open_circuit_potential(n.open_circuit_potential, x, n.ocp_valid_from, n.ocp_valid_to);
  const double T = p.reference_temperature_K;
  const double j_sei = -s.exchange_current_density * std::exp(-s.transfer_coefficient * F / (constants::gas_constant_J_per_mol_K * T) * (u - s.open_circuit_potential));
  const double expected = s.initial_thickness_m - s.partial_molar_volume * j_sei / (s.lithium_per_sei * F) * sol.time_s.back();
  EXPECT_NEAR(cell.sei_thickness_m() - s.initial_thickness_m, expected - s.initial_thickness_m, 0.01 * (expected - s.initial_thickness_m));
}

TEST(SeiModel, LithiumBookkeepingClosesOverCycles) {
  for (SeiGrowth law : {SeiGrowth::reaction_limited, SeiGrowth::solvent_diffusion_limited}) {
    AgeingCellOptions o;
    o.sei = law;
    o.simulation.relative_tolerance = 1e-8;
    AgeingCell cell(lgm50(), o);
    const double start = cell.lithium_moles();
    const double cyclable_start = cell.cyclable_lithium_mol();
    auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 0.5C until 4.2 V, Hold at 4.2 V until C/20");
    double lost_before = 0.0;
    for (int c = 0; c < 3; ++c) {
      auto sol = cell.advance(steps);
      ASSERT_FALSE(sol.failure) << sol.failure->reason;
      ASSERT_EQ(sol.steps.size(), 3u) << sol.stopped_early;
      EXPECT_NEAR(sol.lithium_moles_end, sol.lithium_moles_start, 1e-7 * start) << to_string(law) << " cycle " << c;
      EXPECT_GT(cell.lithium_lost_to_sei_mol(), lost_before);
      lost_before = cell.lithium_lost_to_sei_mol();
    }
    EXPECT_NEAR(cell.lithium_moles(), start, 1e-7 * start) << to_string(law);
    // What the SEI took, the particles and salt lost.
    EXPECT_NEAR(cyclable_start - cell.cyclable_lithium_mol(), cell.lithium_lost_to_sei_mol(), 1e-7 * start) << to_string(law);
  }
}

TEST(SeiModel, DeclaredJacobianPatternCoversEveryProbedEntry) {
  for (SeiGrowth law : {SeiGrowth::reaction_limited, SeiGrowth::solvent_diffusion_limited}) {
    for (bool thermal : {false, true}) {
      auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
      if (!thermal) p.thermal.reset();
      p.sei_growth = law;
      electrochem::DfnModel model(p, {});
      std::vector<double> y = model.initial_state(0.7), yp;
      electrochem::Control c;
      c.value = 5.0;
      model.set_control(c);
      numerics::IdaIntegrator ida(model, numerics::IntegratorOptions{1e-6});
      ida.start(0.0, y, yp);
      double t = 0.0;
      ida.advance_to(60.0, 60.0, t, y, yp);
      std::mt19937 rng(7);
      std::uniform_real_distribution<double> jitter(-1e-4, 1e-4);
      for (std::size_t k = 0; k < y.size(); ++k) {
        // Relative for the nanometre SEI thicknesses, which must stay positive.
        y[k] += jitter(rng) * (std::abs(y[k]) < 1e-6 ? std::abs(y[k]) : std::max(std::abs(y[k]), 1e-2));
        yp[k] += jitter(rng) * std::max(std::abs(yp[k]), 1e-6);
      }
      const auto declared = model.jacobian_pattern();
      const auto probed = numerics::probe_sparsity(model, 60.0, y, yp);
      int missing = 0;
      for (std::size_t col = 0; col < probed.size(); ++col)
        for (int row : probed.rows_of_column(col))
          if (!declared.contains(static_cast<std::size_t>(row), col) && static_cast<std::size_t>(row) != col)
            if (++missing <= 5) ADD_FAILURE() << to_string(law) << ": entry (" << row << ", " << col << ") changes but is not declared";
      EXPECT_EQ(missing, 0);
    }
  }
}

TEST(SeiModel, SeiTableErrorsNameTheField) {
  auto text = lgm50_text();
  auto edited = [&](const std::string& from, const std::string& to) {
    auto t = text;
    auto pos = t.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return t.replace(pos, from.size(), to);
  };
  auto e1 = error_of(edited("resistivity_ohm_m = 2.0e5", "resistivity_ohm_m = -1.0"));
  EXPECT_NE(e1.find("negative.sei.resistivity_ohm_m = -1: allowed range [0, 1000000000]"), std::string::npos) << e1;
  auto e2 = error_of(edited("lithium_per_sei = 2.0", "lithium_per_sei = 2.0\nthickness_nm = 3"));
  EXPECT_NE(e2.find("negative.sei.thickness_nm"), std::string::npos) << e2;
  auto e3 = error_of(edited("initial_thickness_nm = 5.0\n", ""));
  EXPECT_NE(e3.find("negative.sei.initial_thickness_nm"), std::string::npos) << e3;
}

}  // namespace solidcell::ageing
