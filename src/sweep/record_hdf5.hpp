#pragma once
// The HDF5 calls the sweep's result files share (case_file.cpp: one case per file; batch_file.cpp: many):
// a writer that builds a small file in memory (HDF5's core driver) and writes it out in one go when closed,
// and readers that answer nullopt for anything missing or malformed (a broken file is an answer when
// resuming, not an error). Private to src/sweep. Callers hold hdf5_lock() around every use.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/sweep/study.hpp"

namespace solidcell::sweep::detail {

// HDF5 builds without thread safety exist; one lock keeps every build correct.
std::mutex& hdf5_lock();

// ".partial-PID-N": the temporary name's marker; the file is renamed to its final name once complete.
inline constexpr const char* temporary_marker = ".partial-";

// Dataset names cannot hold "/" (it separates groups); "." alone is also reserved.
std::string dataset_name(const std::string& name);

class RecordWriter {
 public:
  // expected_bytes: about what the file will hold; the in-memory image grows in steps of at least that
  // (growing a large image in small steps would copy it over and over).
  explicit RecordWriter(const std::filesystem::path& path, std::size_t expected_bytes = 64 * 1024);
  ~RecordWriter();
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;
  void close();  // writes the file; throws on failure
  void attribute(const char* name, const std::string& value);
  void attribute(const std::string& object, const char* name, const std::string& value);
  void group(const std::string& path);
  void doubles(const std::string& path, const std::vector<double>& v, const std::string& units = "");
  void matrix(const std::string& path, const std::vector<double>& row_major, std::size_t rows, std::size_t cols);
  void integers(const std::string& path, const std::vector<std::int64_t>& v);
  void strings(const std::string& path, const std::vector<std::string>& v);

 private:
  void attribute_on(hid_t object, const char* name, const std::string& value);
  void check(herr_t st, const std::string& what) const;
  std::string path_;
  hid_t file_ = -1;
};

// Writes a result file atomically: `fill` builds it in memory under a temporary name in the same folder
// (holding hdf5_lock()), then it is written, fsynced when `sync`, and renamed to `final_path`. On any failure
// the temporary file is removed and std::runtime_error (or what `fill` threw) propagates.
void write_result_file(const std::filesystem::path& final_path, std::size_t expected_bytes, bool sync,
                       const std::function<void(RecordWriter&)>& fill);

// Opens read-only, or nullopt when the file is not HDF5 or cannot be opened. Close with H5Fclose.
std::optional<hid_t> open_for_reading(const std::filesystem::path& path);
std::optional<std::string> read_string_attribute(hid_t file, const char* object, const char* name);
std::optional<std::vector<double>> read_doubles(hid_t file, const std::string& path);
std::optional<std::vector<std::int64_t>> read_integers(hid_t file, const std::string& path);
std::optional<std::vector<std::string>> read_strings(hid_t file, const std::string& path);
// The names of a group's members (in name order), or nullopt when the group is missing.
std::optional<std::vector<std::string>> member_names(hid_t file, const std::string& group);

}  // namespace solidcell::sweep::detail
