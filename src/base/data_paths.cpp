#include "solidcell/base/data_paths.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include "solidcell/base/input_error.hpp"
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

std::filesystem::path builtin_or_given_file(const std::string& name_or_path, const std::string& folder, const std::string& what) {
  std::filesystem::path path = name_or_path;
  const bool given = name_or_path.find('/') != std::string::npos || path.extension() == ".toml";
  if (!given) path = builtin_data_dir() / folder / (name_or_path + ".toml");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  std::string known;
  for (const auto& entry : std::filesystem::directory_iterator(builtin_data_dir() / folder, ec))
    if (entry.path().extension() == ".toml") known += (known.empty() ? "" : ", ") + entry.path().stem().string();
  throw InputError(InputLocation{"", 0, what}, name_or_path, "a file, or a built-in " + what + ": " + known);
}

}  // namespace solidcell
