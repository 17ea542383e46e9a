#include "solidcell/production/line_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

namespace solidcell::production {
namespace {

constexpr long long unbounded = std::numeric_limits<long long>::max() / 4;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

enum class EventKind : std::uint8_t { completion, failure, repair, arrival, warmup };

// 32 bytes; the heap holds a few per machine, never one per cell.
struct Event {
  double t;
  std::uint64_t seq;  // ties at equal times run in scheduling order: runs are reproducible
  std::uint32_t version;
  std::int32_t station;
  std::int32_t machine;
  EventKind kind;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const { return a.t > b.t || (a.t == b.t && a.seq > b.seq); }
};

enum class State : std::uint8_t { idle, busy, blocked };
enum Bucket { busy_b = 0, blocked_b = 1, starved_b = 2, down_b = 3 };

struct Machine {
  State state = State::idle;
  bool down = false;
  long long load = 0;  // cells in process
  long long held = 0;  // finished cells the next buffer has not taken yet
  double completion_t = 0.0;
  double remaining_s = 0.0;  // of the cycle interrupted by a failure
  std::uint32_t version = 0;  // a completion event with an older version was cancelled by a failure
  int idle_slot = -1;
  double last_t = 0.0;
  double time[4] = {0.0, 0.0, 0.0, 0.0};
  double active_since = 0.0;
  double active_total = 0.0;
  long long active_periods = 0;

  int bucket() const {
    if (down) return down_b;
    return state == State::busy ? busy_b : state == State::blocked ? blocked_b : starved_b;
  }
  bool active() const { return down || state == State::busy; }
};

struct Station {
  FlowStation spec;
  int rework_to = 0;
  std::vector<Machine> machines;
  std::vector<int> idle;     // up and idle machines
  std::deque<int> blocked;   // machines holding finished cells, first finished first served
  long long queue = 0;       // cells in the buffer before the station
  long long rework_queue = 0;
  long long count = 0;       // queue + rework queue + cells in machines
  double wip_area = 0.0;
  double wip_last_t = 0.0;
  long long processed = 0, good = 0, scrap = 0, rework = 0;
  std::mt19937_64 work_rng;
  std::mt19937_64 failure_rng;
};

void check(const FlowLine& line, const SimulationOptions& o) {
  auto bad = [](const std::string& what) { throw std::invalid_argument("simulate_line: " + what); };
  if (line.stations.empty()) bad("a line needs at least one station");
  if (!(o.period_s > 0.0) || !std::isfinite(o.period_s)) bad("period must be positive and finite");
  if (!(o.warmup_s >= 0.0) || !(o.warmup_s < o.period_s)) bad("warm-up must lie in [0, period)");
  if (line.arrivals.kind != ArrivalProcess::Kind::saturated && !(line.arrivals.rate_per_s > 0.0)) bad("arrival rate must be positive");
  for (std::size_t i = 0; i < line.stations.size(); ++i) {
    const auto& s = line.stations[i];
    const auto at = fmt::format("station {} ({})", i, s.name);
    if (s.machines < 1) bad(at + ": machines must be at least 1");
    if (s.batch_cells < 1) bad(at + ": batch must be at least 1 cell");
    if (!(s.cycle_time_s > 0.0) || !std::isfinite(s.cycle_time_s)) bad(at + ": cycle time must be positive");
    if (!(s.mtbf_s > 0.0) || !(s.mttr_s >= 0.0) || !std::isfinite(s.mttr_s)) bad(at + ": MTBF must be positive, MTTR non-negative");
    if (s.scrap_fraction < 0.0 || s.rework_fraction < 0.0 || !(s.scrap_fraction + s.rework_fraction < 1.0))
      bad(at + ": scrap and rework fractions must be non-negative with a sum below 1");
    if (s.rework_to >= static_cast<int>(i + 1) || s.rework_to < -1) bad(at + ": rework must go back to this or an earlier station");
    if (s.buffer_capacity < -1) bad(at + ": buffer capacity must be -1 (unbounded) or non-negative");
  }
}

class Simulator {
 public:
  Simulator(const FlowLine& line, const SimulationOptions& o) : options_(o), n_(static_cast<int>(line.stations.size())) {
    saturated_ = line.arrivals.kind == ArrivalProcess::Kind::saturated;
    arrivals_ = line.arrivals;
    stations_.resize(line.stations.size());
    marked_.assign(line.stations.size(), 0);
    for (int i = 0; i < n_; ++i) {
      auto& st = stations_[i];
      st.spec = line.stations[i];
      st.rework_to = st.spec.rework_to < 0 ? i : st.spec.rework_to;
      st.machines.resize(st.spec.machines);
      // Two streams per station so that the breakdown history does not shift when quality draws change.
      st.work_rng.seed(splitmix64(o.seed * 0x100000001b3ULL + 2 * static_cast<std::uint64_t>(i) + 1));
      st.failure_rng.seed(splitmix64(o.seed * 0x100000001b3ULL + 2 * static_cast<std::uint64_t>(i) + 2));
    }
    arrival_rng_.seed(splitmix64(o.seed ^ 0xa5a5a5a5a5a5a5a5ULL));
    if (!saturated_) stations_[0].spec.buffer_capacity = -1;
  }

