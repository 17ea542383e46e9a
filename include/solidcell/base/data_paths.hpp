#pragma once
// Where the built-in data (materials, cells) lives: $SOLIDCELL_DATA_DIR, else the installed share folder
// next to the executable, else the source tree the binary was built from.
#include <filesystem>

namespace solidcell {

std::filesystem::path builtin_data_dir();

}  // namespace solidcell
