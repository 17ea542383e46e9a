#pragma once
// A stable fingerprint of input files for output metadata (FNV-1a, 64 bit): the same bytes give the same
// hash on every platform and run. Not a security hash.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace solidcell {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);
std::string hex64(std::uint64_t value);
// Hash of a file's bytes; empty string when it cannot be read.
std::string file_hash(const std::filesystem::path& path);

}  // namespace solidcell