  SimulationResult run() {
    for (int i = 0; i < n_; ++i) {
      auto& st = stations_[i];
      for (int j = 0; j < st.spec.machines; ++j) {
        push_idle(st, j);
        if (std::isfinite(st.spec.mtbf_s)) schedule(exponential(st.failure_rng, st.spec.mtbf_s), EventKind::failure, i, j);
      }
      mark(i);
    }
    if (!saturated_) schedule(next_interarrival(), EventKind::arrival, 0, 0);
    if (options_.warmup_s > 0.0) schedule(options_.warmup_s, EventKind::warmup, 0, 0);
    drain();
    while (!heap_.empty()) {
      const Event e = heap_.top();
      if (e.t > options_.period_s) break;
      heap_.pop();
      now_ = e.t;
      handle(e);
      drain();
    }
    now_ = options_.period_s;
    return result();
  }

 private:
  void schedule(double t, EventKind kind, int station, int machine, std::uint32_t version = 0) {
    heap_.push(Event{t, seq_++, version, station, machine, kind});
  }

  static double exponential(std::mt19937_64& rng, double mean) { return std::exponential_distribution<double>(1.0 / mean)(rng); }

  double next_interarrival() {
    const double mean = 1.0 / arrivals_.rate_per_s;
    return now_ + (arrivals_.kind == ArrivalProcess::Kind::poisson ? exponential(arrival_rng_, mean) : mean);
  }

  double service_time(Station& st) {
    return st.spec.distribution == TimeDistribution::exponential ? exponential(st.work_rng, st.spec.cycle_time_s) : st.spec.cycle_time_s;
  }

  // Time accounting happens only when a machine changes state.
  void change(Machine& m, State state, bool down) {
    m.time[m.bucket()] += now_ - m.last_t;
    m.last_t = now_;
    const bool was = m.active();
    m.state = state;
    m.down = down;
    const bool is = m.active();
    if (!was && is) m.active_since = now_;
    if (was && !is) {
      m.active_total += now_ - m.active_since;
      ++m.active_periods;
    }
  }

  void add_count(Station& st, long long d) {
    st.wip_area += static_cast<double>(st.count) * (now_ - st.wip_last_t);
    st.wip_last_t = now_;
    st.count += d;
  }
  void add_wip(long long d) {
    wip_area_ += static_cast<double>(wip_) * (now_ - wip_last_t_);
    wip_last_t_ = now_;
    wip_ += d;
  }

  void push_idle(Station& st, int j) {
    st.machines[j].idle_slot = static_cast<int>(st.idle.size());
    st.idle.push_back(j);
  }
  void remove_idle(Station& st, int j) {
    const int slot = st.machines[j].idle_slot;
    const int last = st.idle.back();
    st.idle[slot] = last;
    st.machines[last].idle_slot = slot;
    st.idle.pop_back();
    st.machines[j].idle_slot = -1;
  }

  // Cells the next station can take now: free buffer places plus what its idle machines will load at once.
  long long space(const Station& next) const {
    if (next.spec.buffer_capacity < 0) return unbounded;
    const long long s = next.spec.buffer_capacity + static_cast<long long>(next.idle.size()) * next.spec.batch_cells - next.queue -
                        next.rework_queue;
    return std::max(0LL, s);
  }

  void mark(int i) {
    if (!marked_[i]) {
      marked_[i] = 1;
      work_.push_back(i);
    }
  }
  void drain() {
    while (!work_.empty()) {
      const int i = work_.back();
      work_.pop_back();
      marked_[i] = 0;
      process(i);
    }
  }

