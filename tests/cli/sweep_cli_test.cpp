// solidcell sweep as a user runs it: a sweep interrupted (--stop-after, and a real SIGKILL at any moment)
// and resumed ends with every case done exactly once and every file valid; 2 MPI ranks give the threaded
// run's results; a malformed spec is refused with file, line, field, value and what is allowed, before the sweep
// is announced.
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "cli/cli_fixture.hpp"
#include "solidcell/sweep/batch_file.hpp"

using namespace solidcell::cli_test;

namespace {

// cases_per_file > 1: batch files ([outputs] cases_per_file).
std::string spec(int samples, int cases_per_file = 1) {
  return R"([sweep]
name = "cli-sweep"
study = "experiment"
method = "latin_hypercube"
samples = )" + std::to_string(samples) +
         R"(
seed = 42

[study]
cell = "lgm50"
model = "dfn"
experiment = "Discharge at {current_A} A until 2.5 V"
isothermal = true
relative_tolerance = 1e-6

[[parameter]]
name = "Negative particle radius [m]"
low = 4.7e-6
high = 7.0e-6

[[parameter]]
name = "current_A"
low = 2.5
high = 10.0
)" + (cases_per_file > 1 ? "\n[outputs]\ncases_per_file = " + std::to_string(cases_per_file) + "\n" : std::string());
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every case id exactly once, each done, and as many case files as cases (or, batched, every case in exactly
// one batch file), none temporary.
void expect_complete(const fs::path& out, int cases, bool batched = false) {
  const auto rows = lines(slurp(out / "summary.csv"));
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(cases) + 1);
  std::set<int> ids;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ids.insert(std::stoi(rows[i]));
    EXPECT_NE(rows[i].find(",done,"), std::string::npos) << rows[i];
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(cases));
  EXPECT_EQ(*ids.rbegin(), cases - 1);
  int files = 0;
  std::multiset<std::size_t> held;
  for (const auto& e : fs::directory_iterator(out / "cases")) {
    const auto name = e.path().filename().string();
    EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
    ++files;
    if (batched) {
      const auto records = solidcell::sweep::read_batch_file(e.path());
      ASSERT_TRUE(records) << name;
      for (const auto& r : *records) held.insert(r.id);
    }
  }
  if (!batched) EXPECT_EQ(files, cases);
  if (batched) {
    EXPECT_LT(files, cases);
    EXPECT_EQ(held.size(), static_cast<std::size_t>(cases));
    for (int id = 0; id < cases; ++id) EXPECT_EQ(held.count(static_cast<std::size_t>(id)), 1u) << "case " << id;
  }
  EXPECT_NE(slurp(out / "manifest.json").find("\"complete\": true"), std::string::npos);
}

// The summary without its failure column's neighbours: case, status, parameters and results.
std::string results(const fs::path& out) { return slurp(out / "summary.csv"); }

// Starts `solidcell sweep ARGS` in `dir` in the background (stdout and stderr to files there); returns its pid.
pid_t start_sweep(const fs::path& dir, const std::string& args) {
  const std::string cmd = "cd '" + dir.string() + "' && exec '" SOLIDCELL_CLI "' sweep " + args + " </dev/null";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Waits until `cases` holds `n` result files, or 20 s, whatever the sweep got to.
void wait_for_files(const fs::path& cases, int n) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    std::error_code ec;
    int k = 0;
    for (const auto& e : fs::directory_iterator(cases, ec)) k += e.path().extension() == ".h5";
    if (k >= n) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

class SweepCli : public Cli {
 protected:
  // SIGKILL once `files` result files are in (any moment must do), then resume: every case exactly once, every
  // file valid, and a further resume runs nothing.
  void kill_and_resume(int cases, int cases_per_file, int files) {
    write("spec.toml", spec(cases, cases_per_file));
    const pid_t pid = start_sweep(dir_, "spec.toml -o out --threads 2 >run.log 2>&1");
    ASSERT_GT(pid, 0);
    wait_for_files(dir_ / "out" / "cases", files);
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    // Killed before the manifest was written, nothing was run: a fresh start is what the user does then.
    const bool started = fs::exists(dir_ / "out" / "manifest.json");
    auto resumed = run(std::string("sweep spec.toml -o out --threads 2 --json") + (started ? " --resume" : ""));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err << resumed.out;
    expect_complete(dir_ / "out", cases, cases_per_file > 1);
    auto check = run("sweep spec.toml -o out --resume --json");
    EXPECT_NE(check.out.find("\"ran\": 0"), std::string::npos) << check.out;
    EXPECT_NE(check.out.find("\"invalid_files_redone\": 0"), std::string::npos) << check.out;
  }
};

TEST_F(Cli, SweepStoppedAndResumedRunsEveryCaseOnce) {
  write("spec.toml", spec(24));
  auto first = run("sweep spec.toml -o out --threads 2 --stop-after 10 --no-fsync");
  EXPECT_EQ(first.exit_code, 3) << first.err;
  EXPECT_NE(first.out.find("--resume"), std::string::npos) << first.out;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "summary.csv"));

  auto fresh = run("sweep spec.toml -o out");
  EXPECT_EQ(fresh.exit_code, 2);
  EXPECT_NE(fresh.err.find("already holds a sweep"), std::string::npos) << fresh.err;

  auto second = run("sweep spec.toml -o out --threads 2 --resume --json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("\"already_done\": 10"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\"ran\": 14"), std::string::npos) << second.out;
  expect_complete(dir_ / "out", 24);

  auto reference = run("sweep spec.toml -o ref --threads 1 --no-fsync");
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_EQ(results(dir_ / "out"), results(dir_ / "ref"));

  auto third = run("sweep spec.toml -o out --resume --json");
  EXPECT_EQ(third.exit_code, 0);
  EXPECT_NE(third.out.find("\"ran\": 0"), std::string::npos) << third.out;
}

