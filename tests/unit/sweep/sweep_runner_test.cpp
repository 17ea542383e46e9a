// The threaded executor and the result store: the same summary on 1 and 2 threads, failed cases recorded
// with their reason, an interrupted sweep resumed without redoing a case, and resume refusing a changed spec.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/sweep/case_file.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "unit/sweep/sweep_folder_test.hpp"

namespace solidcell::sweep {
namespace {

namespace fs = std::filesystem;

const std::string spec_text = R"([sweep]
name = "runner-test"
study = "experiment"
method = "monte_carlo"
samples = 10
seed = 7

[study]
cell = "lgm50"
model = "dfn"
experiment = "Discharge at {current_A} A for 10 minutes"
isothermal = true
relative_tolerance = 1e-6

[[parameter]]
name = "Negative particle radius [m]"
low = 4e-6
high = 8e-6

[[parameter]]
name = "Positive electrode porosity"
low = 0.25
high = 0.335

[[parameter]]
name = "current_A"
low = 2.0
high = 10.0
)";

using testing::slurp;

class SweepRunner : public testing::SweepFolderTest {
};

TEST_F(SweepRunner, OneAndTwoThreadsGiveTheSameSummary) {
  const auto spec = parse_sweep_spec(spec_text, "spec.toml");
  const auto one = run_sweep(spec, options("one", 1));
  const auto two = run_sweep(spec, options("two", 2));
  ASSERT_TRUE(one.complete);
  ASSERT_TRUE(two.complete);
  EXPECT_EQ(one.summary_rows, 10u);
  EXPECT_EQ(two.threads, 2);
  EXPECT_EQ(one.failed, 0u);
  const auto a = slurp(dir_ / "one" / "summary.csv"), b = slurp(dir_ / "two" / "summary.csv");
  EXPECT_EQ(a, b);  // bit for bit: each case is a pure function of the spec and its id
  EXPECT_NE(a.find("Discharge capacity [A.h]"), std::string::npos);
  const auto r = read_case_file(dir_ / "two" / "cases" / case_file_name(4));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, 4u);
  EXPECT_TRUE(r->done);
  EXPECT_EQ(r->spec_hash, spec.hash);
  EXPECT_EQ(r->parameter_names.size(), 3u);
}

TEST_F(SweepRunner, AFailedCaseIsRecordedWithItsReason) {
  auto text = spec_text;
  // Above 0.335 the LG M50's positive (active fraction 0.665) would be more than full: those cases fail.
  text.replace(text.find("high = 0.335"), 12, "high = 0.400");
  const auto spec = parse_sweep_spec(text, "spec.toml");
  const auto rep = run_sweep(spec, options("f", 2));
  ASSERT_TRUE(rep.complete);
  EXPECT_GT(rep.failed, 0u);
  EXPECT_LT(rep.failed, 10u);
  const auto summary = slurp(dir_ / "f" / "summary.csv");
  EXPECT_NE(summary.find(",failed,"), std::string::npos);
  EXPECT_NE(summary.find("Positive electrode porosity"), std::string::npos);
  const auto manifest = slurp(dir_ / "f" / "manifest.json");
  EXPECT_NE(manifest.find("\"failures\""), std::string::npos);
  EXPECT_NE(manifest.find("would add up to"), std::string::npos);
}

