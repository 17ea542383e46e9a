#pragma once
// The fixture every CLI test file shares: runs the solidcell binary as a user would, in a fresh folder per
// test, and returns its exit code and output.
#include <sys/wait.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace solidcell::cli_test {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("solidcell_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs in the test's own folder, so relative output paths land there.
  CliRun run(const std::string& args) {
    auto out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    std::string cmd = "cd '" + dir_.string() + "' && '" SOLIDCELL_CLI "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    int status = std::system(cmd.c_str());
    CliRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  fs::path write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  fs::path dir_;
};

inline const std::string data = SOLIDCELL_TEST_DATA_DIR;

}  // namespace solidcell::cli_test
