#pragma once
// Writes a Cell as a solidcell TOML cell file, materials included as [materials.NAME] tables, so that
// reading the text back gives the same Cell (and so the same design figures).
#include <string>

#include "solidcell/cell/cell.hpp"

namespace solidcell::cell {

std::string write_cell_toml(const Cell& cell);

}  // namespace solidcell::cell
