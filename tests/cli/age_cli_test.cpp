// `solidcell age`: a cycling study with SEI growth from the command line (docs/ageing.md, docs/cli.md).
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.hpp"

using namespace solidcell::cli_test;

namespace {
const std::string cc_cv = "\"Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20\"";

// The words of the printed table's row for `cycle` (its last one when repeated), or nothing.
std::vector<std::string> table_row(const std::string& out, const std::string& cycle) {
  std::istringstream in(out);
  std::vector<std::string> row;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (!w.empty() && w[0] == cycle) row = w;
  }
  return row;
}

}  // namespace

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
  // A solid-state cell file without its [degradation] table (the built-in one, cut before it).
  auto text = slurp(fs::path(data) / "../../data/cells/assb-sulfide-li.toml");
  auto no_degradation = write("no-degradation.toml", text.substr(0, text.find("\n# Solid-state fade")));
  auto no_sei = run("age " + no_degradation.string() + " --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(no_sei.exit_code, 2);
  EXPECT_NE(no_sei.err.find("degradation"), std::string::npos) << no_sei.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

// Solid-state fade (docs/ageing.md): per-cycle shares by mechanism, the short as an event that ends the study.
TEST_F(Cli, AgeSolidStateCellReportsMechanismSharesAndNoEvents) {
  auto r = run("age assb-sulfide-li --soc 0 --experiment \"Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V\" --cycles 5 -o ss --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sei"], "none (solid-state fade)");
  ASSERT_EQ(j["capacity_retention"].size(), 5u);
  EXPECT_LT(j["capacity_retention"][4].get<double>(), 1.0);
  EXPECT_TRUE(j["events"].empty());
  double sum = 0.0;
  for (const char* m : {"SEI", "CEI", "contact loss", "lithium inventory", "lithium voids", "other"}) {
    ASSERT_TRUE(j["mechanisms"].contains(m)) << m;
    EXPECT_EQ(j["mechanisms"][m]["share_per_cycle"].size(), 5u) << m;
    sum += j["mechanisms"][m]["share"].get<double>();
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(j["solid_state"]["cei_thickness_m"].get<double>(), 1e-9);  // grown from its 1 nm
  EXPECT_LT(j["solid_state"]["contact_fraction"].get<double>(), 1.0);
  EXPECT_NEAR(j["solid_state"]["stack_pressure_MPa"].get<double>(), 10.0, 1e-12);
  EXPECT_NEAR(j["solid_state"]["lithium_bookkeeping_error_mol"].get<double>(), 0.0, 1e-6);
  auto csv = slurp(dir_ / "ss/cycles.csv");
  EXPECT_NE(csv.find("\"Share of capacity lost: contact loss\""), std::string::npos);
}

TEST_F(Cli, AgeSolidStateShortAboveTheCcdIsAnEventAndEndsTheStudy) {
  auto r = run("age assb-sulfide-li --soc 0 --stack-pressure-MPa 5 --experiment \"Charge at 1C until 4.3 V, Discharge at C/5 until 2.5 V\" --cycles 3 -o short --json");
  ASSERT_EQ(r.exit_code, 3) << r.err;  // stopped early
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["events"].size(), 1u);
  const auto& e = j["events"][0];
  EXPECT_EQ(e["kind"], "short circuit");
  EXPECT_EQ(e["cycle"], 1);
  EXPECT_GT(e["current_density_mA_per_cm2"].get<double>(), e["critical_current_density_mA_per_cm2"].get<double>());
  EXPECT_NEAR(e["critical_current_density_mA_per_cm2"].get<double>(), 1.0, 1e-9);
  EXPECT_NE(j["stopped"].get<std::string>().find("short circuit"), std::string::npos);
  EXPECT_NE(r.err.find("short circuit"), std::string::npos) << r.err;
}

TEST_F(Cli, AgeStackPressureNeedsASolidStateCell) {
  auto r = run("age lgm50 --stack-pressure-MPa 5 --experiment " + cc_cv + " --cycles 2 -o nope");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--stack-pressure-MPa"), std::string::npos) << r.err;
}

