// A step whose own limit holds already when it starts ends at once, as in PyBaMM; a limit that is not yet
// reached leaves the step to run to it.
#include <gtest/gtest.h>

#include <string>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::experiment {
namespace {

Solution run(const std::string& text, double soc) {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  auto model = electrochem::make_model("spme", p);
  SimulationOptions o;
  o.initial_soc = soc;
  return run_experiment(*model, parse_experiment(text), o);
}

TEST(StepLimits, AChargeOfACellAboveItsLimitEndsAtOnce) {
  // The full LG M50 rests near 4.17 V: a charge "until 4.0 V" has nothing to do, and the next step runs.
  auto s = run("Charge at 1C until 4.0 V, Discharge at 1C for 60 seconds", 1.0);
  ASSERT_EQ(s.steps.size(), 2u);
  EXPECT_NE(s.steps[0].ended_by.find("reached at the start"), std::string::npos) << s.steps[0].ended_by;
  EXPECT_DOUBLE_EQ(s.steps[0].end_s, s.steps[0].start_s);
  EXPECT_NEAR(s.steps[0].capacity_Ah, 0.0, 1e-12);
  EXPECT_EQ(s.steps[1].ended_by, "duration");
  EXPECT_TRUE(s.stopped_early.empty());
}

TEST(StepLimits, AHoldWhoseCurrentStartsBelowItsTaperEndsAtOnce) {
  // At rest at the hold's voltage the current starts near 0, below C/50.
  auto first = run("Rest for 1 minute", 1.0);
  const double v = first.voltage_V.back();
  auto s = run("Hold at " + std::to_string(v) + " V until C/50", 1.0);
  ASSERT_EQ(s.steps.size(), 1u);
  EXPECT_NE(s.steps[0].ended_by.find("reached at the start"), std::string::npos) << s.steps[0].ended_by;
}

TEST(StepLimits, ALimitAheadStillEndsTheStepWhenCrossed) {
  auto s = run("Discharge at 1C until 3.5 V", 1.0);
  ASSERT_EQ(s.steps.size(), 1u);
  EXPECT_EQ(s.steps[0].ended_by, "until 3.5 V");
  EXPECT_NEAR(s.voltage_V.back(), 3.5, 1e-6);
}

}  // namespace
}  // namespace solidcell::experiment