TEST_F(SweepRunner, ResumeRunsOnlyTheMissingCases) {
  const auto spec = parse_sweep_spec(spec_text, "spec.toml");
  auto o = options("r", 2);
  o.stop_after = 4;
  const auto first = run_sweep(spec, o);
  EXPECT_FALSE(first.complete);
  EXPECT_EQ(first.ran, 4u);
  EXPECT_FALSE(fs::exists(dir_ / "r" / "summary.csv"));
  // A fresh run into the same folder is refused.
  EXPECT_THROW(run_sweep(spec, options("r", 2)), InputError);
  // A broken case file and a temporary left by a kill: the first is redone, the second removed.
  std::ofstream(dir_ / "r" / "cases" / case_file_name(0)) << "not hdf5";
  std::ofstream(dir_ / "r" / "cases" / (case_file_name(9) + ".partial-1-1")) << "half";
  auto again = options("r", 2);
  again.resume = true;
  const auto second = run_sweep(spec, again);
  EXPECT_TRUE(second.complete);
  EXPECT_EQ(second.scan.valid, 3u);
  EXPECT_EQ(second.scan.invalid, 1u);
  EXPECT_EQ(second.scan.temporary, 1u);
  EXPECT_EQ(second.already_done, 3u);
  EXPECT_EQ(second.ran, 7u);
  const auto reference = run_sweep(spec, options("ref", 1));
  EXPECT_EQ(slurp(dir_ / "r" / "summary.csv"), slurp(dir_ / "ref" / "summary.csv"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "r" / "cases")) files += case_id_of(e.path().filename().string()).has_value();
  EXPECT_EQ(files, 10u);
  // Resuming a finished sweep runs nothing.
  const auto third = run_sweep(spec, again);
  EXPECT_EQ(third.ran, 0u);
  EXPECT_TRUE(third.complete);
}

TEST_F(SweepRunner, ResumeRefusesAChangedSpec) {
  const auto spec = parse_sweep_spec(spec_text, "spec.toml");
  auto o = options("c", 1);
  o.stop_after = 1;
  run_sweep(spec, o);
  auto text = spec_text;
  text.replace(text.find("seed = 7"), 8, "seed = 8");
  const auto changed = parse_sweep_spec(text, "spec.toml");
  o.resume = true;
  o.stop_after = 0;
  try {
    run_sweep(changed, o);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "spec_hash");
    EXPECT_NE(e.allowed().find("changed"), std::string::npos);
  }
}

// `started` comes once, after the spec is checked and before any case runs; a spec refused for a parameter the
// study does not know never calls it, and no case runs.
TEST_F(SweepRunner, StartedComesOnlyForASpecThatRuns) {
  const auto spec = parse_sweep_spec(spec_text, "spec.toml");
  auto o = options("s", 2);
  int started = 0;
  std::size_t progress_before_start = 0, to_run = 0;
  o.started = [&](const SweepProgress& p) {
    ++started;
    to_run = p.to_run;
    EXPECT_EQ(p.ran, 0u);
  };
  o.progress = [&](const SweepProgress&) { progress_before_start += started == 0; };
  o.stop_after = 3;
  run_sweep(spec, o);
  EXPECT_EQ(started, 1);
  EXPECT_EQ(to_run, 3u);
  EXPECT_EQ(progress_before_start, 0u);

  auto text = spec_text;
  text.replace(text.find("name = \"Positive electrode porosity\""), 36, "name = \"Positive electrode porosty\"");
  const auto bad = parse_sweep_spec(text, "bad.toml");
  started = 0;
  auto b = options("bad", 2);
  b.started = [&](const SweepProgress&) { ++started; };
  try {
    run_sweep(bad, b);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "bad.toml");
    EXPECT_NE(std::string(e.what()).find("Positive electrode porosty"), std::string::npos) << e.what();
  }
  EXPECT_EQ(started, 0);
  EXPECT_FALSE(fs::exists(dir_ / "bad" / "cases"));
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> row;
    std::istringstream l(line);
    for (std::string f; std::getline(l, f, ',');) row.push_back(f);
    rows.push_back(row);
  }
  return rows;
}

