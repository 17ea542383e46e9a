#include "solidcell/sweep/result_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/sweep/batch_file.hpp"
#include "solidcell/sweep/case_file.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;

namespace {

std::string utc_now() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

// Everything written so far to the folder's file system (the case files and their renames) reaches the disk.
void sync_file_system(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

SweepStore::SweepStore(const SweepSpec& spec, const Study& study, fs::path folder, bool sync, bool sync_each_case)
    : spec_(spec), scalar_names_(study.scalar_names()), folder_(std::move(folder)), sync_(sync), sync_each_case_(sync && sync_each_case),
      time_series_(spec.time_series), cases_per_file_(std::max<std::size_t>(1, spec.cases_per_file)),
      status_(spec.case_count(), CaseStatus::pending) {
  for (std::size_t i = 0; i < scalar_names_.size(); ++i) {
    bool wanted = spec.summary_outputs.empty();
    for (const auto& s : spec.summary_outputs) wanted = wanted || s == scalar_names_[i];
    if (wanted) summary_columns_.push_back(i);
  }
}

std::vector<std::size_t> SweepStore::prepare(bool resume, ResumeScan* scan) {
  const auto manifest = folder_ / "manifest.json";
  std::error_code ec;
  ResumeScan local;
  if (!resume) {
    if (fs::exists(manifest, ec) || (fs::is_directory(cases_folder(), ec) && !fs::is_empty(cases_folder(), ec)))
      throw InputError(InputLocation{folder_.string(), 0, "output"}, "",
                       "the folder already holds a sweep: finish it with --resume, or choose another output folder");
    fs::create_directories(cases_folder(), ec);
    if (ec) throw InputError(InputLocation{folder_.string(), 0, "output"}, "", "cannot create the output folder: " + ec.message());
  } else {
    if (!fs::exists(manifest, ec))
      throw InputError(InputLocation{manifest.string(), 0, ""}, "", "--resume needs the manifest of an earlier run of this spec in the output folder");
    std::ifstream in(manifest);
    nlohmann::json j;
    try {
      in >> j;
    } catch (const std::exception&) {
      throw InputError(InputLocation{manifest.string(), 0, ""}, "", "not a readable sweep manifest (JSON)");
    }
    const auto theirs = j.value("spec_hash", std::string());
    if (theirs != spec_.hash)
      throw InputError(InputLocation{manifest.string(), 0, "spec_hash"}, "\"" + theirs + "\"",
                       fmt::format("the spec's hash \"{}\": {} changed since this sweep started (only [sweep] name, description and output may "
                                   "change); run it into a new output folder",
                                   spec_.hash, spec_.file));
    fs::create_directories(cases_folder(), ec);
    std::vector<fs::path> batches;
    for (const auto& entry : fs::directory_iterator(cases_folder(), ec)) {
      const auto name = entry.path().filename().string();
      if (is_temporary_case_file(name) || is_temporary_batch_file(name)) {
        fs::remove(entry.path(), ec);
        ++local.temporary;
        continue;
      }
      if (is_batch_file(name)) {
        batches.push_back(entry.path());
        continue;
      }
      const auto id = case_id_of(name);
      if (!id) continue;
      const auto r = read_case_file(entry.path());
      const bool valid = *id < status_.size() && r && r->id == *id && r->spec_hash == spec_.hash && r->scalar_names == scalar_names_ &&
                         r->parameter_values.size() == spec_.parameters.size() && status_[*id] == CaseStatus::pending;
      if (!valid) {
        fs::remove(entry.path(), ec);
        ++local.invalid;
        continue;
      }
      ++local.valid;
      status_[*id] = r->done ? CaseStatus::done : CaseStatus::failed;
      if (!r->done) failures_[*id] = r->failure;
    }
    // A batch is kept or redone whole: one bad or foreign row, or a case another file already holds, and
    // its file goes (its cases run again).
    std::sort(batches.begin(), batches.end());
    for (const auto& path : batches) {
      const auto records = read_batch_file(path);
      bool valid = records.has_value();
      std::set<std::size_t> ids;
      for (const auto& r : records.value_or(std::vector<CaseRecord>{}))
        valid = valid && r.id < status_.size() && r.spec_hash == spec_.hash && r.scalar_names == scalar_names_ &&
                r.parameter_values.size() == spec_.parameters.size() && status_[r.id] == CaseStatus::pending && ids.insert(r.id).second;
      if (!valid) {
        fs::remove(path, ec);
        ++local.invalid;
        continue;
      }
      local.valid += records->size();
      for (const auto& r : *records) {
        status_[r.id] = r.done ? CaseStatus::done : CaseStatus::failed;
        if (!r.done) failures_[r.id] = r.failure;
      }
    }
  }
  write_manifest();
  if (scan) *scan = local;
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i] == CaseStatus::pending) todo.push_back(i);
  return todo;
}

