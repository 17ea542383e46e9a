#pragma once
// The reference speed traces of the shared data folder (../shared/data/drive-cycles next to the repository);
// the repository does not copy them, so tests that need them skip where the folder is absent.
#include <filesystem>
#include <string>

namespace solidcell::vehicle::test {

inline std::filesystem::path shared_cycles_dir() {
  return std::filesystem::path(SOLIDCELL_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "data" / "drive-cycles";
}

inline bool have_shared_cycle(const std::string& file) { return std::filesystem::is_regular_file(shared_cycles_dir() / file); }

inline std::string shared_cycle(const std::string& file) { return (shared_cycles_dir() / file).string(); }

}  // namespace solidcell::vehicle::test