  // Moves finished cells on and starts idle machines; idempotent, so any change only marks neighbours.
  void process(int i) {
    auto& st = stations_[i];
    while (!st.blocked.empty()) {
      const int j = st.blocked.front();
      auto& m = st.machines[j];
      long long move = m.held;
      if (i + 1 == n_) {
        add_count(st, -move);
        add_wip(-move);
        good_out_ += move;
      } else {
        auto& next = stations_[i + 1];
        move = std::min(move, space(next));
        if (move > 0) {
          add_count(st, -move);
          add_count(next, move);
          next.queue += move;
          mark(i + 1);
        }
      }
      m.held -= move;
      if (m.held > 0) break;
      st.blocked.pop_front();
      change(m, State::idle, m.down);
      if (!m.down) {
        push_idle(st, j);
        if (i > 0) mark(i - 1);  // an idle machine is space for the station before (see space())
      }
    }
    const long long need = st.spec.batch_cells;
    while (!st.idle.empty()) {
      const bool from_supply = i == 0 && saturated_;
      if (!from_supply && st.queue + st.rework_queue < need) break;
      const long long from_rework = std::min(st.rework_queue, need);
      const long long from_queue = need - from_rework;
      st.rework_queue -= from_rework;
      if (from_supply) {
        started_ += from_queue;
        add_count(st, from_queue);
        add_wip(from_queue);
      } else {
        st.queue -= from_queue;
        if (from_queue > 0 && i > 0) mark(i - 1);
      }
      const int j = st.idle.back();
      remove_idle(st, j);
      auto& m = st.machines[j];
      m.load = need;
      change(m, State::busy, false);
      m.completion_t = now_ + service_time(st);
      schedule(m.completion_t, EventKind::completion, i, j, ++m.version);
    }
  }

  void complete(int i, int j) {
    auto& st = stations_[i];
    auto& m = st.machines[j];
    const long long n = m.load;
    long long scrap = 0, rework = 0;
    const double ps = st.spec.scrap_fraction, pr = st.spec.rework_fraction;
    if (ps + pr > 0.0) {
      if (n == 1) {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(st.work_rng);
        scrap = u < ps ? 1 : 0;
        rework = (!scrap && u < ps + pr) ? 1 : 0;
      } else {
        if (ps > 0.0) scrap = std::binomial_distribution<long long>(n, ps)(st.work_rng);
        if (pr > 0.0 && n - scrap > 0) rework = std::binomial_distribution<long long>(n - scrap, pr / (1.0 - ps))(st.work_rng);
      }
    }
    st.processed += n;
    st.scrap += scrap;
    st.rework += rework;
    st.good += n - scrap - rework;
    if (scrap > 0) {
      add_count(st, -scrap);
      add_wip(-scrap);
      scrap_out_ += scrap;
    }
    if (rework > 0) {
      auto& target = stations_[st.rework_to];
      if (st.rework_to != i) {
        add_count(st, -rework);
        add_count(target, rework);
      }
      target.rework_queue += rework;
      mark(st.rework_to);
    }
    m.load = 0;
    m.held = n - scrap - rework;
    change(m, State::blocked, false);
    st.blocked.push_back(j);
    mark(i);
  }

  void handle(const Event& e) {
    ++events_;
    switch (e.kind) {
      case EventKind::completion: {
        auto& m = stations_[e.station].machines[e.machine];
        if (e.version != m.version || m.down || m.state != State::busy) {
          --events_;  // cancelled by a failure
          return;
        }
        complete(e.station, e.machine);
        break;
      }
      case EventKind::failure: {
        auto& st = stations_[e.station];
        auto& m = st.machines[e.machine];
        change(m, m.state, true);
        if (m.state == State::busy) {
          m.remaining_s = m.completion_t - now_;
          ++m.version;
        }
        if (m.idle_slot >= 0) remove_idle(st, e.machine);
        schedule(now_ + exponential(st.failure_rng, st.spec.mttr_s), EventKind::repair, e.station, e.machine);
        // The machine can take no batch now, so the space it offered upstream is gone (space() counts idle ones).
        break;
      }
      case EventKind::repair: {
        auto& st = stations_[e.station];
        auto& m = st.machines[e.machine];
        change(m, m.state, false);
        schedule(now_ + exponential(st.failure_rng, st.spec.mtbf_s), EventKind::failure, e.station, e.machine);
        if (m.state == State::busy) {
          m.completion_t = now_ + m.remaining_s;
          schedule(m.completion_t, EventKind::completion, e.station, e.machine, ++m.version);
        } else if (m.state == State::idle) {
          push_idle(st, e.machine);
        }
        mark(e.station);
        if (e.station > 0) mark(e.station - 1);
        break;
      }
      case EventKind::arrival: {
        auto& st = stations_[0];
        ++started_;
        add_count(st, 1);
        add_wip(1);
        st.queue += 1;
        mark(0);
        schedule(next_interarrival(), EventKind::arrival, 0, 0);
        break;
      }
      case EventKind::warmup:
        reset_statistics();
        break;
    }
  }