std::size_t SweepStore::open_slot() {
  std::lock_guard lock(slots_mutex_);
  slots_.push_back(std::make_unique<Slot>());
  return slots_.size() - 1;
}

CaseStatus SweepStore::run_case(StudyWorker& worker, const CaseSampler& sampler, std::size_t id, std::size_t slot) {
  CaseRecord r;
  r.id = id;
  r.parameter_values = sampler.values(id);
  auto outcome = run_case_safely(worker, r.parameter_values, scalar_names_.size());
  r.done = outcome.failure.empty();
  r.failure = std::move(outcome.failure);
  r.scalars = std::move(outcome.scalars);
  if (time_series_) r.arrays = std::move(outcome.arrays);
  const auto status = r.done ? CaseStatus::done : CaseStatus::failed;
  if (cases_per_file_ == 1) {
    describe(r);
    write_case_file(cases_folder(), r, sync_each_case_);
    written({r});
    return status;
  }
  Slot* s = nullptr;
  {
    std::lock_guard lock(slots_mutex_);
    s = slots_.at(slot).get();
  }
  bool full = false;
  {
    std::lock_guard lock(s->mutex);
    s->waiting.push_back(std::move(r));
    full = s->waiting.size() >= cases_per_file_;
  }
  if (full) flush(*s);
  return status;
}

void SweepStore::flush(Slot& slot) {
  std::vector<CaseRecord> records;
  {
    std::lock_guard lock(slot.mutex);
    records.swap(slot.waiting);
  }
  if (records.empty()) return;
  describe(records.front());  // a batch file takes the sweep's names from its first record
  write_batch_file(cases_folder(), records, sync_each_case_);
  written(records);
}

void SweepStore::describe(CaseRecord& r) const {
  r.sweep = spec_.name;
  r.study = spec_.study;
  r.spec_hash = spec_.hash;
  r.parameter_names.clear();
  for (const auto& p : spec_.parameters) r.parameter_names.push_back(p.name);
  r.scalar_names = scalar_names_;
}

void SweepStore::flush_all() {
  std::vector<Slot*> all;
  {
    std::lock_guard lock(slots_mutex_);
    for (auto& s : slots_) all.push_back(s.get());
  }
  for (auto* s : all) flush(*s);
}

void SweepStore::written(const std::vector<CaseRecord>& records) {
  std::lock_guard lock(mutex_);
  for (const auto& r : records) {
    const auto status = r.done ? CaseStatus::done : CaseStatus::failed;
    status_.at(r.id) = status;
    if (!r.done) failures_[r.id] = r.failure;
    if (keep_written_) written_.emplace_back(r.id, status);
  }
}

std::vector<std::pair<std::size_t, CaseStatus>> SweepStore::take_written() {
  std::lock_guard lock(mutex_);
  return std::exchange(written_, {});
}

void SweepStore::mark(std::size_t id, CaseStatus status, const std::string& failure) {
  std::lock_guard lock(mutex_);
  status_.at(id) = status;
  if (status == CaseStatus::failed) failures_[id] = failure;
}

std::size_t SweepStore::count(CaseStatus s) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto x : status_) n += x == s;
  return n;
}

