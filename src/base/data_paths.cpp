#include "solidcell/base/data_paths.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include "solidcell/base/version_info.hpp"

namespace solidcell {
namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : exe.parent_path();
}

bool looks_like_data_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p / "materials", ec) && std::filesystem::is_directory(p / "cells", ec);
}

}  // namespace

std::filesystem::path builtin_data_dir() {
  if (const char* env = std::getenv("SOLIDCELL_DATA_DIR"); env && *env) return env;
  if (auto exe = executable_dir(); !exe.empty()) {
    auto installed = exe.parent_path() / build_info::install_data_suffix;
    if (looks_like_data_dir(installed)) return installed;
  }
  return build_info::source_data_dir;
}

}  // namespace solidcell