  void reset_statistics() {
    for (auto& st : stations_) {
      for (auto& m : st.machines) {
        change(m, m.state, m.down);  // books the time so far, then forget it
        for (double& t : m.time) t = 0.0;
        m.active_total = 0.0;
        m.active_periods = 0;
        if (m.active()) m.active_since = now_;
      }
      add_count(st, 0);
      st.wip_area = 0.0;
      st.processed = st.good = st.scrap = st.rework = 0;
    }
    add_wip(0);
    wip_area_ = 0.0;
    wip_at_window_start_ = wip_;
    started_ = good_out_ = scrap_out_ = 0;
    events_ = 0;
  }

  SimulationResult result() {
    SimulationResult r;
    const double window = options_.period_s - options_.warmup_s;
    r.window_s = window;
    double best = -1.0;
    for (int i = 0; i < n_; ++i) {
      auto& st = stations_[i];
      StationStats s;
      s.name = st.spec.name;
      s.machines = st.spec.machines;
      double time[4] = {0.0, 0.0, 0.0, 0.0};
      double active_total = 0.0;
      long long periods = 0;
      for (auto& m : st.machines) {
        change(m, m.state, m.down);
        if (m.active()) {  // count the period that is still open
          active_total += now_ - m.active_since;
          ++periods;
        }
        for (int b = 0; b < 4; ++b) time[b] += m.time[b];
        active_total += m.active_total;
        periods += m.active_periods;
      }
      add_count(st, 0);
      const double total = window * st.spec.machines;
      s.busy_fraction = time[busy_b] / total;
      s.blocked_fraction = time[blocked_b] / total;
      s.starved_fraction = time[starved_b] / total;
      s.down_fraction = time[down_b] / total;
      s.busy_machine_s = time[busy_b];
      s.idle_up_machine_s = time[blocked_b] + time[starved_b];
      s.processed_cells = st.processed;
      s.good_cells = st.good;
      s.scrap_cells = st.scrap;
      s.rework_cells = st.rework;
      const double uptime = total - time[down_b];
      s.availability = uptime / total;
      s.performance = uptime > 0.0 ? static_cast<double>(st.processed) * st.spec.cycle_time_s / st.spec.batch_cells / uptime : 0.0;
      s.quality = st.processed > 0 ? static_cast<double>(st.good) / static_cast<double>(st.processed) : 1.0;
      s.oee = s.availability * s.performance * s.quality;
      s.active_fraction = s.busy_fraction + s.down_fraction;
      s.mean_active_period_s = periods > 0 ? active_total / static_cast<double>(periods) : 0.0;
      s.mean_wip_cells = st.wip_area / window;
      if (s.active_fraction > best + 1e-12) {
        best = s.active_fraction;
        r.bottleneck = i;
      }
      r.stations.push_back(std::move(s));
    }
    add_wip(0);
    r.cells_started = started_;
    r.good_cells = good_out_;
    r.scrap_cells = scrap_out_;
    r.wip_at_window_start = wip_at_window_start_;
    r.wip_at_end = wip_;
    r.mean_wip_cells = wip_area_ / window;
    r.mean_lead_time_s = started_ > 0 ? r.mean_wip_cells / (static_cast<double>(started_) / window) : 0.0;
    r.good_cells_per_s = static_cast<double>(good_out_) / window;
    r.yield = good_out_ + scrap_out_ > 0 ? static_cast<double>(good_out_) / static_cast<double>(good_out_ + scrap_out_) : 0.0;
    r.events = events_;
    return r;
  }

  SimulationOptions options_;
  int n_;
  bool saturated_ = true;
  ArrivalProcess arrivals_;
  std::vector<Station> stations_;
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  std::uint64_t seq_ = 0;
  double now_ = 0.0;
  std::vector<char> marked_;
  std::vector<int> work_;
  std::mt19937_64 arrival_rng_;
  long long wip_ = 0;
  double wip_area_ = 0.0;
  double wip_last_t_ = 0.0;
  long long wip_at_window_start_ = 0;
  long long started_ = 0, good_out_ = 0, scrap_out_ = 0;
  long long events_ = 0;
};

}  // namespace

SimulationResult simulate_line(const FlowLine& line, const SimulationOptions& options) {
  check(line, options);
  Simulator sim(line, options);
  return sim.run();
}

}  // namespace solidcell::production