void SweepStore::write_manifest() {
  nlohmann::json j;
  j["format"] = "solidcell sweep manifest 1";
  j["sweep"] = spec_.name;
  j["study"] = spec_.study;
  j["method"] = to_string(spec_.method);
  j["seed"] = spec_.seed;
  j["spec_file"] = spec_.file;
  j["spec_hash"] = spec_.hash;
  j["solidcell_version"] = build_info::version;
  j["git_sha"] = build_info::git_sha;
  j["updated"] = utc_now();
  auto params = nlohmann::json::array();
  for (const auto& p : spec_.parameters) {
    nlohmann::json q{{"name", p.name}};
    if (spec_.method == Method::grid) q["values"] = p.values;
    else {
      q["low"] = p.low;
      q["high"] = p.high;
      q["distribution"] = to_string(p.distribution);
    }
    if (!p.source.empty()) q["source"] = p.source;
    params.push_back(q);
  }
  j["parameters"] = params;
  j["scalars"] = scalar_names_;
  j["case_file"] = cases_per_file_ == 1 ? "cases/case-NNNNNN.h5 (case id, 6 digits at least)"
                                        : fmt::format("cases/batch-NNNNNN.h5 (up to {} cases each, named after the smallest case id in it)", cases_per_file_);
  j["cases_per_file"] = cases_per_file_;
  {
    std::lock_guard lock(mutex_);
    std::size_t done = 0, failed = 0;
    std::string status(status_.size(), '.');
    for (std::size_t i = 0; i < status_.size(); ++i) {
      status[i] = static_cast<char>(status_[i]);
      done += status_[i] == CaseStatus::done;
      failed += status_[i] == CaseStatus::failed;
    }
    j["cases"] = status_.size();
    j["done"] = done;
    j["failed"] = failed;
    j["pending"] = status_.size() - done - failed;
    j["complete"] = done + failed == status_.size();
    j["status"] = status;  // one character per case id: d done, f failed, . pending
    auto f = nlohmann::json::object();
    for (const auto& [id, why] : failures_) f[std::to_string(id)] = why;
    j["failures"] = f;
  }
  if (sync_) sync_file_system(cases_folder());  // the case files the manifest counts are on disk before it
  io::write_text_file_atomically(folder_ / "manifest.json", j.dump(1) + "\n");
}

std::size_t SweepStore::write_summary() {
  std::ostringstream os;
  os << "case,status";
  for (const auto& p : spec_.parameters) os << ',' << csv_field(p.name);
  for (auto i : summary_columns_) os << ',' << csv_field(scalar_names_[i]);
  os << ",failure\n";
  // What a row needs of each case (not the names every record carries: a sweep may hold millions of cases).
  struct Row {
    bool done = false;
    std::string failure;
    std::vector<double> parameters, scalars;
  };
  std::vector<std::optional<Row>> cases(status_.size());
  auto take = [&](CaseRecord&& r, const fs::path& file) {
    if (r.id >= cases.size() || r.spec_hash != spec_.hash || r.scalars.size() != scalar_names_.size())
      throw std::runtime_error("a result file does not belong to this sweep while writing the summary: " + file.string());
    cases[r.id] = Row{r.done, std::move(r.failure), std::move(r.parameter_values), std::move(r.scalars)};
  };
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cases_folder(), ec)) {
    const auto name = entry.path().filename().string();
    if (is_batch_file(name)) {
      auto records = read_batch_file(entry.path());
      if (!records) throw std::runtime_error("batch file unreadable while writing the summary: " + entry.path().string());
      for (auto& r : *records) take(std::move(r), entry.path());
    } else if (case_id_of(name)) {
      auto r = read_case_file(entry.path());
      if (!r) throw std::runtime_error("case file unreadable while writing the summary: " + entry.path().string());
      take(std::move(*r), entry.path());
    }
  }
  std::size_t rows = 0;
  for (std::size_t id = 0; id < cases.size(); ++id) {
    if (!cases[id]) throw std::runtime_error(fmt::format("case {} has no result file in {} while writing the summary", id, cases_folder().string()));
    const auto& r = *cases[id];
    if (!r.done) {  // cases run on other ranks arrive without their reason
      std::lock_guard lock(mutex_);
      failures_[id] = r.failure;
    }
    os << id << ',' << (r.done ? "done" : "failed");
    for (double v : r.parameters) os << ',' << number(v);
    for (auto i : summary_columns_) os << ',' << number(r.scalars[i]);
    os << ',' << csv_field(r.failure) << '\n';
    ++rows;
  }
  io::write_text_file_atomically(folder_ / "summary.csv", os.str());
  return rows;
}

std::optional<CaseRecord> read_sweep_case(const fs::path& folder, std::size_t id) {
  const auto cases = folder / "cases";
  if (auto r = read_case_file(cases / case_file_name(id), true); r && r->id == id) return r;
  // Batches are named after their smallest id: only those named at or below `id` can hold it.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cases, ec)) {
    const auto name = entry.path().filename().string();
    const auto first = batch_first_id(name);
    if (!first || *first > id) continue;
    const auto ids = read_batch_ids(entry.path());  // the ids alone first: the arrays only from the file that holds it
    if (!ids || std::find(ids->begin(), ids->end(), id) == ids->end()) continue;
    auto records = read_batch_file(entry.path(), true);
    if (!records) continue;
    for (auto& r : *records)
      if (r.id == id) return std::move(r);
  }
  return std::nullopt;
}

}  // namespace solidcell::sweep
