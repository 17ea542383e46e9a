#pragma once
// What the sweep tests share: a fresh folder per test (removed after it) and run options into a sub-folder of
// it, without syncing (the tests check files, not durability).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "solidcell/sweep/sweep_runner.hpp"

namespace solidcell::sweep::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SweepFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("solidcell_sweep_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  SweepOptions options(const std::string& sub, int threads) const {
    SweepOptions o;
    o.output = (dir_ / sub).string();
    o.threads = threads;
    o.sync = false;
    return o;
  }
  std::filesystem::path dir_;
};

}  // namespace solidcell::sweep::testing