// Lithium plating (docs/ageing.md): `--plating` switches it on; a 2C charge of the M50 plates, and plating takes most
// of the capacity lost; the JSON and the CSV carry the plated and dead lithium.
TEST_F(Cli, AgeWithPlatingReportsPlatingShareAndJsonFields) {
  auto r = run("age lgm50 --plating irreversible --experiment \"Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20\" "
               "--cycles 3 -o plated --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sei"], "reaction limited");
  EXPECT_EQ(j["lithium_plating"], "irreversible");
  ASSERT_EQ(j["capacity_retention"].size(), 3u);
  EXPECT_LT(j["capacity_retention"][2].get<double>(), 0.98);
  const auto& last = j["last_cycle"];
  EXPECT_GT(last["dead_lithium_mol"].get<double>(), 1e-3);
  EXPECT_EQ(last["plated_lithium_mol"].get<double>(), 0.0);
  EXPECT_NEAR(last["lithium_lost_to_plating_mol"].get<double>(), last["dead_lithium_mol"].get<double>(), 1e-15);
  EXPECT_NEAR(last["capacity_lost_to_plating_Ah"].get<double>(), last["lithium_lost_to_plating_mol"].get<double>() * 96485.33212 / 3600.0, 1e-9);
  ASSERT_TRUE(j["mechanisms"].contains("lithium plating"));
  EXPECT_GT(j["mechanisms"]["lithium plating"]["share"].get<double>(), 0.8);
  EXPECT_EQ(j["mechanisms"]["lithium plating"]["share_per_cycle"].size(), 3u);
  EXPECT_GT(j["mechanisms"]["lithium plating"]["lithium_lost_mol"].get<double>(), 1e-3);
  auto csv = slurp(dir_ / "plated/cycles.csv");
  EXPECT_NE(csv.find("\"Negative dead lithium [mol]\""), std::string::npos);
  EXPECT_NE(csv.find("\"Share of capacity lost: lithium plating\""), std::string::npos);

  // Without SEI growth, and a study with neither is refused.
  auto alone = run("age lgm50 --sei none --plating reversible --experiment \"Charge at 1C until 4.2 V, Discharge at 1C until 2.5 V\" --soc 0 --cycles 2 -o alone --json");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_EQ(nlohmann::json::parse(alone.out)["sei"], "none");
  auto neither = run("age lgm50 --sei none --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("--sei"), std::string::npos) << neither.err;
}

