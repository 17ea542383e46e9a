#include "solidcell/sweep/mpi_executor.hpp"

#include <cstdlib>

#ifdef SOLIDCELL_WITH_MPI
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "solidcell/sweep/sampling.hpp"
#include "solidcell/sweep/study.hpp"
#endif

namespace solidcell::sweep {

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK", "MV2_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"})
    if (std::getenv(v)) return true;
  return false;
}

#ifndef SOLIDCELL_WITH_MPI

bool mpi_built() { return false; }
MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
SweepReport run_sweep_mpi(const SweepSpec& spec, const SweepOptions& options, const MpiSession&) { return run_sweep(spec, options); }

#else

bool mpi_built() { return true; }

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);  // only main threads call MPI
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

namespace {

using clock = std::chrono::steady_clock;
using Id = std::int64_t;

constexpr int tag_request = 1;  // worker -> 0: results so far (id, status pairs) and a request for cases
constexpr int tag_chunk = 2;    // 0 -> worker: case ids; empty: no more
constexpr int tag_done = 3;     // worker -> 0: the last results; the worker is finished

// The main threads poll for messages while the compute threads run: a short sleep right after a message,
// growing to 2 ms while nothing comes (a fixed 100 us cost 10-15 % of a core in wake-ups on each rank).
class Poll {
 public:
  void active() { sleep_us_ = 50; }
  void idle() {
    std::this_thread::sleep_for(std::chrono::microseconds(sleep_us_));
    sleep_us_ = std::min(2000, 2 * sleep_us_);
  }

