// The cylindrical cell in the 3D abuse models from the command line: the built-in lgm50 (21700) under the
// nail gives a verdict with the 3D fields, the oven test runs in 3D (a half cylinder) and agrees with the
// lumped one, and the matrix runs every test.
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using namespace solidcell::cli_test;

TEST_F(Cli, AbuseNailOnTheCylindricalCellGivesAVerdict) {
  auto r = run("abuse lgm50 --test nail --grid 10x6x6 --json -o nail");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["test"], "nail");
  EXPECT_EQ(j["cell"], "lgm50");
  EXPECT_EQ(j["standard"], "gbt31485-2015");
  for (const char* key : {"thermal_runaway", "eucar_level", "verdict", "peak_temperature_C", "onset_time_s", "heat_released_kJ", "electrical_heat_kJ",
                          "energy_balance_error_J", "short_circuit_onset_s", "reasons"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("available"));
  EXPECT_TRUE(j["verdict"] == "pass" || j["verdict"] == "fail") << j["verdict"];
  // A 5 Ah cell shorted by a nail: the short starts as the tip passes the can and the first separator.
  EXPECT_GT(j["short_circuit_onset_s"].get<double>(), 0.0);
  EXPECT_LT(j["short_circuit_onset_s"].get<double>(), 0.05);
  EXPECT_GT(j["electrical_heat_kJ"].get<double>(), 10.0);
  EXPECT_GT(j["peak_temperature_C"].get<double>(), 60.0);
  EXPECT_LT(std::abs(j["energy_balance_error_J"].get<double>()), 1.0);
  EXPECT_TRUE(fs::exists(dir_ / "nail" / "summary.json"));
  EXPECT_TRUE(fs::exists(dir_ / "nail" / "trace.csv"));
}

TEST_F(Cli, AbuseHeatingIn3dRunsForTheCylindricalCell) {
  auto three = run("abuse lgm50 --test heating --3d --grid 8x4x6 --json -o h3");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  auto tj = nlohmann::json::parse(three.out);
  auto lumped = run("abuse lgm50 --test heating --json -o h1");
  ASSERT_EQ(lumped.exit_code, 0) << lumped.err;
  auto lj = nlohmann::json::parse(lumped.out);
  EXPECT_EQ(tj["test"], "heating");
  EXPECT_EQ(tj["verdict"], lj["verdict"]);
  EXPECT_EQ(tj["thermal_runaway"], lj["thermal_runaway"]);
  // The 130 C hold is far from the runaway: the hot spot sits near the lumped temperature.
  EXPECT_NEAR(tj["peak_temperature_C"].get<double>(), lj["peak_temperature_C"].get<double>(), 5.0);
  // The text report says so, too.
  auto text = run("abuse lgm50 --test heating --3d --grid 6x3x4 -o h3t");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("heating test"), std::string::npos) << text.out;
}

TEST_F(Cli, AbuseMatrixOfTheCylindricalCellRunsTheNail) {
  auto r = run("abuse lgm50 --all --grid 8x4x6 --json -o m");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tests"].size(), 5u);
  for (const auto& t : j["tests"]) {
    EXPECT_FALSE(t.contains("available")) << t.dump();
    EXPECT_TRUE(t.contains("verdict")) << t["test"];
  }
  EXPECT_EQ(j["tests"][1]["test"], "nail");
  auto text = run("abuse lgm50 --all --grid 8x4x6 -o t");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("not run"), std::string::npos) << text.out;
}

TEST_F(Cli, AbuseNailOffTheAxisOfTheCylindricalCellAndItsLimits) {
  // Off the axis the nail runs along a chord on the whole cylinder: a later first short (the chord meets the
  // roll further in) and a verdict; a chord that misses the roll is refused by field.
  auto axis = run("abuse lgm50 --test nail --grid 8x4x6 --json -o a");
  ASSERT_EQ(axis.exit_code, 0) << axis.err;
  auto off = run("abuse lgm50 --test nail --grid 8x4x6 --nail-position 0.5,0.85 --json -o b");
  ASSERT_EQ(off.exit_code, 0) << off.err;
  auto ja = nlohmann::json::parse(axis.out), jo = nlohmann::json::parse(off.out);
  EXPECT_GT(jo["short_circuit_onset_s"].get<double>(), ja["short_circuit_onset_s"].get<double>());
  EXPECT_TRUE(jo["verdict"] == "pass" || jo["verdict"] == "fail") << jo["verdict"];
  auto miss = run("abuse lgm50 --test nail --grid 8x4x6 --nail-position 0.5,1.0 -o c");
  EXPECT_EQ(miss.exit_code, 2);
  EXPECT_NE(miss.err.find("nail.position_y_fraction"), std::string::npos) << miss.err;
  auto range = run("abuse lgm50 --test nail --nail-position 1.5,0.5 -o d");
  EXPECT_NE(range.exit_code, 0);
  EXPECT_NE(range.err.find("--nail-position"), std::string::npos) << range.err;
}

TEST_F(Cli, AbuseCrushIn3dOfThePouchAndTheCylindricalCell) {
  auto three = run("abuse liquid-ncm811-graphite --test crush --standard gbt31485-2015 --3d --grid 12x4x4 --json -o c3");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  auto j = nlohmann::json::parse(three.out);
  EXPECT_EQ(j["test"], "crush");
  EXPECT_LT(std::abs(j["energy_balance_error_J"].get<double>()), 1.0);
  bool bodies = false;
  for (const auto& reason : j["reasons"]) bodies = bodies || reason.get<std::string>().find("the indenter and the base took") != std::string::npos;
  EXPECT_TRUE(bodies) << j["reasons"].dump();
  ASSERT_TRUE(j.contains("heat_to_contact_bodies_kJ"));
  EXPECT_GT(j["heat_to_contact_bodies_kJ"].get<double>(), 0.0);
  EXPECT_LT(j["heat_to_contact_bodies_kJ"].get<double>(), -j["heat_from_surroundings_kJ"].get<double>() + 1e-9);
  EXPECT_TRUE(fs::exists(dir_ / "c3" / "trace.csv"));
  auto cyl = run("abuse lgm50 --test crush --standard gbt31485-2015 --3d --grid 8x6x8 --json -o c4");
  ASSERT_EQ(cyl.exit_code, 0) << cyl.err;
  auto jc = nlohmann::json::parse(cyl.out);
  EXPECT_LT(std::abs(jc["energy_balance_error_J"].get<double>()), 1.0);
  EXPECT_GT(jc["short_circuit_onset_s"].get<double>(), 0.0);
}
