#pragma once
// Many cases per HDF5 file (a spec's [outputs] cases_per_file > 1): cases/batch-000042.h5, named after the
// smallest case id it holds, written atomically like a case file (temporary name, rename). Creating a file
// costs far more than filling it (bench/README.md, "Sweeps"), so sweeps of fast cases batch them.
//
// Layout, column-wise with one row per case: attributes on "/": format ("solidcell sweep batch 1"), sweep,
// study, spec_hash, solidcell_version; /cases/ids (int64), /cases/status ("done" or "failed"),
// /cases/failure; /parameters/names and /parameters/values (cases x parameters); /scalars/names and
// /scalars/values (cases x scalars); per array /arrays/<name>/values (every case's values one after the
// other; attributes units and name) and /arrays/<name>/offsets (cases + 1: case k's values are
// values[offsets[k]:offsets[k+1]]; empty for a case without that array).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/sweep/case_file.hpp"

namespace solidcell::sweep {

std::string batch_file_name(std::size_t first_id);  // "batch-000042.h5"
bool is_batch_file(const std::string& file_name);   // complete ones only
// The smallest case id of a batch file's name ("batch-000042.h5", "batch-000042-1.h5"), or nullopt.
std::optional<std::size_t> batch_first_id(const std::string& file_name);
bool is_temporary_batch_file(const std::string& file_name);

// Writes the records (of one sweep) into a new batch file in `folder`, with the sweep's names, hash and the
// parameter and scalar names of the first record (the others' are not read); returns its path. Throws std::runtime_error naming the file.
std::filesystem::path write_batch_file(const std::filesystem::path& folder, const std::vector<CaseRecord>& records, bool sync);
// The case ids a batch file holds (its /cases/ids alone), or nullopt when it cannot be read.
std::optional<std::vector<std::size_t>> read_batch_ids(const std::filesystem::path& path);
// Every record (their arrays only when asked), or nullopt when the file cannot be read as a complete batch file.
std::optional<std::vector<CaseRecord>> read_batch_file(const std::filesystem::path& path, bool with_arrays = false);

}  // namespace solidcell::sweep
