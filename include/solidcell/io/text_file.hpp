#pragma once
// Writes an output file through a temporary file and a rename, so that a failed or interrupted run never
// leaves a file that looks complete. Creates the folder; problems become InputError naming the path.
#include <filesystem>
#include <string>

namespace solidcell::io {

void write_text_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace solidcell::io
