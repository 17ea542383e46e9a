#pragma once
// One HDF5 file per case (cases/case-000042.h5): the case's parameter values, its scalar results, its arrays
// (time series) and whether it ran or failed and why. Written to a temporary name in the same folder,
// flushed to disk and renamed, so that a file under the final name is always complete; a killed sweep
// leaves at most a temporary file, which the next run removes.
//
// Layout: attributes on "/": sweep, study, spec_hash, case, status ("done" or "failed"), failure,
// solidcell_version; datasets /parameters/names, /parameters/values, /scalars/names, /scalars/values and
// /arrays/<name> (attributes units and name: the array's name, which a dataset's name cannot always hold).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/sweep/study.hpp"

namespace solidcell::sweep {

struct CaseRecord {
  std::size_t id = 0;
  std::string sweep, study, spec_hash;
  bool done = true;      // false: failed, with `failure`
  std::string failure;
  std::vector<std::string> parameter_names;
  std::vector<double> parameter_values;
  std::vector<std::string> scalar_names;
  std::vector<double> scalars;
  std::vector<NamedArray> arrays;  // read back only when asked (read_case_file(path, true))
};

std::string case_file_name(std::size_t id);  // "case-000042.h5"
// The case id of a case file's name, or nullopt for any other name.
std::optional<std::size_t> case_id_of(const std::string& file_name);
bool is_temporary_case_file(const std::string& file_name);

// Writes atomically (temporary file, fsync when asked, rename). Throws std::runtime_error naming the file.
void write_case_file(const std::filesystem::path& folder, const CaseRecord& record, bool sync);
// The record (its arrays only when asked), or nullopt when the file cannot be read as a complete case file.
std::optional<CaseRecord> read_case_file(const std::filesystem::path& path, bool with_arrays = false);

}  // namespace solidcell::sweep
