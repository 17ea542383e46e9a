// The lean BDF integrator against IDA, the reference: the same experiments on every model and built-in
// cell give the same step capacities, end times and voltages within tolerances stated below; lithium
// stays conserved; output periods and every control kind work; and random parameter sets end in a
// solution or a reported failure, as with IDA.
#include <cmath>
#include <iostream>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::electrochem {
namespace {

using numerics::IntegratorKind;

experiment::Solution solve(const CellParameters& p, const std::string& model_name, const std::string& protocol, IntegratorKind kind,
                           double rtol = 1e-8) {
  auto model = make_model(model_name, p, Mesh{});
  experiment::SimulationOptions o;
  o.relative_tolerance = rtol;
  o.integrator = kind;
  return experiment::run_experiment(*model, experiment::parse_experiment(protocol), o);
}

std::string cycle(const CellParameters& p) {
  return fmt::format("Discharge at 1C until {0} V, Rest for 20 minutes, Charge at 0.5C until {1} V, Hold at {1} V until C/20, "
                     "Discharge at 5 W for 10 minutes, Rest for 5 minutes (30 second period)",
                     p.voltage_min_V, p.voltage_max_V);
}

}  // namespace

TEST(BdfIntegrator, AgreesWithIdaOnEveryModelAndBuiltInCell) {
  struct Case {
    std::string cell, model;
    bool thermal;
  };
  const std::vector<Case> cases = {{"lgm50", "dfn", false},  {"lgm50", "spm", false},   {"lgm50", "spme", false},
                                   {"lgm50", "dfn", true},   {"assb-sulfide-li", "dfn", true}, {"assb-sulfide-li", "spm", false},
                                   {"assb-sulfide-anodefree", "dfn", false}, {"liquid-ncm811-graphite", "dfn", true}};
  for (const auto& c : cases) {
    auto p = model_parameters(cell::load_cell(c.cell));
    if (!c.thermal) p.thermal.reset();
    const std::string label = c.cell + " " + c.model + (c.thermal ? " thermal" : "");
    const auto ida = solve(p, c.model, cycle(p), IntegratorKind::ida);
    const auto bdf = solve(p, c.model, cycle(p), IntegratorKind::bdf);
    ASSERT_FALSE(ida.failure) << label << ": " << ida.failure->reason;
    ASSERT_FALSE(bdf.failure) << label << ": " << bdf.failure->reason;
    ASSERT_EQ(ida.steps.size(), bdf.steps.size()) << label;
    for (std::size_t k = 0; k < ida.steps.size(); ++k) {
      EXPECT_EQ(ida.steps[k].ended_by, bdf.steps[k].ended_by) << label << " step " << k + 1;
      // Both at rtol 1e-8: charges within 1e-5 of the nominal capacity, end times within 0.1 s.
      EXPECT_NEAR(ida.steps[k].capacity_Ah, bdf.steps[k].capacity_Ah, 1e-5 * p.nominal_capacity_Ah) << label << " step " << k + 1;
      EXPECT_NEAR(ida.steps[k].end_s, bdf.steps[k].end_s, 0.1) << label << " step " << k + 1;
    }
    EXPECT_NEAR(ida.voltage_V.back(), bdf.voltage_V.back(), 1e-5) << label;
    EXPECT_NEAR(ida.temperature_K.back(), bdf.temperature_K.back(), 1e-4) << label;
    const double drift = std::abs(bdf.lithium_moles_end - bdf.lithium_moles_start) / bdf.lithium_moles_start;
    EXPECT_LT(drift, 1e-6) << label;
    std::cout << label << ": IDA " << ida.solver.steps << " steps, BDF " << bdf.solver.steps << " steps; final capacity "
              << ida.discharge_capacity_Ah.back() << " vs " << bdf.discharge_capacity_Ah.back() << " A.h\n";
  }
}

TEST(BdfIntegrator, OutputPeriodRowsFallOnTheGrid) {
  auto p = model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  const auto s = solve(p, "dfn", "Discharge at 1C for 10 minutes (20 second period)", IntegratorKind::bdf);
  ASSERT_FALSE(s.failure);
  ASSERT_EQ(s.time_s.size(), 31u);
  for (std::size_t k = 0; k < s.time_s.size(); ++k) EXPECT_NEAR(s.time_s[k], 20.0 * static_cast<double>(k), 1e-9);
  const auto ida = solve(p, "dfn", "Discharge at 1C for 10 minutes (20 second period)", IntegratorKind::ida);
  ASSERT_EQ(ida.voltage_V.size(), s.voltage_V.size());
  for (std::size_t k = 0; k < s.voltage_V.size(); ++k) EXPECT_NEAR(s.voltage_V[k], ida.voltage_V[k], 2e-6) << "row " << k;
}

TEST(BdfIntegrator, RandomParameterSetsEndInASolutionOrAClearError) {
  auto base = model_parameters(cell::load_cell("lgm50"));
  base.thermal.reset();
  std::mt19937_64 rng(20261126);
  auto factor = [&](double lo, double hi) { return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng)); };
  int solved = 0, depleted = 0, failed = 0, agree = 0;
  for (int k = 0; k < 100; ++k) {
    auto p = base;
    p.positive.particle_radius_m *= factor(0.3, 3.0);
    p.negative->particle_radius_m *= factor(0.3, 3.0);
    p.positive.surface_area_per_volume = 3 * p.positive.active_fraction / p.positive.particle_radius_m;
    p.negative->surface_area_per_volume = 3 * p.negative->active_fraction / p.negative->particle_radius_m;
    p.positive.diffusivity *= factor(0.1, 10.0);
    p.negative->diffusivity *= factor(0.1, 10.0);
    p.positive.exchange_current_reference *= factor(0.1, 10.0);
    p.separator.thickness_m *= factor(0.5, 3.0);
    const std::string protocol = fmt::format("Discharge at {:.4f}C until 2.5 V", factor(0.2, 3.0));
    const auto bdf = solve(p, "dfn", protocol, IntegratorKind::bdf, 1e-6);
    if (bdf.failure) {
      ++failed;
      EXPECT_FALSE(bdf.failure->reason.empty());
      continue;
    }
    if (!bdf.stopped_early.empty()) {
      ++depleted;
      continue;
    }
    ++solved;
    const auto ida = solve(p, "dfn", protocol, IntegratorKind::ida, 1e-6);
    if (!ida.failure && ida.stopped_early.empty() &&
        std::abs(ida.discharge_capacity_Ah.back() - bdf.discharge_capacity_Ah.back()) <= 1e-4 * p.nominal_capacity_Ah)
      ++agree;
  }
  std::cout << solved << " reached 2.5 V (" << agree << " within 1e-4 of IDA's capacity), " << depleted << " electrolyte depletion, "
            << failed << " reported failures\n";
  EXPECT_EQ(solved, agree);
  EXPECT_GE(solved + depleted, 95);
}

}  // namespace solidcell::electrochem
