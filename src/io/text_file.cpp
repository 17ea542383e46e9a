#include "solidcell/io/text_file.hpp"

#include <fstream>

#include "solidcell/base/input_error.hpp"

namespace solidcell::io {

void write_text_file_atomically(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw InputError(InputLocation{path.parent_path().string(), 0, ""}, "", "cannot create the output folder: " + ec.message());
  auto tmp = path;
  tmp += ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(InputLocation{path.string(), 0, ""}, "", "cannot open the output file for writing");
    out << content;
    out.close();
    if (!out) throw InputError(InputLocation{path.string(), 0, ""}, "", "writing the output file failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InputError(InputLocation{path.string(), 0, ""}, "", "cannot move the finished file into place: " + ec.message());
}

}  // namespace solidcell::io