TEST_F(SweepCli, KilledAtAnyMomentResumesToValidFiles) { kill_and_resume(150, 1, 5); }

TEST_F(Cli, SweepOnTwoMpiRanksMatchesTheThreadedRun) {
#ifndef SOLIDCELL_TEST_MPIEXEC
  GTEST_SKIP() << "solidcell was built without MPI (SOLIDCELL_WITH_MPI=OFF): the 2-rank test needs mpirun and an MPI build";
#else
  write("spec.toml", spec(40));
  auto threaded = run("sweep spec.toml -o threads --threads 2 --no-fsync");
  ASSERT_EQ(threaded.exit_code, 0) << threaded.err;
  // OpenMPI refuses root without these; harmless elsewhere.
  const std::string mpirun = "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 '" SOLIDCELL_TEST_MPIEXEC "' -n 2 --oversubscribe";
  auto out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
  const std::string cmd = "cd '" + dir_.string() + "' && " + mpirun + " '" SOLIDCELL_CLI "' sweep spec.toml -o ranks --no-fsync >'" + out.string() +
                          "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(err) << slurp(out);
  EXPECT_NE(slurp(out).find("on 2 ranks"), std::string::npos) << slurp(out);
  expect_complete(dir_ / "ranks", 40);
  EXPECT_EQ(results(dir_ / "ranks"), results(dir_ / "threads"));

  // Batches on 2 ranks: each rank writes its own, the results are the same.
  write("batched.toml", spec(40, 8));
  const std::string batched = "cd '" + dir_.string() + "' && " + mpirun + " '" SOLIDCELL_CLI "' sweep batched.toml -o ranks-batched --no-fsync >'" +
                              out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int bstatus = std::system(batched.c_str());
  ASSERT_TRUE(WIFEXITED(bstatus) && WEXITSTATUS(bstatus) == 0) << slurp(err) << slurp(out);
  expect_complete(dir_ / "ranks-batched", 40, true);
  EXPECT_EQ(results(dir_ / "ranks-batched"), results(dir_ / "threads"));
#endif
}

// Ctrl-C (SIGINT) on a batched sweep: no new cases, every finished one written before the exit (code 3), and
// --resume runs exactly the rest.
TEST_F(Cli, SweepInterruptedBySigintKeepsEveryFinishedCase) {
  write("spec.toml", spec(600, 1000));
  const pid_t pid = start_sweep(dir_, "spec.toml -o out --threads 2 --json >run.json 2>run.err");
  ASSERT_GT(pid, 0);
  // Once the sweep has started (its manifest is written), let it run a moment: cases are then waiting in memory.
  const auto start = std::chrono::steady_clock::now();
  while (!fs::exists(dir_ / "out" / "manifest.json") && std::chrono::steady_clock::now() - start < std::chrono::seconds(20))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping: " << slurp(dir_ / "run.err");
  const auto report = slurp(dir_ / "run.json");
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the sweep finished before the signal (a very fast machine): " << report;
  ASSERT_EQ(WEXITSTATUS(status), 3) << report << slurp(dir_ / "run.err");
  EXPECT_NE(report.find("\"interrupted\": true"), std::string::npos) << report;
  std::size_t in_files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "out" / "cases")) {
    const auto records = solidcell::sweep::read_batch_file(e.path());
    ASSERT_TRUE(records) << e.path();
    in_files += records->size();
  }
  const auto ran_at = report.find("\"ran\": ");
  ASSERT_NE(ran_at, std::string::npos) << report;
  const auto ran = std::stoul(report.substr(ran_at + 7));
  EXPECT_GT(ran, 0u);
  EXPECT_EQ(in_files, ran);  // nothing that finished was lost

  auto resumed = run("sweep spec.toml -o out --threads 2 --resume --json");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("\"ran\": " + std::to_string(600 - ran)), std::string::npos) << resumed.out;
  expect_complete(dir_ / "out", 600, true);
}

// SIGKILL cannot be caught: a batched sweep killed at any moment keeps valid files, and --resume completes it.
TEST_F(SweepCli, BatchedKilledAtAnyMomentResumesToValidFiles) { kill_and_resume(150, 10, 2); }

TEST_F(Cli, SweepMalformedSpecNamesFileLineFieldValueAndAllowed) {
  auto text = spec(10);
  text.replace(text.find("method = \"latin_hypercube\""), 26, "method = \"latin\"");
  write("bad.toml", text);
  auto r = run("sweep bad.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:4: sweep.method = \"latin\": must be one of"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"monte_carlo\""), std::string::npos) << r.err;

  text = spec(10);
  text.replace(text.find("name = \"current_A\""), 18, "name = \"current\"");
  write("bad2.toml", text);
  r = run("sweep bad2.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad2.toml:21: parameter[1].name = \"current\": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("placeholder"), std::string::npos) << r.err;
  // The study's parameters are checked before the sweep is announced: only the error is printed.
  EXPECT_EQ(r.out.find("sweep cli-sweep:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cases"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "cli-sweep-sweep"));

  // A parameter name the study does not know at all: the same, with the file and the field.
  text = spec(10);
  text.replace(text.find("name = \"Negative particle radius [m]\""), 37, "name = \"Negative particle radios [m]\"");
  write("bad3.toml", text);
  r = run("sweep bad3.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad3.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("parameter[0].name = \"Negative particle radios [m]\""), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("sweep cli-sweep:"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
}
