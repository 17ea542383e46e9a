// When the integrator fails inside a step, the runner solves the step again from its start with a fallback (the
// same integrator at a tenth of the tolerance, then the other integrator) and records the failure it got past.
// The case: the liquid baseline with SEI growth at 10 C on a 20-volume mesh, its 1C discharge, where the
// positive's surface meets the wall of its OCP fit (x = 0.92) and IDA's Newton iteration stalls 100 mV above
// the cut-off; at a tenth of the tolerance the discharge reaches its cut-off.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <string>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::experiment {
namespace {

namespace fs = std::filesystem;

// CC-CV cycles carried state to state, as a cycling study runs them; the last cycle's solution.
Solution cycles(bool switch_on_failure, int mesh, int count, double rtol = 1e-6) {
  std::ifstream in(cell::builtin_cell_path("liquid-ncm811-graphite"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The SEI's exchange current density of PyBaMM's Chen2020 set halved (the file's own is calibrated lower).
  const std::string key = "\nexchange_current_density_A_per_m2 = ";
  const auto at = text.find(key);
  EXPECT_NE(at, std::string::npos);
  const auto end = text.find('\n', at + 1);
  text.replace(at, end - at, key + "7.5e-8");
  const auto file = fs::temp_directory_path() / ("solidcell_fallback_" + std::to_string(::getpid()) + ".toml");
  { std::ofstream(file) << text; }
  auto p = electrochem::model_parameters(cell::load_cell(file.string()), file.string());
  fs::remove(file);
  p.thermal.reset();
  p.sei_growth = electrochem::SeiGrowth::reaction_limited;
  auto model = electrochem::make_model("dfn", p, electrochem::Mesh{mesh, mesh, mesh, mesh});
  const auto steps = parse_experiment("Discharge at 1C until 2.5 V, Charge at 0.5C until 4.2 V, Hold at 4.2 V until C/20");
  SimulationOptions o;
  o.ambient_temperature_K = 283.15;
  o.record_profiles = false;
  o.switch_integrator_on_failure = switch_on_failure;
  o.relative_tolerance = rtol;
  Solution s;
  for (int c = 0; c < count; ++c) {
    s = run_experiment(*model, steps, o);
    if (s.failure) break;
    o.initial_state = s.final_state;
  }
  return s;
}

TEST(IntegratorFallback, AStepTheIntegratorCannotFinishIsFinishedByTheFallback) {
  const auto without = cycles(false, 20, 1);
  ASSERT_TRUE(without.failure.has_value()) << "the case no longer makes IDA fail: pick another";
  EXPECT_EQ(without.failure->step, 1);

  const auto with = cycles(true, 20, 1);
  EXPECT_FALSE(with.failure.has_value()) << with.failure->reason;
  ASSERT_GE(with.recovered_failures.size(), 1u);
  EXPECT_EQ(with.recovered_failures[0].step, 1);
  EXPECT_NEAR(with.recovered_failures[0].time_s, without.failure->time_s, 1e-9);
  ASSERT_EQ(with.steps.size(), 3u);
  EXPECT_NE(with.steps[0].ended_by.find("until 2.5 V"), std::string::npos) << with.steps[0].ended_by;
  // The discharge ends at its cut-off, and it is the discharge a run at a tenth of the tolerance gives: the failed
  // attempt's rows are gone.
  const auto tight = cycles(false, 20, 1, 1e-7);
  ASSERT_FALSE(tight.failure.has_value());
  const auto rows_of_step_1 = [](const Solution& s) {
    return static_cast<std::size_t>(std::find(s.step_number.begin(), s.step_number.end(), 2) - s.step_number.begin());
  };
  const auto n = rows_of_step_1(with);
  ASSERT_EQ(n, rows_of_step_1(tight));
  for (std::size_t k = 0; k < n; ++k) {
    ASSERT_EQ(with.time_s[k], tight.time_s[k]) << k;
    ASSERT_EQ(with.voltage_V[k], tight.voltage_V[k]) << k;
  }
  EXPECT_NEAR(with.voltage_V[n - 1], 2.5, 1e-6);
  EXPECT_EQ(with.steps[0].capacity_Ah, tight.steps[0].capacity_Ah);
}

TEST(IntegratorFallback, AStepThatFailsAtItsStartIsNotSolvedAgain) {
  // A starting state no integrator can make consistent (a particle emptied below zero) fails at once, without the
  // fallback: the caller (a cycle study undoing its last jump) deals with its own state.
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  auto model = electrochem::make_model("dfn", p);
  auto y = model->initial_state(0.5);
  for (std::size_t k = 0; k < 40; ++k) y[k] = -1e4;
  SimulationOptions o;
  o.initial_state = y;
  const auto s = run_experiment(*model, parse_experiment("Discharge at 1C for 10 minutes"), o);
  ASSERT_TRUE(s.failure.has_value());
  EXPECT_EQ(s.failure->time_s, 0.0);
  EXPECT_TRUE(s.recovered_failures.empty());
}

}  // namespace
}  // namespace solidcell::experiment
