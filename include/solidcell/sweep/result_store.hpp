#pragma once
// A sweep's output folder: cases/case-NNNNNN.h5 (case_file.hpp), or with [outputs] cases_per_file > 1
// cases/batch-NNNNNN.h5 (batch_file.hpp), manifest.json (the spec's hash, the cases and their status;
// rewritten atomically) and summary.csv (rebuilt from the result files once every case is in, so it always
// agrees with them). A fresh run refuses a folder that already holds a sweep; a resumed run checks the
// spec's hash, opens every result file, redoes the cases of those that fail to read, and runs only the
// cases in no file.
//
// Batches: each worker thread has a slot (open_slot()) that collects its finished cases; the slot is
// written as one batch file when it holds cases_per_file cases, or earlier when the coordinating thread
// calls flush_all() (at each manifest checkpoint, every 2 s, and at the end). A case counts as done only
// once its file is in place, so a killed sweep loses at most the cases of the last checkpoint interval.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "solidcell/sweep/case_file.hpp"
#include "solidcell/sweep/sampling.hpp"
#include "solidcell/sweep/study.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {

enum class CaseStatus : char { pending = '.', done = 'd', failed = 'f' };

struct ResumeScan {
  std::size_t valid = 0;      // cases kept (in valid result files)
  std::size_t invalid = 0;    // result files unreadable or from another spec: removed, their cases redone
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

  std::size_t cases_per_file() const { return cases_per_file_; }
  // A slot for one worker thread's finished cases (batches only; with one case per file it is unused).
  std::size_t open_slot();
  // Runs one case with a thread's worker and writes its file (or adds it to the slot's batch, writing the
  // batch when full). Returns the case's status. Thread-safe; one thread per slot.
  CaseStatus run_case(StudyWorker& worker, const CaseSampler& sampler, std::size_t id, std::size_t slot = 0);
  // Writes every slot's waiting cases. Thread-safe; throws when a file cannot be written.
  void flush_all();
  // The cases whose files were put in place since the last call, as (id, status): what an MPI rank reports.
  // Kept only after keep_written() (a threaded run reads its statuses from the store and never asks).
  void keep_written() { keep_written_ = true; }
  std::vector<std::pair<std::size_t, CaseStatus>> take_written();
  // Records the status of a case run elsewhere (another MPI rank). Thread-safe.
  void mark(std::size_t id, CaseStatus status, const std::string& failure = "");

  std::size_t count(CaseStatus s) const;
  bool complete() const { return count(CaseStatus::pending) == 0; }
  void write_manifest();
  // Reads every result file into summary.csv; needs every case in (complete()). Returns the rows written.
  std::size_t write_summary();

 private:
  struct Slot {
    std::mutex mutex;
    std::vector<CaseRecord> waiting;
  };
  void flush(Slot& slot);
  void describe(CaseRecord& r) const;  // the sweep's names and hash, which a waiting case does without
  void written(const std::vector<CaseRecord>& records);

  const SweepSpec& spec_;
  std::vector<std::string> scalar_names_;
  std::vector<std::size_t> summary_columns_;  // indices into scalar_names_
  std::filesystem::path folder_;
  bool sync_;
  bool sync_each_case_;
  bool time_series_;
  std::size_t cases_per_file_;
  mutable std::mutex mutex_;
  std::vector<CaseStatus> status_;
  std::map<std::size_t, std::string> failures_;
  bool keep_written_ = false;
  std::vector<std::pair<std::size_t, CaseStatus>> written_;  // since take_written()
  std::mutex slots_mutex_;
  std::vector<std::unique_ptr<Slot>> slots_;
};

// One case of a sweep's output folder, from its case file or the batch file that holds it, with its arrays;
// nullopt when no valid file holds it.
std::optional<CaseRecord> read_sweep_case(const std::filesystem::path& folder, std::size_t id);

// Text of a CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);

}  // namespace solidcell::sweep
