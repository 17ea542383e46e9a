#pragma once
// Reading cell files (TOML; BPX JSON by extension) into a Cell, resolving material names against the
// built-in library and the file's own [materials.NAME] tables.
#include <filesystem>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "solidcell/cell/cell.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::cell {

Cell read_cell_toml(const toml::table& doc, const std::string& file, const materials::MaterialLibrary& library);
Cell read_cell_file(const std::filesystem::path& path, const materials::MaterialLibrary& library);

// Names of the cells in data/cells, sorted.
std::vector<std::string> builtin_cell_names();
std::filesystem::path builtin_cell_path(const std::string& name);

// CELL as users type it: an existing file path (.toml, or .json for BPX) or a built-in cell name.
Cell load_cell(const std::string& name_or_path, const materials::MaterialLibrary& library);
Cell load_cell(const std::string& name_or_path);  // with the built-in material library

}  // namespace solidcell::cell
