#include "solidcell/sweep/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "solidcell/sweep/sampling.hpp"
#include "solidcell/sweep/study.hpp"

namespace solidcell::sweep {

std::string output_folder(const SweepSpec& spec, const SweepOptions& options) {
  if (!options.output.empty()) return options.output;
  if (!spec.output.empty()) return spec.output;
  return spec.name + "-sweep";
}

SweepReport run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const auto study = make_study(spec);
  SweepStore store(spec, *study, output_folder(spec, options), options.sync, options.sync_each_case);
  SweepReport report;
  report.output = store.folder().string();
  report.cases = store.size();
  const auto todo = store.prepare(options.resume, &report.scan);
  report.already_done = store.size() - todo.size();
  const CaseSampler sampler(spec);

  const std::size_t limit = options.stop_after > 0 ? std::min(options.stop_after, todo.size()) : todo.size();
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(threads), limit)));
  report.threads = threads;
  if (options.started)
    options.started(SweepProgress{store.size(), report.already_done, limit, 0, 0, std::chrono::duration<double>(clock::now() - start).count()});

  std::atomic<std::size_t> next{0}, ran{0}, failed{0};
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mutex, finish_mutex;
  std::condition_variable finished;  // wakes the reporting thread as soon as the last worker ends
  int running = 0;
  auto interrupted = [&] { return options.interrupt && options.interrupt->load(); };
  auto work = [&] {
    try {
      const auto slot = store.open_slot();
      const auto worker = study->make_worker(spec.time_series);
      for (std::size_t k = next++; k < limit && !abort && !interrupted(); k = next++) {
        if (store.run_case(*worker, sampler, todo[k], slot) == CaseStatus::failed) ++failed;
        ++ran;
      }
    } catch (...) {  // an output that cannot be written, or a worker that cannot be built: stop everything
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      abort = true;
    }
    std::lock_guard lock(finish_mutex);
    --running;
    finished.notify_all();
  };
  std::vector<std::thread> pool;
  if (limit > 0) running = threads;
  for (int t = 0; t < running; ++t) pool.emplace_back(work);

  // This thread reports progress and keeps the manifest current while the workers run.
  auto progress = [&] {
    SweepProgress p{store.size(), report.already_done, limit, ran.load(), failed.load(),
                    std::chrono::duration<double>(clock::now() - start).count()};
    if (options.progress) options.progress(p);
  };
  auto checkpoint = [&] {
    try {
      store.flush_all();
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      abort = true;
    }
    store.write_manifest();
  };
  auto last_manifest = clock::now();
  for (;;) {
    {
      std::unique_lock lock(finish_mutex);
      if (finished.wait_for(lock, std::chrono::duration<double>(std::max(0.01, options.progress_interval_s)), [&] { return running == 0; }))
        break;
    }
    progress();
    if (clock::now() - last_manifest > std::chrono::seconds(2) || (interrupted() && !report.interrupted)) {
      report.interrupted = interrupted();
      checkpoint();  // a batch waits at most one interval for its file, and none once interrupted
      last_manifest = clock::now();
    }
  }
  for (auto& t : pool) t.join();
  report.interrupted = interrupted();
  checkpoint();  // every finished case into its file, also when a worker failed
  if (error) std::rethrow_exception(error);
  progress();
  report.ran = ran;
  report.failed = store.count(CaseStatus::failed);
  report.complete = store.complete();
  if (report.complete) report.summary_rows = store.write_summary();
  report.wall_s = std::chrono::duration<double>(clock::now() - start).count();
  return report;
}

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 60) return fmt::format("{:.0f} s", std::ceil(s));
  if (s < 3600) return fmt::format("{}m{:02d}s", static_cast<int>(s / 60), static_cast<int>(s) % 60);
  return fmt::format("{}h{:02d}m", static_cast<int>(s / 3600), static_cast<int>(s / 60) % 60);
}

namespace {

double rate(const SweepProgress& p) { return p.elapsed_s > 0 ? static_cast<double>(p.ran) / p.elapsed_s : 0.0; }
double eta(const SweepProgress& p) {
  const double r = rate(p);
  return r > 0 ? static_cast<double>(p.to_run - p.ran) / r : NAN;
}

}  // namespace

std::string progress_bar(const SweepProgress& p, int width) {
  const double f = p.to_run ? static_cast<double>(p.ran) / static_cast<double>(p.to_run) : 1.0;
  const auto cells = static_cast<std::size_t>(std::max(0, width));
  const auto filled = std::min(cells, static_cast<std::size_t>(std::clamp(f, 0.0, 1.0) * static_cast<double>(cells)));
  std::string bar;
  bar.reserve(cells + 2);
  bar.push_back('[');
  bar.append(filled, '#').append(cells - filled, '.').push_back(']');
  std::string s = fmt::format("{} {}/{}  {:.1f} cases/s  ETA {}", bar, p.already_done + p.ran, p.cases, rate(p), format_duration(eta(p)));
  if (p.failed) s += fmt::format("  ({} failed)", p.failed);
  return s;
}

std::string progress_line(const SweepProgress& p) {
  std::string s = fmt::format("case {}/{} done ({:.1f}/s, ETA {}", p.already_done + p.ran, p.cases, rate(p), format_duration(eta(p)));
  if (p.failed) s += fmt::format(", {} failed", p.failed);
  return s + ")";
}

}  // namespace solidcell::sweep
