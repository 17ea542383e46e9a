#pragma once
// Where the built-in data (materials, cells) lives: $SOLIDCELL_DATA_DIR, else the installed share folder
// next to the executable, else the source tree the binary was built from.
#include <filesystem>
#include <string>

namespace solidcell {

std::filesystem::path builtin_data_dir();

// A built-in data file by name (builtin_data_dir()/<folder>/<name>.toml) or, when the argument has a '/' or
// ends in .toml, the file itself. Throws InputError naming `what` and listing the built-ins when neither exists.
std::filesystem::path builtin_or_given_file(const std::string& name_or_path, const std::string& folder, const std::string& what);

}  // namespace solidcell
