#include "cell_arguments.hpp"

#include <chrono>
#include <fstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "solidcell/base/content_hash.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"

namespace solidcell::cli {

LoadedCell load_cell_argument(const std::string& name_or_path) {
  LoadedCell out;
  std::error_code ec;
  std::filesystem::path origin = std::filesystem::is_regular_file(name_or_path, ec) ? std::filesystem::path(name_or_path)
                                                                                  : cell::builtin_cell_path(name_or_path);
  out.cell = cell::load_cell(name_or_path);
  out.origin = origin.string();
  out.hash = file_hash(origin);
  out.figures = cell::compute_design(out.cell, out.origin);
  return out;
}


std::string utc_timestamp() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

}  // namespace solidcell::cli
