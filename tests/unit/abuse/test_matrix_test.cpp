// The abuse tests by name (the CLI's and the report's matrix), the pieces of the lumped circuit that decide
// the short and overcharge verdicts (separator shutdown, the charger's compliance voltage), the chemical onset
// of the GB 38031 criterion, and the sensitivity study.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "solidcell/abuse/external_short_test.hpp"
#include "solidcell/abuse/nail_test.hpp"
#include "solidcell/abuse/overcharge_test.hpp"
#include "solidcell/abuse/sensitivity.hpp"
#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/abuse/verdict.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"

namespace solidcell::abuse {
namespace {

const AbuseCase& abuse_case(const std::string& name) {
  static std::map<std::string, AbuseCase> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    const auto cell = cell::load_cell(name);
    it = cache.emplace(name, make_abuse_case(cell, "")).first;
  }
  return it->second;
}

}  // namespace

TEST(AbuseMatrix, EveryTestRunsByNameAndTheNailFallsBackToGbt31485) {
  auto c = abuse_case("liquid-ncm811-graphite");
  c.three_d_options.nx = 8;  // the nail test is 3D: a coarse grid keeps this test short
  c.three_d_options.ny = 6;
  c.three_d_options.nz = 4;
  for (const auto& test : abuse_test_names()) {
    const auto r = run_abuse_test(test, c, "gb38031-2025");
    EXPECT_EQ(r.test, test);
    EXPECT_TRUE(r.failure.empty()) << test << ": " << r.failure;
    EXPECT_FALSE(r.trace.time_s.empty()) << test;
    // GB 38031 has no cell nail test (dropped in 2020): the nail comes from GB/T 31485-2015.
    EXPECT_EQ(r.standard, test == "nail" ? "gbt31485-2015" : "gb38031-2025") << test;
    // Gas by reaction adds up to the gas in the trace (the overcharge's side reaction makes gas of its own).
    ASSERT_EQ(r.reaction_gas_mol.size(), c.network.reactions.size()) << test;
    double gas = 0.0;
    for (const auto& entry : r.reaction_gas_mol) gas += entry.second;
    if (test == "overcharge") {
      EXPECT_LE(gas, r.trace.gas_mol.back() + 1e-12) << test;
    } else {
      EXPECT_NEAR(gas, r.trace.gas_mol.back(), 1e-9 * (1.0 + gas)) << test;
    }
    std::cout << test << " (" << r.standard << "): " << (r.verdict.pass ? "pass" : "FAIL") << ", EUCAR " << r.verdict.eucar_level << ", peak "
              << r.verdict.peak_temperature_K - 273.15 << " C\n";
  }
  EXPECT_THROW(run_abuse_test("teleport", c, "gb38031-2025"), InputError);
  EXPECT_FALSE(is_abuse_test("teleport"));
}

TEST(AbuseMatrix, SaeJ2464PenetratesWithAThinMildSteelRodAndReportsTheEucarLevel) {
  // SAE J2464's cell penetration: a 3 mm mild-steel rod at 8 cm/s; the standard sets no pass/fail, so the
  // verdict says the EUCAR level is its outcome. Its other tests are not written: they fall back to GB 38031.
  const auto p = load_nail_procedure("sae-j2464");
  EXPECT_DOUBLE_EQ(p.diameter_m, 0.003);
  EXPECT_DOUBLE_EQ(p.speed_m_per_s, 0.08);
  EXPECT_EQ(p.nail_material, "mild_steel");
  EXPECT_DOUBLE_EQ(p.nail_conductivity_W_per_m_K, 60.5);  // mild_steel.toml
  EXPECT_NEAR(p.nail_resistivity_ohm_m, 1.43e-7, 1e-9);
  EXPECT_FALSE(p.criterion.pass_fail);
  EXPECT_TRUE(load_nail_procedure("gbt31485-2015").criterion.pass_fail);
  auto c = abuse_case("liquid-ncm811-graphite");
  c.three_d_options.nx = 8;
  c.three_d_options.ny = 6;
  c.three_d_options.nz = 4;
  const auto nail = run_abuse_test("nail", c, "sae-j2464");
  EXPECT_EQ(nail.standard, "sae-j2464");
  ASSERT_FALSE(nail.verdict.reasons.empty());
  EXPECT_NE(nail.verdict.reasons.back().find("sets no pass/fail"), std::string::npos) << nail.verdict.reasons.back();
  EXPECT_NE(nail.verdict.reasons.back().find(std::to_string(nail.verdict.eucar_level) + " here"), std::string::npos);
  EXPECT_EQ(run_abuse_test("short", c, "sae-j2464").standard, "gb38031-2025");
  // An outcome the reader does not know is refused by field.
  std::stringstream text;
  text << std::ifstream(builtin_data_dir() / "standards" / "sae-j2464.toml").rdbuf();
  std::string bad = text.str();
  bad.replace(bad.find("outcome = \"eucar_level\""), std::string("outcome = \"eucar_level\"").size(), "outcome = \"stars\"");
  const std::string file = ::testing::TempDir() + "/j2464-bad.toml";
  std::ofstream(file) << bad;
  try {
    load_nail_procedure(file);
    FAIL() << "an unknown outcome was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "standard.outcome") << e.what();
  }
}

