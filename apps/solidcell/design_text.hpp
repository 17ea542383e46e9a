#pragma once
// Terminal rendering of design figures, shared by `design`, `compare` and `qualify`.
#include <string>
#include <vector>

#include "solidcell/cell/design.hpp"

namespace solidcell::cli {

std::string figures_table(const std::vector<const cell::DesignFigures*>& cells, bool with_ratio);
std::string breakdown_table(const cell::DesignFigures& f);

}  // namespace solidcell::cli
