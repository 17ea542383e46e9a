// Solid-state fade (docs/ageing.md): the calibration against a published cycling result, and, separately, the
// trends that are physics rather than fit: parabolic CEI growth, faster when higher and warmer; less contact loss
// under more pressure; anode-free fade from coulombic inefficiency (retention ~ CE^N); a short only above the
// CCD; lithium bookkeeping that closes.
#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/ageing/solid_state_fade.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::ageing {
namespace {

struct Built {
  electrochem::CellParameters parameters;
  SolidStateFadeParameters fade;
};

Built built(const std::string& name) {
  auto c = cell::load_cell(name);
  Built b{electrochem::model_parameters(c), {}};
  b.parameters.thermal.reset();
  b.fade = *solid_state_fade_parameters(c, b.parameters.electrode_area_m2);
  return b;
}

AgeingCell make_cell(const Built& b, double temperature_K = 298.15, double soc = 0.0) {
  AgeingCellOptions o;
  o.mesh = electrochem::Mesh{10, 10, 10, 10};
  o.simulation.ambient_temperature_K = temperature_K;
  o.simulation.initial_soc = soc;
  o.solid_state_fade = b.fade;
  return AgeingCell(b.parameters, o);
}

// Liu et al. 2024's cell has a Li4Ti5O12 negative: no plating, so no plating loss, voids or shorts.
void cathode_only(SolidStateFadeParameters& f) {
  f.rates.coulombic_efficiency = 1.0;
  f.rates.void_critical_current_A_per_m2 = 0.0;
  f.rates.ccd_A_per_m2 = 0.0;
}

void no_cathode_fade(SolidStateFadeParameters& f) {
  f.rates.cei_rate_constant_m2_per_s = 0.0;
  f.rates.contact_loss_per_strain = 0.0;
}

}  // namespace

// Calibration (docs/ageing.md): Liu, Wang, Chen, Li and Wu 2024, Adv. Funct. Mater. 34 2315701
// (doi 10.1002/adfm.202315701): S-coated single-crystal Ni90 | Li6PS5Cl, 87 % after 500 cycles at 1C, room
// temperature. The built-in lithium cell's cathode, cycled at 1C, reproduces it within 2 points.
TEST(SolidStateFade, CalibratedToLiu2024Within2Points) {
  auto b = built("assb-sulfide-li");
  cathode_only(b.fade);
  auto cell = make_cell(b);
  CycleStudyOptions o;
  o.cycles = 500;
  o.accelerate = true;
  o.tolerance = 1e-3;
  o.max_jump = 100;
  auto r = run_cycle_study(cell, experiment::parse_experiment("Charge at 1C until 4.3 V, Discharge at 1C until 2.5 V"), o);
  ASSERT_EQ(r.cycles.size(), 500u) << r.stopped;
  EXPECT_NEAR(r.cycles.back().capacity_retention, 0.87, 0.02);
  // Both fitted mechanisms take part: CEI and contact loss share the loss, nothing is left unexplained.
  const auto& last = r.cycles.back();
  EXPECT_GT(last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::cei)], 0.1);
  EXPECT_GT(last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::contact_loss)], 0.1);
  EXPECT_DOUBLE_EQ(last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::other)], 0.0);
  EXPECT_GT(last.cei_thickness_m, 2e-9);
  EXPECT_LT(last.cei_thickness_m, 30e-9);
  // The accelerated study extrapolates the fade state with the DFN's: every cycle solved agrees within 0.5 points.
  auto full_cell = make_cell(b);
  o.accelerate = false;
  auto full = run_cycle_study(full_cell, experiment::parse_experiment("Charge at 1C until 4.3 V, Discharge at 1C until 2.5 V"), o);
  ASSERT_EQ(full.cycles.size(), 500u) << full.stopped << " retention " << full.cycles.back().capacity_retention;
  EXPECT_NEAR(full.cycles.back().capacity_retention, last.capacity_retention, 0.005);
  EXPECT_NEAR(full.cycles.back().capacity_retention, 0.87, 0.02);
}

