#pragma once
// Writes a Cell as a solidcell TOML cell file, materials included as [materials.NAME] tables, so that
// reading the text back gives the same Cell (and so the same design figures). The degradation tables the cell
// has ([negative.sei], [negative.plating], [*.active_material_loss], [degradation] with its ranges) are written
// too, with their sources, so a written cell ages as the original does.
#include <string>

#include "solidcell/cell/cell.hpp"

namespace solidcell::cell {

std::string write_cell_toml(const Cell& cell);

}  // namespace solidcell::cell
