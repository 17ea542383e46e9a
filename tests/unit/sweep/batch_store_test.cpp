// Many cases per HDF5 file ([outputs] cases_per_file): the batch file round trip, the same summary and arrays
// as one file per case, every case in exactly one file after an interruption and a resume, an interrupt that
// writes every finished case, a broken batch redone whole, and the spec's range check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/sweep/batch_file.hpp"
#include "solidcell/sweep/case_file.hpp"
#include "solidcell/sweep/result_store.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "unit/sweep/sweep_folder_test.hpp"

namespace solidcell::sweep {
namespace {

namespace fs = std::filesystem;

std::string spec_text(int cases_per_file, int samples = 12) {
  return R"([sweep]
name = "batch-test"
study = "experiment"
method = "latin_hypercube"
samples = )" + std::to_string(samples) + R"(
seed = 11

[study]
cell = "lgm50"
model = "spme"
experiment = "Discharge at {current_A} A for 5 minutes"
isothermal = true

[[parameter]]
name = "Negative particle radius [m]"
low = 4e-6
high = 8e-6

[[parameter]]
name = "current_A"
low = 2.0
high = 10.0

[outputs]
cases_per_file = )" + std::to_string(cases_per_file) + "\n";
}

using testing::slurp;

class BatchStore : public testing::SweepFolderTest {
 protected:
  // case id -> how many result files hold it, over every case and batch file of the folder.
  static std::map<std::size_t, int> holders(const fs::path& cases) {
    std::map<std::size_t, int> n;
    for (const auto& e : fs::directory_iterator(cases)) {
      const auto name = e.path().filename().string();
      if (is_batch_file(name)) {
        const auto records = read_batch_file(e.path());
        EXPECT_TRUE(records) << name;
        for (const auto& r : records.value_or(std::vector<CaseRecord>{})) ++n[r.id];
      } else if (const auto id = case_id_of(name)) {
        ++n[*id];
      } else {
        ADD_FAILURE() << "unexpected file " << name;
      }
    }
    return n;
  }
};

TEST_F(BatchStore, BatchFileRoundTripsRecordsAndRaggedArrays) {
  std::vector<CaseRecord> records(3);
  for (std::size_t k = 0; k < 3; ++k) {
    auto& r = records[k];
    r.id = 7 + 2 * k;
    r.sweep = "s";
    r.study = "experiment";
    r.spec_hash = "abc";
    r.parameter_names = {"a", "b/c"};
    r.parameter_values = {1.0 + static_cast<double>(k), -2.5};
    r.scalar_names = {"x", "y", "z"};
    r.scalars = {0.1 * static_cast<double>(k), NAN, 3.0};
    r.done = k != 1;
    r.failure = k == 1 ? "solver failed at t = 12 s" : "";
    if (k != 1) r.arrays = {{"Time [s]", "s", std::vector<double>(4 + k, 1.5 * static_cast<double>(k))}, {"Voltage/cell [V]", "V", {3.0, 3.1}}};
  }
  const auto path = write_batch_file(dir_, records, false);
  EXPECT_EQ(path.filename(), "batch-000007.h5");
  EXPECT_EQ(batch_first_id(path.filename().string()), std::optional<std::size_t>(7));
  EXPECT_EQ(read_batch_ids(path), (std::optional<std::vector<std::size_t>>{{7, 9, 11}}));
  const auto back = read_batch_file(path, true);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& a = records[k];
    const auto& b = (*back)[k];
    EXPECT_EQ(b.id, a.id);
    EXPECT_EQ(b.done, a.done);
    EXPECT_EQ(b.failure, a.failure);
    EXPECT_EQ(b.parameter_names, a.parameter_names);
    EXPECT_EQ(b.parameter_values, a.parameter_values);
    EXPECT_EQ(b.scalars[0], a.scalars[0]);
    EXPECT_TRUE(std::isnan(b.scalars[1]));
    ASSERT_EQ(b.arrays.size(), a.arrays.size());
    std::map<std::string, NamedArray> by_name;
    for (const auto& x : b.arrays) by_name[x.name] = x;
    for (const auto& x : a.arrays) {
      ASSERT_TRUE(by_name.count(x.name)) << x.name;
      EXPECT_EQ(by_name[x.name].values, x.values);
      EXPECT_EQ(by_name[x.name].unit, x.unit);
    }
  }
  // A second batch with the same smallest id cannot overwrite the first.
  EXPECT_EQ(write_batch_file(dir_, {records[0]}, false).filename(), "batch-000007-1.h5");
  // Not a batch file: nullopt, not a throw.
  std::ofstream(dir_ / "batch-000100.h5") << "not hdf5";
  EXPECT_FALSE(read_batch_file(dir_ / "batch-000100.h5"));
}