TEST_F(SweepRunner, DesignStudyFollowsTheCellFile) {
  // More cathode loading, more capacity; the swept key reaches the design through the cell reader.
  const auto spec = parse_sweep_spec(R"([sweep]
name = "design"
study = "design"
method = "grid"
[study]
cell = "assb-sulfide-li"
[[parameter]]
name = "positive.areal_capacity_mAh_per_cm2"
values = [2.0, 3.0, 4.0]
[outputs]
summary = ["Capacity [A.h]", "Areal capacity [mA.h.cm-2]"]
)",
                                     "design.toml");
  ASSERT_TRUE(run_sweep(spec, options("d", 2)).complete);
  const auto rows = csv_rows(slurp(dir_ / "d" / "summary.csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][3], "Capacity [A.h]");
  for (std::size_t i = 1; i < 4; ++i) EXPECT_NEAR(std::stod(rows[i][4]), std::stod(rows[i][2]), 1e-9);  // areal capacity as set
  EXPECT_NEAR(std::stod(rows[3][3]) / std::stod(rows[1][3]), 2.0, 1e-9);  // capacity in proportion to the loading
}

TEST_F(SweepRunner, AbuseStudyVariesTheOven) {
  // The GB 38031 oven test of the liquid pouch cell at full charge: a hotter oven, a hotter peak.
  const auto spec = parse_sweep_spec(R"([sweep]
name = "oven"
study = "abuse"
method = "grid"
[study]
cell = "liquid-ncm811-graphite"
test = "heating"
[[parameter]]
name = "oven_temperature_C"
values = [120.0, 140.0]
[[parameter]]
name = "soc"
values = [1.0]
)",
                                     "oven.toml");
  ASSERT_TRUE(run_sweep(spec, options("o", 2)).complete);
  const auto rows = csv_rows(slurp(dir_ / "o" / "summary.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][4], "Peak temperature [K]");
  const double cool = std::stod(rows[1][4]), hot = std::stod(rows[2][4]);
  EXPECT_GT(cool, 120.0 + 273.15 - 1.0);  // the cell reaches the oven's temperature
  EXPECT_GT(hot, cool + 15.0);
}

TEST_F(SweepRunner, AbuseStudyMovesTheNailAcrossACylindricalCell) {
  // lgm50's nail through the axis and 0.3 D off it, on a coarse grid: each case is the library's run with the
  // same position and grid; a nail setting in another test, and a bad grid, are refused by name.
  const auto spec = parse_sweep_spec(R"([sweep]
name = "nail"
study = "abuse"
method = "grid"
[study]
cell = "lgm50"
test = "nail"
grid = [6, 4, 4]
[[parameter]]
name = "nail_position_y"
values = [0.5, 0.8]
)",
                                     "nail.toml");
  ASSERT_TRUE(run_sweep(spec, options("n", 2)).complete);
  const auto rows = csv_rows(slurp(dir_ / "n" / "summary.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][3], "Peak temperature [K]");
  auto c = abuse::make_abuse_case(cell::load_cell("lgm50"), "");
  c.three_d_options.nx = 6;
  c.three_d_options.ny = 4;
  c.three_d_options.nz = 4;
  for (int k = 0; k < 2; ++k) {
    c.nail_position_y = k == 0 ? 0.5 : 0.8;
    const auto r = abuse::run_abuse_test("nail", c, "gb38031-2025");
    EXPECT_NEAR(std::stod(rows[1 + k][3]), r.verdict.peak_temperature_K, 1e-9 * r.verdict.peak_temperature_K) << k;
  }
  const auto heating = parse_sweep_spec(R"([sweep]
name = "h"
study = "abuse"
method = "grid"
[study]
cell = "lgm50"
test = "heating"
[[parameter]]
name = "nail_position_x"
values = [0.5]
)",
                                        "h.toml");
  try {
    run_sweep(heating, options("h", 1));
    FAIL() << "a nail setting was accepted for the heating test";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "parameter[0].name") << e.what();
    EXPECT_NE(std::string(e.what()).find("only for test = \"nail\""), std::string::npos) << e.what();
  }
  const auto bad_grid = parse_sweep_spec(R"([sweep]
name = "g"
study = "abuse"
method = "grid"
[study]
cell = "lgm50"
test = "nail"
grid = [6, 4]
[[parameter]]
name = "soc"
values = [1.0]
)",
                                         "g.toml");
  try {
    run_sweep(bad_grid, options("g", 1));
    FAIL() << "a grid of two numbers was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(e.where().field.find("grid"), std::string::npos) << e.what();
  }
}

TEST(SweepProgressText, BarAndLine) {
  SweepProgress p{1000, 0, 1000, 420, 2, 10.0};
  EXPECT_EQ(progress_line(p), "case 420/1000 done (42.0/s, ETA 14 s, 2 failed)");
  EXPECT_NE(progress_bar(p, 10).find("[####......] 420/1000"), std::string::npos);
  EXPECT_EQ(format_duration(75), "1m15s");
}

}  // namespace
}  // namespace solidcell::sweep