TEST(AbuseMatrix, SeparatorShutdownStopsTheExternalShortOfTheLiquidCell) {
  // The PE separator of the liquid cell shuts down at 130 C: the short's current collapses and the cell stays
  // below the meltdown (165 C). Without the shutdown the same short runs the cell away.
  const auto& c = abuse_case("liquid-ncm811-graphite");
  ASSERT_TRUE(c.network.separator_shutdown);
  const auto p = load_external_short_procedure("gb38031-2025");
  const auto with = run_external_short_test(c.inventory, c.network, p, c.options);
  ASSERT_TRUE(with.failure.empty()) << with.failure;
  ASSERT_TRUE(with.separator_shutdown_s);
  EXPECT_FALSE(with.verdict.thermal_runaway);
  EXPECT_LT(with.verdict.peak_temperature_K, c.network.internal_short->onset_K);
  // After the shutdown the current is at most the EMF over the raised resistance.
  double after = 0.0;
  for (std::size_t k = 0; k < with.trace.time_s.size(); ++k)
    if (with.trace.time_s[k] > *with.separator_shutdown_s + 1.0 && with.trace.time_s[k] < p.short_s) after = std::max(after, with.trace.current_A[k]);
  EXPECT_LT(after, 4.5 / (c.inventory.internal_resistance_ohm * c.network.separator_shutdown->resistance_factor)) << after;
  auto without_shutdown = c.network;
  without_shutdown.separator_shutdown.reset();
  const auto without = run_external_short_test(c.inventory, without_shutdown, p, c.options);
  EXPECT_FALSE(without.separator_shutdown_s);
  EXPECT_GT(without.verdict.peak_temperature_K, with.verdict.peak_temperature_K + 50.0);
  std::cout << "GB 38031 short, liquid pouch: peak " << with.verdict.peak_temperature_K - 273.15 << " C with shutdown at "
            << *with.separator_shutdown_s << " s, " << without.verdict.peak_temperature_K - 273.15 << " C without\n";
}