 private:
  int sleep_us_ = 50;
};

std::vector<Id> receive(int source, int tag, MPI_Status* status_out = nullptr) {
  MPI_Status st;
  MPI_Probe(source, tag, MPI_COMM_WORLD, &st);
  int n = 0;
  MPI_Get_count(&st, MPI_INT64_T, &n);
  std::vector<Id> v(static_cast<std::size_t>(n));
  MPI_Recv(v.data(), n, MPI_INT64_T, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (status_out) *status_out = st;
  return v;
}

void send(const std::vector<Id>& v, int dest, int tag) {
  MPI_Send(v.data(), static_cast<int>(v.size()), MPI_INT64_T, dest, tag, MPI_COMM_WORLD);
}

// Case ids for this rank's compute threads, refilled from rank 0 (workers) or the dispatcher (rank 0).
class LocalQueue {
 public:
  void push(const std::vector<Id>& ids) {
    std::lock_guard lock(m_);
    for (auto id : ids) q_.push_back(static_cast<std::size_t>(id));
    cv_.notify_all();
  }
  void close(bool drop_waiting = false) {
    std::lock_guard lock(m_);
    closed_ = true;
    if (drop_waiting) q_.clear();
    cv_.notify_all();
  }
  std::optional<std::size_t> pop() {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return std::nullopt;
    auto id = q_.front();
    q_.pop_front();
    return id;
  }
  std::size_t size() const {
    std::lock_guard lock(m_);
    return q_.size();
  }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::size_t> q_;
  bool closed_ = false;
};

// The cases whose files this rank put in place since the last report, as (id, status) pairs for rank 0.
std::vector<Id> take_written(SweepStore& store) {
  std::vector<Id> v;
  for (const auto& [id, status] : store.take_written()) {
    v.push_back(static_cast<Id>(id));
    v.push_back(static_cast<Id>(status));
  }
  return v;
}

// Writes this rank's waiting batches; a file that cannot be written stops every rank.
void flush_or_abort(SweepStore& store, int rank) {
  try {
    store.flush_all();
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: rank {}: {}\n", rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

struct ComputeThreads {
  std::vector<std::thread> threads;
  std::atomic<int> running{0};
  std::atomic<bool> failed{false};
  std::string error;
  std::mutex error_mutex;

  void start(int n, const Study& study, const SweepSpec& spec, SweepStore& store, const CaseSampler& sampler, LocalQueue& queue) {
    running = n;
    for (int t = 0; t < n; ++t)
      threads.emplace_back([&, this] {
        try {
          const auto slot = store.open_slot();
          const auto worker = study.make_worker(spec.time_series);
          while (auto id = queue.pop()) store.run_case(*worker, sampler, *id, slot);
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mutex);
          error = e.what();
          failed = true;
        }
        --running;
      });
  }
  void join() {
    for (auto& t : threads) t.join();
  }
};

}  // namespace

SweepReport run_sweep_mpi(const SweepSpec& spec, const SweepOptions& options, const MpiSession& session) {
  const auto start = clock::now();
  const int rank = session.rank(), ranks = session.size();
  const auto study = make_study(spec);  // every rank reads the spec and fails alike on bad input
  SweepStore store(spec, *study, output_folder(spec, options), options.sync, options.sync_each_case);
  store.keep_written();  // what each rank reports to rank 0
  const CaseSampler sampler(spec);
  const int threads = std::max(1, options.threads);
  SweepReport report;
  report.output = store.folder().string();
  report.cases = store.size();
  report.threads = threads;
  report.ranks = ranks;

  // Rank 0 prepares the folder; the others wait for its word.
  std::vector<std::size_t> todo;
  std::exception_ptr prepare_error;
  if (rank == 0) {
    try {
      todo = store.prepare(options.resume, &report.scan);
    } catch (...) {
      prepare_error = std::current_exception();
    }
  }
  int ok = prepare_error ? 0 : 1;
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok) {
    if (prepare_error) std::rethrow_exception(prepare_error);
    return report;
  }

  LocalQueue queue;
  ComputeThreads compute;
  auto interrupted = [&] { return options.interrupt && options.interrupt->load(); };

  if (rank != 0) {
    compute.start(threads, *study, spec, store, sampler, queue);
    bool requested = false, no_more = false;
    auto last_flush = clock::now();
    Poll poll;
    while (!(no_more && compute.running == 0)) {
      if (compute.failed) {
        fmt::print(stderr, "error: rank {}: {}\n", rank, compute.error);
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
      if (interrupted() && !no_more && !requested) {  // no new cases; an answer on its way is awaited and dropped
        no_more = true;
        report.interrupted = true;
        queue.close(true);
      }
      if (!requested && !no_more && queue.size() < static_cast<std::size_t>(threads)) {
        send(take_written(store), 0, tag_request);
        requested = true;
      }
      int flag = 0;
      if (requested) MPI_Iprobe(0, tag_chunk, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
      if (flag) {
        auto ids = receive(0, tag_chunk);
        requested = false;
        if (ids.empty() || interrupted()) {
          no_more = true;
          queue.close(true);
        } else {
          report.ran += ids.size();
          queue.push(ids);
        }
        poll.active();
      } else {
        poll.idle();
      }
      if (clock::now() - last_flush > std::chrono::seconds(2)) {
        flush_or_abort(store, rank);
        last_flush = clock::now();
      }
    }
    compute.join();
    flush_or_abort(store, rank);
    send(take_written(store), 0, tag_done);
    report.wall_s = std::chrono::duration<double>(clock::now() - start).count();
    return report;
  }

  // Rank 0: the dispatcher. Guided chunks: large while many cases are left, single cases at the end.
  report.already_done = store.size() - todo.size();
  const std::size_t limit = options.stop_after > 0 ? std::min(options.stop_after, todo.size()) : todo.size();
  if (options.started)
    options.started(SweepProgress{store.size(), report.already_done, limit, 0, 0, std::chrono::duration<double>(clock::now() - start).count()});
  std::size_t next = 0;
  std::mutex dispatch_mutex;
  const std::size_t all_threads = static_cast<std::size_t>(threads) * static_cast<std::size_t>(ranks);
  auto take = [&](std::size_t wanted_threads) {
    std::lock_guard lock(dispatch_mutex);
    if (interrupted()) return std::vector<Id>{};
    const std::size_t left = limit - next;
    std::size_t n = options.chunk > 0 ? options.chunk : std::clamp<std::size_t>(left / (4 * all_threads), 1, 64) * wanted_threads;
    n = std::min(n, left);
    std::vector<Id> ids;
    for (std::size_t k = 0; k < n; ++k) ids.push_back(static_cast<Id>(todo[next + k]));
    next += n;
    return ids;
  };

  std::size_t ran = 0, failed = 0;
  auto count = [&](const std::vector<Id>& pairs) {
    for (std::size_t k = 0; k + 1 < pairs.size(); k += 2) {
      const auto s = static_cast<CaseStatus>(pairs[k + 1]);
      store.mark(static_cast<std::size_t>(pairs[k]), s);
      ++ran;
      failed += s == CaseStatus::failed;
    }
  };

  compute.start(threads, *study, spec, store, sampler, queue);
  int active = ranks - 1;
  bool local_open = true;
  Poll poll;
  auto last_progress = clock::now(), last_manifest = clock::now();
  while (active > 0 || compute.running > 0) {
    if (compute.failed) {
      fmt::print(stderr, "error: rank 0: {}\n", compute.error);
      store.write_manifest();
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (local_open && interrupted()) {
      queue.close(true);
      local_open = false;
      report.interrupted = true;
    }
    if (local_open && queue.size() < static_cast<std::size_t>(threads)) {
      auto ids = take(static_cast<std::size_t>(threads));
      if (ids.empty()) {
        queue.close();
        local_open = false;
      } else {
        queue.push(ids);
      }
    }
    count(take_written(store));
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      const auto pairs = receive(st.MPI_SOURCE, st.MPI_TAG);
      count(pairs);
      if (st.MPI_TAG == tag_request) send(take(static_cast<std::size_t>(threads)), st.MPI_SOURCE, tag_chunk);
      if (st.MPI_TAG == tag_done) --active;
      poll.active();
    } else {
      poll.idle();
    }
    const auto now = clock::now();
    if (options.progress && now - last_progress > std::chrono::duration<double>(options.progress_interval_s)) {
      options.progress({store.size(), report.already_done, limit, ran, failed, std::chrono::duration<double>(now - start).count()});
      last_progress = now;
    }
    if (now - last_manifest > std::chrono::seconds(2)) {
      flush_or_abort(store, rank);
      count(take_written(store));
      store.write_manifest();
      last_manifest = now;
    }
  }
  compute.join();
  report.interrupted = interrupted();
  flush_or_abort(store, rank);
  count(take_written(store));
  if (options.progress) options.progress({store.size(), report.already_done, limit, ran, failed, std::chrono::duration<double>(clock::now() - start).count()});
  report.ran = ran;
  report.complete = store.complete();
  if (report.complete) report.summary_rows = store.write_summary();
  store.write_manifest();
  report.failed = store.count(CaseStatus::failed);
  report.wall_s = std::chrono::duration<double>(clock::now() - start).count();
  return report;
}

#endif

}  // namespace solidcell::sweep
