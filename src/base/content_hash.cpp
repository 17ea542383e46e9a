#include "solidcell/base/content_hash.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace solidcell {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex64(std::uint64_t value) { return fmt::format("{:016x}", value); }

std::string file_hash(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return hex64(fnv1a64(ss.str()));
}

}  // namespace solidcell
