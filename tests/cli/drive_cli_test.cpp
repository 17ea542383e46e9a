// `solidcell drive` as a user runs it: the NEDC with --json, --compare of the solid-state pack in the same
// volume, the files of --output, and bad input.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.hpp"

using namespace solidcell::cli_test;

TEST_F(Cli, DriveNedcJson) {
  auto r = run("drive --cycle nedc --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["cycle"]["name"], "nedc");
  EXPECT_NEAR(j["cycle"]["distance_km"].get<double>(), 11.02, 0.06);
  ASSERT_EQ(j["results"].size(), 1u);
  const auto& res = j["results"][0];
  EXPECT_EQ(res["cell"], "liquid-ncm811-graphite");
  EXPECT_EQ(res["pack"]["cells"], 540);
  const double c = res["consumption_kWh_per_100km"].get<double>();
  EXPECT_GT(c, 7.0);
  EXPECT_LT(c, 14.0);
  EXPECT_NEAR(res["wall_consumption_kWh_per_100km"].get<double>(), c / 0.86, 1e-9);
  const auto& b = res["energy_balance_kWh"];
  EXPECT_NEAR(b["battery"].get<double>(),
              b["traction"].get<double>() + b["drivetrain_loss"].get<double>() + b["auxiliary"].get<double>() - b["regen"].get<double>(), 1e-9);
  EXPECT_GT(res["range_km"].get<double>(), 400.0);
  EXPECT_FALSE(res["range_simulated"].get<bool>());
  EXPECT_EQ(res["range_method"].get<std::string>().rfind("mean power", 0), 0u);
  EXPECT_GT(res["cell_min_voltage_V"].get<double>(), 2.5);
}

TEST_F(Cli, DriveCompareSameVolumeWritesFiles) {
  auto r = run("drive --pack model3-class-ncm811 --cycle nedc --compare assb-sulfide-li --match volume --range nominal -o out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("assb-sulfide-li"), std::string::npos);
  EXPECT_NE(r.out.find("liquid-ncm811-graphite"), std::string::npos);
  EXPECT_NE(r.out.find("consumption [kWh/100 km]"), std::string::npos);
  for (const char* f : {"out/timeseries-liquid-ncm811-graphite.csv", "out/timeseries-assb-sulfide-li.csv", "out/drive.svg", "out/summary.json"})
    EXPECT_TRUE(fs::exists(dir_ / f)) << f;
  EXPECT_NE(slurp(dir_ / "out/timeseries-assb-sulfide-li.csv").find("\"Speed [km/h]\""), std::string::npos);
  auto j = nlohmann::json::parse(slurp(dir_ / "out/summary.json"));
  ASSERT_EQ(j["results"].size(), 2u);
  const auto& liquid = j["results"][0]["pack"];
  const auto& solid = j["results"][1]["pack"];
  EXPECT_LE(solid["volume_L"].get<double>(), liquid["volume_L"].get<double>());
  EXPECT_GT(solid["energy_kWh"].get<double>(), liquid["energy_kWh"].get<double>());
  EXPECT_EQ(solid["series"], 111);
  EXPECT_EQ(solid["parallel"], 6);
}

TEST_F(Cli, DriveBadCycleFileNamesLineAndColumn) {
  write("bad.csv", "time_s,speed_kmh\n0,0\n1,12x\n");
  auto r = run("drive --cycle bad.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.csv:3: speed_kmh"), std::string::npos) << r.err;
  write("cols.csv", "time_s,speed_kmh,altitude_m\n0,0,0\n1,1,0\n");
  r = run("drive --cycle cols.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("altitude_m"), std::string::npos) << r.err;
  r = run("drive --cycle missing.csv");
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(Cli, DriveBadVehicleFileNamesTheField) {
  std::string text = slurp(fs::path(data) / ".." / ".." / "data" / "vehicles" / "midsize-bev.toml");
  text.replace(text.find("mass_without_pack_kg = 1245.0"), 29, "mass_without_pack_kg = -1245.0");
  write("car.toml", text);
  auto r = run("drive --cycle nedc --vehicle car.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("mass.mass_without_pack_kg = -1245"), std::string::npos) << r.err;
  r = run("drive --cycle nedc --pack no-such-pack");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("model3-class-ncm811"), std::string::npos) << r.err;  // lists the built-ins
}
