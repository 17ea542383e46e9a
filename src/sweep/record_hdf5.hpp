#pragma once
// The HDF5 calls the sweep's result files share (case_file.cpp: one case per file; batch_file.cpp: many):
// an atomic write through io::Hdf5File built in memory, and readers that answer nullopt for anything missing or malformed (a broken file is an answer when
// resuming, not an error). Private to src/sweep. Callers hold hdf5_lock() around every use.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/io/hdf5_file.hpp"
#include "solidcell/sweep/study.hpp"

namespace solidcell::sweep::detail {

// HDF5 builds without thread safety exist; one lock keeps every build correct.
std::mutex& hdf5_lock();

// ".partial-PID-N": the temporary name's marker; the file is renamed to its final name once complete.
inline constexpr const char* temporary_marker = ".partial-";

// Dataset names cannot hold "/" (it separates groups); "." alone is also reserved.
std::string dataset_name(const std::string& name);

// Writes a result file atomically: `fill` builds it in memory under a temporary name in the same folder
// (holding hdf5_lock()), then it is written, fsynced when `sync`, and renamed to `final_path`. On any failure
// the temporary file is removed and std::runtime_error (or what `fill` threw) propagates.
void write_result_file(const std::filesystem::path& final_path, std::size_t expected_bytes, bool sync,
                       const std::function<void(io::Hdf5File&)>& fill);

// Opens read-only, or nullopt when the file is not HDF5 or cannot be opened. Close with H5Fclose.
std::optional<hid_t> open_for_reading(const std::filesystem::path& path);
std::optional<std::string> read_string_attribute(hid_t file, const char* object, const char* name);
std::optional<std::vector<double>> read_doubles(hid_t file, const std::string& path);
std::optional<std::vector<std::int64_t>> read_integers(hid_t file, const std::string& path);
std::optional<std::vector<std::string>> read_strings(hid_t file, const std::string& path);
// The names of a group's members (in name order), or nullopt when the group is missing.
std::optional<std::vector<std::string>> member_names(hid_t file, const std::string& group);

}  // namespace solidcell::sweep::detail
