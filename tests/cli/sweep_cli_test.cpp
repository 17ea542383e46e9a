// solidcell sweep as a user runs it: a sweep interrupted (--stop-after, and a real SIGKILL at any moment)
// and resumed ends with every case done exactly once and every file valid; 2 MPI ranks give the threaded
// run's results; a malformed spec is refused with file, line, field, value and what is allowed, before the sweep
// is announced.
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "cli/cli_fixture.hpp"

using namespace solidcell::cli_test;

namespace {

std::string spec(int samples) {
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
)";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every case id exactly once, each done, and as many case files as cases, none temporary.
void expect_complete(const fs::path& out, int cases) {
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
  for (const auto& e : fs::directory_iterator(out / "cases")) {
    const auto name = e.path().filename().string();
    EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
    ++files;
  }
  EXPECT_EQ(files, cases);
  EXPECT_NE(slurp(out / "manifest.json").find("\"complete\": true"), std::string::npos);
}

// The summary without its failure column's neighbours: case, status, parameters and results.
std::string results(const fs::path& out) { return slurp(out / "summary.csv"); }

}  // namespace

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

TEST_F(Cli, SweepKilledAtAnyMomentResumesToValidFiles) {
  write("spec.toml", spec(150));
  const std::string cmd = "cd '" + dir_.string() + "' && exec '" SOLIDCELL_CLI "' sweep spec.toml -o out --threads 2 >run.log 2>&1 </dev/null";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill once a few case files are in (or after a while, whatever the sweep got to): any moment must do.
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    std::error_code ec;
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "out" / "cases", ec)) n += e.path().extension() == ".h5";
    if (n >= 5) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);

  // Killed before the manifest was written, nothing was run: a fresh start is what the user does then.
  const bool started = fs::exists(dir_ / "out" / "manifest.json");
  auto resumed = run(std::string("sweep spec.toml -o out --threads 2 --json") + (started ? " --resume" : ""));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err << resumed.out;
  expect_complete(dir_ / "out", 150);
  // Every file opens: a further resume finds all 150 valid and runs nothing.
  auto check = run("sweep spec.toml -o out --resume --json");
  EXPECT_NE(check.out.find("\"ran\": 0"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("\"invalid_files_redone\": 0"), std::string::npos) << check.out;
}

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
#endif
}

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
