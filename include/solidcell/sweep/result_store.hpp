#pragma once
// A sweep's output folder: cases/case-NNNNNN.h5 (case_file.hpp), manifest.json (the spec's hash, the cases
// and their status; rewritten atomically) and summary.csv (rebuilt from the case files once every case is
// in, so it always agrees with them). A fresh run refuses a folder that already holds a sweep; a resumed
// run checks the spec's hash, opens every case file, redoes those that fail to read, and runs only the
// cases without a file.
#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "solidcell/sweep/sampling.hpp"
#include "solidcell/sweep/study.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {

enum class CaseStatus : char { pending = '.', done = 'd', failed = 'f' };

struct ResumeScan {
  std::size_t valid = 0;      // case files kept
  std::size_t invalid = 0;    // unreadable or from another spec: removed, to be redone
  std::size_t temporary = 0;  // left by an interrupted write: removed
};

class SweepStore {
 public:
  // sync: syncfs() before each manifest write; sync_each_case: fsync each case file before its rename.
  SweepStore(const SweepSpec& spec, const Study& study, std::filesystem::path folder, bool sync = true, bool sync_each_case = false);

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path cases_folder() const { return folder_ / "cases"; }
  std::size_t size() const { return status_.size(); }

  // Fresh (resume = false): the folder must not hold a sweep; writes the manifest with every case pending.
  // Resume: reads the manifest (InputError when the spec's hash differs), validates the case files.
  // Returns the ids to run, in order.
  std::vector<std::size_t> prepare(bool resume, ResumeScan* scan = nullptr);

  // Runs one case with a thread's worker, writes its file and records its status. Thread-safe.
  CaseStatus run_case(StudyWorker& worker, const CaseSampler& sampler, std::size_t id);
  // Records the status of a case run elsewhere (another MPI rank). Thread-safe.
  void mark(std::size_t id, CaseStatus status, const std::string& failure = "");

  std::size_t count(CaseStatus s) const;
  bool complete() const { return count(CaseStatus::pending) == 0; }
  void write_manifest();
  // Reads every case file into summary.csv; needs every case in (complete()). Returns the rows written.
  std::size_t write_summary();

 private:
  const SweepSpec& spec_;
  std::vector<std::string> scalar_names_;
  std::vector<std::size_t> summary_columns_;  // indices into scalar_names_
  std::filesystem::path folder_;
  bool sync_;
  bool sync_each_case_;
  bool time_series_;
  mutable std::mutex mutex_;
  std::vector<CaseStatus> status_;
  std::map<std::size_t, std::string> failures_;
};

// Text of a CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);

}  // namespace solidcell::sweep
