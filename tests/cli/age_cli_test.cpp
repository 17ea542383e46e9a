// `solidcell age`: a cycling study with SEI growth from the command line (docs/ageing.md, docs/cli.md).
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.hpp"

using namespace solidcell::cli_test;

namespace {
const std::string cc_cv = "\"Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20\"";
}

TEST_F(Cli, AgeWritesPerCycleSummariesAndTheJsonFields) {
  auto r = run("age lgm50 --experiment " + cc_cv + " --cycles 4 -o aged --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["capacity_retention"].size(), 4u);
  ASSERT_EQ(j["resistance_growth"].size(), 4u);
  EXPECT_DOUBLE_EQ(j["capacity_retention"][0].get<double>(), 1.0);
  EXPECT_LT(j["capacity_retention"][3].get<double>(), j["capacity_retention"][2].get<double>());
  EXPECT_TRUE(j["cycles_to_80_percent"].is_null());
  EXPECT_EQ(j["sei"], "reaction limited");
  EXPECT_GT(j["last_cycle"]["lithium_lost_to_sei_mol"].get<double>(), 0.0);
  for (const char* f : {"cycles.csv", "retention.svg", "summary.json"}) EXPECT_TRUE(fs::exists(dir_ / "aged" / f)) << f;
  auto csv = slurp(dir_ / "aged/cycles.csv");
  EXPECT_EQ(csv.rfind("\"Cycle number\",\"Solved in full\",\"Discharge capacity [A.h]\",\"Capacity retention\"", 0), 0u) << csv.substr(0, 200);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(slurp(dir_ / "aged/retention.svg").find("<svg"), std::string::npos);
}

TEST_F(Cli, AgeAcceleratedPrintsATable) {
  auto r = run("age lgm50 --experiment " + cc_cv + " --cycles 40 --accelerate -o fast");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("retention"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("interp"), std::string::npos) << r.out;  // cycles between the solved ones
  EXPECT_NE(r.out.find("cycles to 80 %: not reached"), std::string::npos) << r.out;
}

TEST_F(Cli, AgeRefusesBadInputNamingTheField) {
  auto cycles = run("age lgm50 --experiment \"Discharge at 1C until 2.5 V\" --cycles 0 -o x");
  EXPECT_EQ(cycles.exit_code, 2);
  EXPECT_NE(cycles.err.find("--cycles = 0"), std::string::npos) << cycles.err;
  auto sei = run("age lgm50 --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 --sei fast -o x");
  EXPECT_EQ(sei.exit_code, 2);
  EXPECT_NE(sei.err.find("--sei"), std::string::npos) << sei.err;
  auto step = run("age lgm50 --experiment \"Discharge at -1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(step.exit_code, 2);
  EXPECT_NE(step.err.find("experiment step 1"), std::string::npos) << step.err;
  auto no_sei = run("age assb-sulfide-li --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(no_sei.exit_code, 2);
  EXPECT_NE(no_sei.err.find("negative.sei"), std::string::npos) << no_sei.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}
