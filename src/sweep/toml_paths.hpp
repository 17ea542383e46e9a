#pragma once
// Numeric keys of a TOML document by dotted path ("positive.thickness_um", "road_load.drag_coefficient"):
// how a sweep sets a value in a cell, pack or vehicle file before the file's own reader checks it
// (private to src/sweep).
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace solidcell::sweep {

bool has_toml_number(const toml::table& doc, const std::string& path);
std::vector<std::string> toml_number_paths(const toml::table& doc);
// Sets the number at `path`; an integer key takes only whole numbers. InputError naming `file` and the path.
void set_toml_number(toml::table& doc, const std::string& path, double value, const std::string& file);

}  // namespace solidcell::sweep