TEST_F(Cli, AgePlatingRefusesBadInputNamingTheField) {
  auto word = run("age lgm50 --plating sometimes --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(word.exit_code, 2);
  EXPECT_NE(word.err.find("--plating"), std::string::npos) << word.err;
  // A cell file without the [negative.plating] table (the built-in one, cut out).
  auto text = slurp(fs::path(data) / "../../data/cells/lgm50.toml");
  const auto from = text.find("[negative.plating]"), to = text.find("[current_collectors]");
  ASSERT_NE(from, std::string::npos);
  auto no_plating = write("no-plating.toml", text.substr(0, from) + text.substr(to));
  auto missing = run("age " + no_plating.string() + " --plating irreversible --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("negative.plating"), std::string::npos) << missing.err;
  auto solid = run("age assb-sulfide-li --plating reversible --experiment \"Discharge at 1C until 2.5 V\" --cycles 2 -o x");
  EXPECT_EQ(solid.exit_code, 2);
  EXPECT_NE(solid.err.find("--plating"), std::string::npos) << solid.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

// Loss of active material (docs/ageing.md): `--lam stress-driven` shrinks both electrodes' active fractions; the JSON,
// the CSV and the mechanism shares carry it.
TEST_F(Cli, AgeWithLossOfActiveMaterialReportsFractionsAndShare) {
  auto r = run("age lgm50 --lam stress-driven --experiment " + cc_cv + " --cycles 3 -o lam --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["loss_of_active_material"], "stress-driven");
  EXPECT_EQ(j["lithium_plating"], "none");
  const auto& last = j["last_cycle"];
  EXPECT_LT(last["negative_active_material_fraction"].get<double>(), 0.75);
  EXPECT_LT(last["positive_active_material_fraction"].get<double>(), 0.665);
  EXPECT_GT(last["lithium_lost_to_active_material_loss_mol"].get<double>(), 0.0);
  ASSERT_TRUE(j["mechanisms"].contains("loss of active material"));
  EXPECT_EQ(j["mechanisms"]["loss of active material"]["share_per_cycle"].size(), 3u);
  auto csv = slurp(dir_ / "lam/cycles.csv");
  EXPECT_NE(csv.find("\"X-averaged positive electrode active material volume fraction\""), std::string::npos);
  EXPECT_NE(csv.find("\"Share of capacity lost: loss of active material\""), std::string::npos);
  auto bad = run("age lgm50 --lam cracks --experiment " + cc_cv + " --cycles 2 -o x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--lam"), std::string::npos) << bad.err;
  auto no_sei = run("age lgm50 --sei none --lam reaction-driven --experiment " + cc_cv + " --cycles 2 -o x");
  EXPECT_EQ(no_sei.exit_code, 2);
  EXPECT_NE(no_sei.err.find("--lam"), std::string::npos) << no_sei.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

// The terminal table shows what --plating and --lam add: plated and dead lithium, and each electrode's active material
// lost since the fresh cell (LG M50: active fractions 0.75 and 0.665), the same numbers summary.json carries.
TEST_F(Cli, AgeTableShowsPlatingAndLossOfActiveMaterialColumns) {
  auto r = run("age lgm50 --plating \"partially reversible\" --lam stress-driven --experiment "
               "\"Discharge at 1C until 2.5 V, Rest for 10 minutes, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20\" --cycles 3 -o both");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* h : {"Li to SEI mol", "SEI nm", "plated Li mol", "dead Li mol", "neg AM lost %", "pos AM lost %"})
    EXPECT_NE(r.out.find(h), std::string::npos) << h << "\n" << r.out;
  // The last row of the table (cycle 3): cycle, solved, capacity, retention, resistance, "mO", Li to SEI, SEI nm, then
  // plated, dead, negative and positive AM lost.
  const auto last = table_row(r.out, "3");
  ASSERT_EQ(last.size(), 12u) << r.out;
  const auto j = nlohmann::json::parse(slurp(dir_ / "both/summary.json"));
  const auto& c = j["last_cycle"];
  EXPECT_NEAR(std::stod(last[8]), c["plated_lithium_mol"].get<double>(), 1e-3 * c["plated_lithium_mol"].get<double>());
  EXPECT_NEAR(std::stod(last[9]), c["dead_lithium_mol"].get<double>(), 1e-3 * c["dead_lithium_mol"].get<double>());
  EXPECT_GT(std::stod(last[9]), 0.0);
  EXPECT_NEAR(std::stod(last[10]), 100.0 * (1.0 - c["negative_active_material_fraction"].get<double>() / 0.75), 1e-4);
  EXPECT_NEAR(std::stod(last[11]), 100.0 * (1.0 - c["positive_active_material_fraction"].get<double>() / 0.665), 1e-4);
  EXPECT_GT(std::stod(last[10]), 0.0);

  // SEI alone keeps its table.
  auto sei = run("age lgm50 --experiment " + cc_cv + " --cycles 2 -o sei");
  ASSERT_EQ(sei.exit_code, 0) << sei.err;
  EXPECT_NE(sei.out.find("SEI nm"), std::string::npos) << sei.out;
  EXPECT_EQ(sei.out.find("plated Li mol"), std::string::npos) << sei.out;
  EXPECT_EQ(sei.out.find("AM lost"), std::string::npos) << sei.out;
}

// A solid-state cell grows no SEI: its table shows the CEI, the lithium it took and the cathode's contact, the
// same numbers as cycles.csv.
TEST_F(Cli, AgeTableOfASolidStateCellShowsItsOwnMechanisms) {
  auto r = run("age assb-sulfide-li --soc 0 --experiment \"Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V\" --cycles 3 -o ss");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* h : {"Li to CEI mol", "CEI nm", "CAM contact %"}) EXPECT_NE(r.out.find(h), std::string::npos) << h << "\n" << r.out;
  EXPECT_EQ(r.out.find("SEI nm"), std::string::npos) << r.out;
  const auto last = table_row(r.out, "3");
  ASSERT_EQ(last.size(), 9u) << r.out;  // cycle, solved, capacity, retention, resistance, "mO", Li to CEI, CEI nm, contact %
  // cycles.csv's last row: CEI thickness [m], Positive contact fraction, Loss of lithium to CEI [mol].
  std::istringstream csv(slurp(dir_ / "ss/cycles.csv"));
  std::string header, row, line;
  std::getline(csv, header);
  while (std::getline(csv, line))
    if (!line.empty()) row = line;
  auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::istringstream s(text);
    for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
    return cells;
  };
  const auto names = split(header), values = split(row);
  auto value = [&](const std::string& name) {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == "\"" + name + "\"") return std::stod(values.at(k));
    ADD_FAILURE() << "no column " << name;
    return 0.0;
  };
  EXPECT_NEAR(std::stod(last[6]), value("Loss of lithium to CEI [mol]"), 1e-3 * value("Loss of lithium to CEI [mol]"));
  EXPECT_NEAR(std::stod(last[7]), 1e9 * value("CEI thickness [m]"), 1e-3);
  EXPECT_NEAR(std::stod(last[8]), 100.0 * value("Positive contact fraction"), 1e-3);
  EXPECT_GT(std::stod(last[7]), 0.0);
  EXPECT_LT(std::stod(last[8]), 100.0);
}
