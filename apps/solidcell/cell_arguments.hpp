#pragma once
// CELL arguments as users type them (a built-in name or a file), loaded with their design figures.
#include <filesystem>
#include <string>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::cli {

struct LoadedCell {
  cell::Cell cell;
  cell::DesignFigures figures;
  std::string origin;  // the file it was read from
  std::string hash;
};

LoadedCell load_cell_argument(const std::string& name_or_path);

std::string utc_timestamp();

}  // namespace solidcell::cli