// The fit itself (docs/ageing.md, "Calibration"), run by hand: --gtest_also_run_disabled_tests. One retention
// cannot separate two rates: the prior is an even split, so the CEI rate constant is bisected until the interphase
// alone costs 6.5 points at cycle 500, then the contact-loss rate until the retention at cycle 500 is 87 %.
TEST(SolidStateFade, DISABLED_FitToLiu2024) {
  auto b = built("assb-sulfide-li");
  cathode_only(b.fade);
  const auto cycle = experiment::parse_experiment("Charge at 1C until 4.3 V, Discharge at 1C until 2.5 V");
  auto run = [&](double k_cei, double k_contact) {
    auto f = b;
    f.fade.rates.cei_rate_constant_m2_per_s = k_cei;
    f.fade.rates.contact_loss_per_strain = k_contact;
    auto cell = make_cell(f);
    CycleStudyOptions o;
    o.cycles = 500;
    o.accelerate = true;
    o.tolerance = 1e-3;
    o.max_jump = 100;
    return run_cycle_study(cell, cycle, o).cycles.back();
  };
  // Half the loss (6.5 points) to the interphase alone: the rate constant by bisection in log space.
  double log_lo = std::log(1e-30), log_hi = std::log(1e-24);
  for (int it = 0; it < 30; ++it) {
    const double mid = 0.5 * (log_lo + log_hi);
    (run(std::exp(mid), 0.0).capacity_retention > 0.935 ? log_lo : log_hi) = mid;
  }
  const double k_cei = std::exp(0.5 * (log_lo + log_hi));
  double lo = 0.0, hi = 0.1;
  for (int it = 0; it < 30; ++it) {
    const double mid = 0.5 * (lo + hi);
    (run(k_cei, mid).capacity_retention > 0.87 ? lo : hi) = mid;
  }
  const auto last = run(k_cei, 0.5 * (lo + hi));
  std::printf("fitted: cei rate_constant_m2_per_s = %.3e, contact loss_per_strain = %.4g; retention %.4f, CEI %.2f nm, contact %.4f, "
              "shares CEI %.3f contact %.3f\n",
              k_cei, 0.5 * (lo + hi), last.capacity_retention, 1e9 * last.cei_thickness_m, last.contact_fraction,
              last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::cei)],
              last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::contact_loss)]);
}

TEST(SolidStateFade, CeiGrowsParabolicallyAndFasterWhenHigherAndWarmer) {
  auto b = built("assb-sulfide-li");
  cathode_only(b.fade);
  b.fade.rates.contact_loss_per_strain = 0.0;
  // delta^2 after charging to the potential and each further hour held there.
  auto grown = [&](double volts, double kelvin, int hours) {
    auto cell = make_cell(b, kelvin, 0.0);
    std::vector<double> d2;
    for (int h = 0; h < hours; ++h) {
      auto steps = experiment::parse_experiment(h == 0 ? fmt::format("Charge at C/5 until {} V, Hold at {} V for 1 hour", volts, volts)
                                                      : fmt::format("Hold at {} V for 1 hour", volts));
      auto sol = cell.advance(steps);
      EXPECT_TRUE(sol.stopped_early.empty() && !sol.failure) << sol.stopped_early << (sol.failure ? sol.failure->reason : "");
      d2.push_back(cell.solid_state_fade()->state().cei_thickness_squared_m2);
    }
    return d2;
  };
  // delta^2 linear in t at a constant potential (delta ~ sqrt(t)): equal increments per hour held.
  auto d2 = grown(4.2, 298.15, 4);
  const double per_hour = d2[1] - d2[0];
  ASSERT_GT(per_hour, 0.0);
  EXPECT_NEAR(d2[2] - d2[1], per_hour, 0.01 * per_hour);
  EXPECT_NEAR(d2[3] - d2[1], 2.0 * per_hour, 0.02 * per_hour);
  // An hour at 4.3 V grows more than at 4.2 V, at 4.0 V less; at 45 C more than at 25 C.
  auto hour_at = [&](double volts, double kelvin) {
    auto d = grown(volts, kelvin, 2);
    return d[1] - d[0];
  };
  EXPECT_GT(hour_at(4.3, 298.15), 2.0 * per_hour);
  EXPECT_LT(hour_at(4.0, 298.15), 0.5 * per_hour);
  EXPECT_GT(hour_at(4.2, 318.15), 2.0 * per_hour);
}