TEST(AbuseMatrix, ShutdownMustComeBeforeMeltdownInTheNetworkFile) {
  const auto dir = std::filesystem::temp_directory_path() / "solidcell-shutdown-test";
  std::filesystem::create_directories(dir);
  std::ifstream in(builtin_data_dir() / "abuse" / "liquid-ncm-graphite.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const auto at = s.find("temperature_C = 130.0");
  ASSERT_NE(at, std::string::npos);
  s.replace(at, 21, "temperature_C = 170.0");
  const auto file = dir / "late-shutdown.toml";
  std::ofstream(file) << s;
  try {
    load_reaction_network(file.string());
    FAIL() << "a shutdown above the meltdown was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("separator_shutdown.temperature_C"), std::string::npos) << e.what();
  }
}

TEST(AbuseMatrix, TheChargersComplianceVoltageHoldsTheTerminalVoltage) {
  // UL 1642's abnormal charge on the liquid cell: once the separator shuts down the supply holds its compliance
  // voltage (2 x the charge cut-off by default) and its current falls; the charge put in is what it delivered.
  const auto& c = abuse_case("liquid-ncm811-graphite");
  auto p = load_overcharge_procedure("ul1642");
  const auto r = run_overcharge_test(c.inventory, c.network, p, c.options);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const double compliance = p.supply_voltage_factor * c.inventory.charge_voltage_max_V;
  for (std::size_t k = 0; k < r.trace.time_s.size(); ++k) {
    if (r.trace.time_s[k] <= r.charge_end_s) {
      EXPECT_LE(r.trace.voltage_V[k], compliance * (1.0 + 1e-9)) << r.trace.time_s[k];
    }
  }
  EXPECT_LE(r.charge_in_Ah, p.current_A(c.inventory.capacity_Ah) * r.charge_end_s / 3600.0 * (1.0 + 1e-6));
  // A supply below the stop voltage can never end the charge on it: the loader refuses it.
  EXPECT_GT(p.supply_voltage_factor, p.voltage_limit_factor.value_or(1.0));
}

TEST(AbuseMatrix, JouleHeatDoesNotSetTheOnsetOfAChemicalRunaway) {
  // A short heats the cell at 3 C/s from t = 0; the reactions take over at t = 50 s. The standard's rule alone
  // starts at 0; with the reactions' own rate the onset is 50 s.
  RunawayCriterion c;
  std::vector<double> t, T, rate, V, chem;
  for (int k = 0; k <= 100; ++k) {
    t.push_back(k);
    rate.push_back(3.0 + (k >= 50 ? 20.0 : 0.0));
    T.push_back(300.0 + 3.0 * k);
    V.push_back(1.0);
    chem.push_back(k >= 50 ? 20.0 : 0.01);
  }
  V.front() = 4.0;
  const HazardInputs hazard{true, false, true, 0.0, 0.0, 0.5};
  const auto rule_only = judge(t, T, rate, V, 333.15, c, hazard);
  ASSERT_TRUE(rule_only.onset_time_s);
  EXPECT_NEAR(*rule_only.onset_time_s, 0.0, 1e-12);
  const auto chemical = judge(t, T, rate, V, 333.15, c, hazard, chem);
  EXPECT_TRUE(chemical.thermal_runaway);
  ASSERT_TRUE(chemical.onset_time_s);
  EXPECT_NEAR(*chemical.onset_time_s, 49.0 + (1.0 - 0.01) / (20.0 - 0.01), 1e-9);
  // Reactions that never heat at 1 C/s on their own: no runaway, however long the Joule heating lasts.
  std::vector<double> weak(chem.size(), 0.5);
  const auto joule = judge(t, T, rate, V, 333.15, c, hazard, weak);
  EXPECT_TRUE(joule.standard_criterion_met);
  EXPECT_FALSE(joule.thermal_runaway);
  EXPECT_FALSE(joule.onset_time_s);
}

TEST(AbuseMatrix, SensitivityFindsTheInputsThatDecideTheShortOfTheSulfideCell) {
  // The GB 38031 external short of the sulfide cell: its Joule heat brings it to the 150 C ignition of O2 +
  // Li6PS5Cl; the internal resistance and the cooling move that, the state of charge too. The study must show
  // every parameter with both ends run, sorted: verdict-deciding rows first, then by swing.
  const auto& c = abuse_case("assb-sulfide-li");
  const auto parameters = default_sensitivity_parameters(c);
  const auto s = sensitivity_study("short", c, "gb38031-2025", parameters);
  ASSERT_EQ(s.rows.size(), parameters.size());
  bool seen_non_deciding = false;
  for (std::size_t k = 0; k < s.rows.size(); ++k) {
    const auto& r = s.rows[k];
    if (!r.decides_verdict()) {
      seen_non_deciding = true;
    } else {
      EXPECT_FALSE(seen_non_deciding) << "deciding rows come first: " << r.parameter;
    }
    if (k > 0 && r.decides_verdict() == s.rows[k - 1].decides_verdict()) {
      EXPECT_LE(r.swing_K(), s.rows[k - 1].swing_K() + 1e-9);
    }
    std::cout << r.parameter << ": " << r.low_label << " " << r.low.peak_temperature_K - 273.15 << " C " << (r.low.pass ? "pass" : "FAIL") << " / "
              << r.high_label << " " << r.high.peak_temperature_K - 273.15 << " C " << (r.high.pass ? "pass" : "FAIL")
              << (r.decides_verdict() ? "  <- decides" : "") << "\n";
  }
  // A 30 % higher internal resistance heats the shorted cell at least as much (I^2 R at a near-fixed current,
  // or E^2 R/(R + R_ext)^2 rising while R < R_ext).
  const auto it = std::find_if(s.rows.begin(), s.rows.end(), [](const SensitivityRow& r) { return r.parameter == "internal resistance"; });
  ASSERT_NE(it, s.rows.end());
  EXPECT_NE(it->low.peak_temperature_K, it->high.peak_temperature_K);
}

}  // namespace solidcell::abuse