TEST_F(BatchStore, SameSummaryAndArraysAsOneFilePerCase) {
  const auto per_case = parse_sweep_spec(spec_text(1), "spec.toml");
  const auto batched = parse_sweep_spec(spec_text(5), "spec.toml");
  const auto a = run_sweep(per_case, options("a", 2));
  const auto b = run_sweep(batched, options("b", 2));
  ASSERT_TRUE(a.complete);
  ASSERT_TRUE(b.complete);
  EXPECT_EQ(slurp(dir_ / "a" / "summary.csv"), slurp(dir_ / "b" / "summary.csv"));
  // 12 cases, 2 threads, at most 5 per file: at least 3 files, each case in exactly one.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "b" / "cases")) files += is_batch_file(e.path().filename().string());
  EXPECT_GE(files, 3u);
  const auto held = holders(dir_ / "b" / "cases");
  ASSERT_EQ(held.size(), 12u);
  for (const auto& [id, n] : held) EXPECT_EQ(n, 1) << "case " << id;
  for (std::size_t id : {0u, 5u, 11u}) {
    const auto x = read_sweep_case(dir_ / "a", id), y = read_sweep_case(dir_ / "b", id);
    ASSERT_TRUE(x && y) << id;
    EXPECT_EQ(x->scalars, y->scalars);
    ASSERT_FALSE(x->arrays.empty());
    ASSERT_EQ(x->arrays.size(), y->arrays.size());
    std::map<std::string, std::vector<double>> ya;
    for (const auto& arr : y->arrays) ya[arr.name] = arr.values;
    for (const auto& arr : x->arrays) EXPECT_EQ(ya[arr.name], arr.values) << arr.name;
  }
  EXPECT_FALSE(read_sweep_case(dir_ / "b", 12));
  EXPECT_NE(slurp(dir_ / "b" / "manifest.json").find("\"cases_per_file\": 5"), std::string::npos);
}

TEST_F(BatchStore, StoppedAndResumedEveryCaseExactlyOnce) {
  const auto spec = parse_sweep_spec(spec_text(4), "spec.toml");
  auto o = options("r", 2);
  o.stop_after = 7;
  const auto first = run_sweep(spec, o);
  EXPECT_FALSE(first.complete);
  EXPECT_EQ(first.ran, 7u);
  EXPECT_EQ(holders(dir_ / "r" / "cases").size(), 7u);  // every case run is in a file, batches not full included
  // A kill while a batch was being written leaves a temporary file; resume removes it.
  std::ofstream(dir_ / "r" / "cases" / "batch-000003.h5.partial-1-0") << "half";
  o.stop_after = 0;
  o.resume = true;
  const auto second = run_sweep(spec, o);
  ASSERT_TRUE(second.complete);
  EXPECT_EQ(second.already_done, 7u);
  EXPECT_EQ(second.ran, 5u);
  EXPECT_EQ(second.scan.temporary, 1u);
  const auto held = holders(dir_ / "r" / "cases");
  ASSERT_EQ(held.size(), 12u);
  for (const auto& [id, n] : held) EXPECT_EQ(n, 1) << "case " << id;
  const auto whole = run_sweep(spec, options("w", 1));
  EXPECT_EQ(slurp(dir_ / "r" / "summary.csv"), slurp(dir_ / "w" / "summary.csv"));
}

TEST_F(BatchStore, InterruptWritesEveryFinishedCase) {
  const auto spec = parse_sweep_spec(spec_text(1000, 300), "spec.toml");  // nothing would be written before the end
  std::atomic<bool> stop{false};
  auto o = options("i", 2);
  o.interrupt = &stop;
  o.progress_interval_s = 0.001;
  o.progress = [&](const SweepProgress& p) {
    if (p.ran >= 3) stop = true;
  };
  const auto r = run_sweep(spec, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.complete);
  ASSERT_GE(r.ran, 3u);
  ASSERT_LT(r.ran, 300u);
  EXPECT_EQ(holders(dir_ / "i" / "cases").size(), r.ran);
  EXPECT_NE(slurp(dir_ / "i" / "manifest.json").find(fmt::format("\"done\": {}", r.ran)), std::string::npos);
  o.interrupt = nullptr;
  o.progress = nullptr;
  o.resume = true;
  const auto rest = run_sweep(spec, o);
  ASSERT_TRUE(rest.complete);
  EXPECT_EQ(rest.ran, 300u - r.ran);
  for (const auto& [id, n] : holders(dir_ / "i" / "cases")) EXPECT_EQ(n, 1) << "case " << id;
}

TEST_F(BatchStore, ABrokenBatchIsRedoneWhole) {
  const auto spec = parse_sweep_spec(spec_text(6), "spec.toml");
  auto o = options("x", 1);
  ASSERT_TRUE(run_sweep(spec, o).complete);
  const auto before = slurp(dir_ / "x" / "summary.csv");
  // Truncate the batch holding case 0: resume must drop it and run its cases again.
  const auto broken = dir_ / "x" / "cases" / batch_file_name(0);
  ASSERT_TRUE(fs::exists(broken));
  const auto held = read_batch_file(broken);
  ASSERT_TRUE(held);
  fs::resize_file(broken, fs::file_size(broken) / 2);
  fs::remove(dir_ / "x" / "summary.csv");
  o.resume = true;
  const auto r = run_sweep(spec, o);
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.scan.invalid, 1u);
  EXPECT_EQ(r.ran, held->size());
  EXPECT_EQ(slurp(dir_ / "x" / "summary.csv"), before);
}

TEST(BatchSpec, CasesPerFileOutOfRangeNamesTheField) {
  try {
    parse_sweep_spec(spec_text(0), "spec.toml");
    FAIL() << "accepted cases_per_file = 0";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("outputs.cases_per_file"), std::string::npos) << what;
    EXPECT_NE(what.find("spec.toml"), std::string::npos) << what;
  }
  EXPECT_EQ(parse_sweep_spec(spec_text(1), "spec.toml").cases_per_file, 1u);
  EXPECT_NE(parse_sweep_spec(spec_text(1), "s").hash, parse_sweep_spec(spec_text(2), "s").hash);
}

}  // namespace
}  // namespace solidcell::sweep