TEST(SolidStateFade, ContactLossIsSmallerUnderHigherStackPressure) {
  auto b = built("assb-sulfide-li");
  cathode_only(b.fade);
  b.fade.rates.cei_rate_constant_m2_per_s = 0.0;
  auto theta_after = [&](double pressure_MPa) {
    auto f = b;
    f.fade.rates.stack_pressure_Pa = pressure_MPa * 1e6;
    auto cell = make_cell(f);
    CycleStudyOptions o;
    o.cycles = 3;
    auto r = run_cycle_study(cell, experiment::parse_experiment("Charge at C/3 until 4.3 V, Discharge at C/3 until 2.5 V"), o);
    EXPECT_EQ(r.cycles.size(), 3u) << r.stopped;
    return r.cycles.back().contact_fraction;
  };
  const double low = theta_after(2.0), high = theta_after(50.0);
  EXPECT_LT(low, 1.0);
  EXPECT_GT(high, low);
  // (P_ref / P)^0.5: 25 times the pressure, a fifth of the loss.
  EXPECT_NEAR((1.0 - high) / (1.0 - low), 0.2, 0.02);
}

TEST(SolidStateFade, AnodeFreeFadeIsCoulombicInefficiency) {
  auto b = built("assb-sulfide-anodefree");
  no_cathode_fade(b.fade);
  b.fade.rates.coulombic_efficiency = 0.99;
  auto cell = make_cell(b);
  CycleStudyOptions o;
  o.cycles = 8;
  auto r = run_cycle_study(cell, experiment::parse_experiment("Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V"), o);
  ASSERT_EQ(r.cycles.size(), 8u) << r.stopped;
  // Cycle 1's discharge already lacks what its charge plated and lost: retention of cycle n is CE^(n-1).
  for (const auto& c : r.cycles) EXPECT_NEAR(c.capacity_retention, std::pow(0.99, c.cycle - 1), 0.003) << "cycle " << c.cycle;
  const auto& last = r.cycles.back();
  EXPECT_GT(last.capacity_loss_share[static_cast<std::size_t>(FadeMechanism::lithium_inventory)], 0.9);
  EXPECT_NEAR(last.lithium_reservoir_mol, 0.0, 1e-6 * cell.lithium_moles() + 1e-9);  // all plated lithium stripped again
}

// With every built-in rate (CE 99.9 %), the anode-free cell's loss is mostly its lithium inventory, while the
// lithium-metal cell's 5 um excess pays for the same losses and its cathode fades instead.
TEST(SolidStateFade, BuiltInAnodeFreeLosesInventoryWhereTheExcessCellDoesNot) {
  auto study = [](const std::string& name) {
    auto cell = make_cell(built(name));
    CycleStudyOptions o;
    o.cycles = 20;
    auto r = run_cycle_study(cell, experiment::parse_experiment("Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V"), o);
    EXPECT_EQ(r.cycles.size(), 20u) << r.stopped;
    return r.cycles.back();
  };
  const auto free = study("assb-sulfide-anodefree"), excess = study("assb-sulfide-li");
  const auto inventory = static_cast<std::size_t>(FadeMechanism::lithium_inventory);
  EXPECT_GT(free.capacity_loss_share[inventory], 0.5);
  EXPECT_NEAR(free.capacity_retention, std::pow(0.999, 19), 0.01);
  EXPECT_DOUBLE_EQ(excess.capacity_loss_share[inventory], 0.0);
  EXPECT_GT(excess.capacity_retention, free.capacity_retention);
}

