// The lumped thermal-runaway model against an independent implementation of the same equations
// (tools/abuse_reference.py: Kim 2007's four reactions in their LiCoO2 18650, SciPy BDF): runaway or not,
// the GB 38031 onset time and the peak temperature, at oven temperatures either side of the critical one.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/oven_threshold.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "support/kim2007_cell.hpp"

namespace solidcell::abuse {

TEST(AbuseCrossCheck, KimOvenTestAgreesWithAnIndependentScipySolution) {
  const char* path = std::getenv("SOLIDCELL_ABUSE_REFERENCE");
  ASSERT_NE(path, nullptr) << "run through ctest (the abuse_reference fixture writes the reference)";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  const auto reference = nlohmann::json::parse(in);
  const auto network = load_reaction_network("kim2007-lco-graphite");
  const auto cell = test_cells::kim_18650();
  OvenThresholdOptions o;
  o.room_K = 298.15;
  o.convection_W_per_m2_K = 7.17;
  o.emissivity = 0.8;
  int runaways = 0;
  for (const auto& c : reference["cases"]) {
    const double oven_C = c["oven_C"];
    const auto r = run_heating_test(cell, network, constant_oven(oven_C + 273.15, o));
    ASSERT_TRUE(r.failure.empty()) << r.failure;
    EXPECT_EQ(r.verdict.thermal_runaway, c["runaway"].get<bool>()) << oven_C << " C";
    // Peak within 0.5 K; onset within 0.2 % (both solvers at rtol 1e-6; the onset is where dT/dt passes 1 C/s).
    EXPECT_NEAR(r.verdict.peak_temperature_K - 273.15, c["peak_C"].get<double>(), 0.5) << oven_C << " C";
    if (r.verdict.onset_time_s && !c["onset_s"].is_null()) {
      EXPECT_NEAR(*r.verdict.onset_time_s, c["onset_s"].get<double>(), 2e-3 * c["onset_s"].get<double>()) << oven_C << " C";
      ++runaways;
    }
    std::cout << oven_C << " C: runaway " << r.verdict.thermal_runaway << " (SciPy " << c["runaway"] << "), onset "
              << r.verdict.onset_time_s.value_or(-1) << " s (SciPy " << c["onset_s"] << "), peak " << r.verdict.peak_temperature_K - 273.15
              << " C (SciPy " << c["peak_C"] << ")\n";
  }
  EXPECT_GE(runaways, 3);
}

}  // namespace solidcell::abuse
