// `solidcell year` as a user runs it: a short accelerated period with --json and --output, and bad input.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.hpp"

using namespace solidcell::cli_test;

TEST_F(Cli, YearShortPeriodJsonAndFiles) {
  auto r = run("year lgm50 --cycle nedc --km-per-day 23 --days 12 --climate phoenix --mesh 5 --json -o out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["capacity_retention"].size(), 12u);
  EXPECT_DOUBLE_EQ(j["capacity_retention"][0].get<double>(), 1.0);
  const double end = j["capacity_retention"][11].get<double>();
  EXPECT_LT(end, 1.0);
  EXPECT_GT(end, 0.98);
  EXPECT_GT(j["range_start_km"].get<double>(), 200.0);
  EXPECT_LT(j["range_end_km"].get<double>(), j["range_start_km"].get<double>());
  EXPECT_NEAR(j["distance_km"].get<double>(), 12 * 23.0, 1e-9);
  EXPECT_GT(j["energy_driven_kWh"].get<double>(), 0.0);
  EXPECT_GT(j["equivalent_full_cycles"].get<double>(), 0.0);
  EXPECT_LT(j["solved_days"].get<int>(), 12);
  EXPECT_EQ(j["pack"]["sized_to"], "volume of model3-class-ncm811");
  EXPECT_EQ(j["climate"]["name"], "phoenix");
  for (const char* f : {"out/days.csv", "out/retention.svg", "out/summary.json"}) EXPECT_TRUE(fs::exists(dir_ / f)) << f;
  const auto csv = slurp(dir_ / "out/days.csv");
  EXPECT_NE(csv.find("\"Capacity retention\""), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 13);
  EXPECT_NE(slurp(dir_ / "out/retention.svg").find("<svg"), std::string::npos);
}

TEST_F(Cli, YearBadInput) {
  auto r = run("year lgm50 --charge medium --days 3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--charge"), std::string::npos) << r.err;
  r = run("year lgm50 --climate nowhere --days 3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--climate"), std::string::npos) << r.err;
  r = run("year lgm50 --days 0");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--days"), std::string::npos) << r.err;
  write("cold.csv", "day,temperature_C\n1,-5\n3,-6\n");
  r = run("year lgm50 --climate cold.csv --days 3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cold.csv:3"), std::string::npos) << r.err;
}

// The qualify report's road section: packs of the same volume, NEDC and a user's cycle, the year chart.
TEST_F(Cli, QualifyRoadSection) {
  std::string trace = "time_s,speed_kmh\n";
  for (int t = 0; t <= 120; ++t) trace += std::to_string(t) + "," + std::to_string(t < 60 ? t : 120 - t) + "\n";
  write("ramp.csv", trace);
  auto r = run("qualify --sections road --road-cycle ramp.csv -o rep");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Road: packs of the volume of model3-class-ncm811"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("qualify: road: a year of daily driving for liquid-ncm811-graphite"), std::string::npos) << r.err;
  const auto html = slurp(dir_ / "rep/index.html");
  EXPECT_NE(html.find("<h2 id=\"road\">5. Road"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#road\">5. Road</a>"), std::string::npos);
  EXPECT_EQ(html.find("id=\"performance\""), std::string::npos);  // not asked for
  for (const char* part : {"5.1 Packs of the same volume", "5.2 Consumption and range", "5.3 A year of daily driving",
                           "Capacity retention over a year of daily driving", "<td>ramp</td>", "liquid-ncm811-graphite (baseline)"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  // A cycle file that cannot be read is a row that says so, not a failed report.
  auto bad = run("qualify --sections road --road-cycle missing.csv -o rep2");
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  EXPECT_NE(slurp(dir_ / "rep2/index.html").find("not computed"), std::string::npos);
}