TEST(SolidStateFade, ShortsOnlyAboveTheCriticalCurrentDensity) {
  auto b = built("assb-sulfide-li");
  b.fade.rates.stack_pressure_Pa = 5e6;  // CCD 1 mA/cm2 at 25 C: 3 mA/cm2 is 1C
  auto study = [&](const std::string& charge) {
    auto cell = make_cell(b);
    CycleStudyOptions o;
    o.cycles = 2;
    return run_cycle_study(cell, experiment::parse_experiment(charge + ", Discharge at C/5 until 2.5 V"), o);
  };
  auto below = study("Charge at C/5 until 4.3 V");  // 0.6 mA/cm2
  EXPECT_EQ(below.cycles.size(), 2u) << below.stopped;
  EXPECT_TRUE(below.events.empty()) << (below.events.empty() ? std::string() : fmt::format("cycle {} step {} t {} i {} ccd {}", below.events[0].cycle, below.events[0].step, below.events[0].time_s, below.events[0].current_density_A_per_m2, below.events[0].critical_current_density_A_per_m2));
  auto above = study("Charge at 1C until 4.3 V");  // 3 mA/cm2
  ASSERT_EQ(above.events.size(), 1u);
  const auto& e = above.events.front();
  EXPECT_EQ(e.kind, "short circuit");
  EXPECT_EQ(e.cycle, 1);
  EXPECT_EQ(e.step, 1);
  EXPECT_GT(e.current_density_A_per_m2, e.critical_current_density_A_per_m2);
  EXPECT_NEAR(e.critical_current_density_A_per_m2, 10.0, 1e-9);
  EXPECT_EQ(above.cycles.size(), 1u);
  EXPECT_NE(above.stopped.find("short circuit"), std::string::npos) << above.stopped;
  // Warmer, the CCD rises.
  auto cell = make_cell(b);
  EXPECT_GT(cell.solid_state_fade()->critical_current_density_A_per_m2(333.15), 10.0 * 1.5);
}

TEST(SolidStateFade, LithiumBookkeepingCloses) {
  auto b = built("assb-sulfide-li");
  // Every mechanism on, faster than in the file, so that each moves lithium within a few cycles.
  b.fade.rates.cei_rate_constant_m2_per_s *= 100.0;
  b.fade.rates.coulombic_efficiency = 0.99;
  auto cell = make_cell(b);
  CycleStudyOptions o;
  o.cycles = 4;
  auto r = run_cycle_study(cell, experiment::parse_experiment("Charge at C/3 until 4.3 V, Discharge at 1C until 2.5 V"), o);
  ASSERT_EQ(r.cycles.size(), 4u) << r.stopped;
  const auto* fade = cell.solid_state_fade();
  for (const auto& c : r.cycles) {
    EXPECT_GT(c.lithium_lost_to_cei_mol, 0.0);
    EXPECT_GT(c.lithium_lost_to_plating_mol, 0.0);
    EXPECT_GT(c.lithium_lost_to_contact_mol, 0.0);
    EXPECT_NEAR(c.lithium_bookkeeping_error_mol, 0.0, 1e-6 * fade->initial_lithium_mol()) << "cycle " << c.cycle;
  }
  // The same sum from its parts at the end.
  const double positive = fade->positive_lithium_mol(cell.model(), cell.state());
  const double reservoir = fade->lithium_reservoir_mol(cell.model(), cell.state());
  const auto& s = fade->state();
  EXPECT_NEAR(positive + reservoir + s.lithium_lost_to_cei_mol + s.lithium_lost_to_contact_mol + s.lithium_lost_to_plating_mol,
              fade->initial_lithium_mol(), 1e-6 * fade->initial_lithium_mol());
}

TEST(SolidStateFade, CellFileErrorsNameTheField) {
  auto text = [](const std::string& value) {
    return "[degradation]\nstack_pressure_MPa = " + value + "\nsource = \"x\"\n";
  };
  // The rest of the file is the built-in cell's; only the [degradation] table is replaced.
  auto c = cell::load_cell("assb-sulfide-li");
  EXPECT_TRUE(c.degradation.has_value());
  EXPECT_EQ(c.degradation->ranges.count("cei.rate_constant_m2_per_s"), 1u);
  auto doc = io::load_toml_file((builtin_data_dir() / "cells" / "assb-sulfide-li.toml").string());
  doc.erase("degradation");
  auto bad = io::parse_toml_text(text("-1"), "bad.toml");
  doc.insert_or_assign("degradation", *bad["degradation"].as_table());
  try {
    cell::read_cell_toml(doc, "bad.toml", materials::MaterialLibrary::builtin());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad.toml"), std::string::npos) << what;
    EXPECT_NE(what.find("stack_pressure_MPa"), std::string::npos) << what;
    EXPECT_NE(what.find("-1"), std::string::npos) << what;
    EXPECT_NE(what.find("(0, 500]"), std::string::npos) << what;
  }
}

}  // namespace solidcell::ageing
