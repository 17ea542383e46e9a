#include "solidcell/ageing/cycle_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"

namespace solidcell::ageing {
namespace {

CycleSummary interpolate(const CycleSummary& a, const CycleSummary& b, int cycle) {
  const double w = static_cast<double>(cycle - a.cycle) / (b.cycle - a.cycle);
  auto mix = [w](double u, double v) { return (1 - w) * u + w * v; };
  CycleSummary c = a;
  c.cycle = cycle;
  c.simulated = false;
  c.discharge_capacity_Ah = mix(a.discharge_capacity_Ah, b.discharge_capacity_Ah);
  c.charge_capacity_Ah = mix(a.charge_capacity_Ah, b.charge_capacity_Ah);
  c.discharge_energy_Wh = mix(a.discharge_energy_Wh, b.discharge_energy_Wh);
  c.capacity_retention = mix(a.capacity_retention, b.capacity_retention);
  c.resistance_ohm = mix(a.resistance_ohm, b.resistance_ohm);
  c.resistance_growth = mix(a.resistance_growth, b.resistance_growth);
  c.lithium_inventory_mol = mix(a.lithium_inventory_mol, b.lithium_inventory_mol);
  c.lithium_total_mol = mix(a.lithium_total_mol, b.lithium_total_mol);
  c.lithium_lost_to_sei_mol = mix(a.lithium_lost_to_sei_mol, b.lithium_lost_to_sei_mol);
  c.capacity_lost_to_sei_Ah = mix(a.capacity_lost_to_sei_Ah, b.capacity_lost_to_sei_Ah);
  c.sei_thickness_m = mix(a.sei_thickness_m, b.sei_thickness_m);
  c.duration_s = mix(a.duration_s, b.duration_s);
  c.cei_thickness_m = mix(a.cei_thickness_m, b.cei_thickness_m);
  c.contact_fraction = mix(a.contact_fraction, b.contact_fraction);
  c.lithium_contact_fraction = mix(a.lithium_contact_fraction, b.lithium_contact_fraction);
  c.lithium_lost_to_cei_mol = mix(a.lithium_lost_to_cei_mol, b.lithium_lost_to_cei_mol);
  c.lithium_lost_to_contact_mol = mix(a.lithium_lost_to_contact_mol, b.lithium_lost_to_contact_mol);
  c.lithium_lost_to_plating_mol = mix(a.lithium_lost_to_plating_mol, b.lithium_lost_to_plating_mol);
  c.plated_lithium_mol = mix(a.plated_lithium_mol, b.plated_lithium_mol);
  c.dead_lithium_mol = mix(a.dead_lithium_mol, b.dead_lithium_mol);
  c.lithium_lost_to_negative_plating_mol = mix(a.lithium_lost_to_negative_plating_mol, b.lithium_lost_to_negative_plating_mol);
  c.capacity_lost_to_negative_plating_Ah = mix(a.capacity_lost_to_negative_plating_Ah, b.capacity_lost_to_negative_plating_Ah);
  c.negative_active_fraction = mix(a.negative_active_fraction, b.negative_active_fraction);
  c.positive_active_fraction = mix(a.positive_active_fraction, b.positive_active_fraction);
  c.lithium_lost_to_active_material_loss_mol = mix(a.lithium_lost_to_active_material_loss_mol, b.lithium_lost_to_active_material_loss_mol);
  c.lithium_reservoir_mol = mix(a.lithium_reservoir_mol, b.lithium_reservoir_mol);
  c.lithium_bookkeeping_error_mol = mix(a.lithium_bookkeeping_error_mol, b.lithium_bookkeeping_error_mol);
  for (std::size_t m = 0; m < c.capacity_lost_Ah.size(); ++m) c.capacity_lost_Ah[m] = mix(a.capacity_lost_Ah[m], b.capacity_lost_Ah[m]);
  for (std::size_t m = 0; m < c.capacity_loss_share.size(); ++m) c.capacity_loss_share[m] = mix(a.capacity_loss_share[m], b.capacity_loss_share[m]);
  return c;
}

}  // namespace

std::vector<double> CycleStudyResult::capacity_retention() const {
  std::vector<double> v;
  for (const auto& c : cycles) v.push_back(c.capacity_retention);
  return v;
}

std::vector<double> CycleStudyResult::resistance_growth() const {
  std::vector<double> v;
  for (const auto& c : cycles) v.push_back(c.resistance_growth);
  return v;
}

CycleStudyResult run_cycle_study(AgeingCell& cell, const std::vector<experiment::Step>& cycle, const CycleStudyOptions& o) {
  if (cycle.empty()) throw InputError(InputLocation{"", 0, "experiment"}, "\"\"", "the cycle needs at least one step");
  CycleSource source;
  source.steps = [&cycle](int) { return cycle; };
  return run_cycle_study(cell, source, o);
}

CycleStudyResult run_cycle_study(AgeingCell& cell, const CycleSource& source, const CycleStudyOptions& o) {
  if (!source.steps) throw std::invalid_argument("run_cycle_study: the cycle source gives no steps");
  if (o.cycles < 1 || o.cycles > 1'000'000) throw InputError(InputLocation{"", 0, "cycles"}, fmt::format("{}", o.cycles), "allowed range [1, 1000000]");
  if (!(o.tolerance > 0.0 && o.tolerance <= 0.1))
    throw InputError(InputLocation{"", 0, "tolerance"}, fmt::format("{}", o.tolerance), "allowed range (0, 0.1] (a fraction of retention)");
  const auto clock_start = std::chrono::steady_clock::now();
  CycleStudyResult result;
  auto& out = result.cycles;

  // Solves cycle n from the cell's present state; false when the cycle ended early (the study stops there).
  auto solve = [&](int n) {
    const std::vector<experiment::Step> cycle = source.steps(n);
    if (cycle.empty()) throw InputError(InputLocation{"", 0, "experiment"}, "\"\"", fmt::format("cycle {} needs at least one step", n));
    auto sol = cell.advance(cycle);
    for (auto e : cell.take_events()) {
      e.cycle = n;
      result.events.push_back(e);
    }
    const CycleSummary* first = out.empty() ? nullptr : &out.front();
    out.push_back(source.summarise ? source.summarise(n, sol, cell, cycle, first) : summarise_cycle(n, sol, cell, cycle, first));
    ++result.solved_cycles;
    if (o.progress) o.progress(n, o.cycles);
    if (!out.back().stopped_early) return true;
    result.stopped = sol.failure ? fmt::format("cycle {}: solver failure in step {} (\"{}\"): {}", n, sol.failure->step, sol.failure->step_text,
                                               sol.failure->reason)
                                 : fmt::format("cycle {}: {}", n, sol.stopped_early.empty() ? "ended before its last step" : sol.stopped_early);
    return false;
  };

  if (!o.accelerate) {
    for (int n = 1; n <= o.cycles; ++n)
      if (!solve(n)) break;
  } else {
    // Rates per cycle from the last two consecutive solved cycles: of the whole state, of the lithium in SEI
    // and of the discharge capacity.
    std::vector<double> y_start = cell.degradation_state();
    int n = 0;
    bool running = true;
    const int warmup = std::max(2, o.warmup_cycles);
    while (running && n < std::min(o.cycles, warmup)) {
      y_start = cell.degradation_state();
      running = solve(++n);
    }
    auto rate_of_state = [&](const std::vector<double>& before) {
      std::vector<double> d = cell.degradation_state();
      for (std::size_t k = 0; k < d.size(); ++k) d[k] -= before[k];
      return d;
    };
    std::vector<double> d_state = rate_of_state(y_start);
    const double q1 = out.front().discharge_capacity_Ah;
    const double ah_per_mol = constants::faraday_C_per_mol / constants::seconds_per_hour;
    // The lithium the side reactions take (SEI, and plating when on: zero otherwise, so the SEI's rate exactly).
    auto side_lithium = [&](std::size_t c) {
      return out[c].lithium_lost_to_sei_mol + out[c].lithium_lost_to_negative_plating_mol + out[c].lithium_lost_to_active_material_loss_mol;
    };
    auto sei_rate = [&](std::size_t last) { return side_lithium(last) - side_lithium(last - 1); };
    auto capacity_rate = [&](std::size_t last) { return out[last].discharge_capacity_Ah - out[last - 1].discharge_capacity_Ah; };
    double d_sei = out.size() >= 2 ? sei_rate(out.size() - 1) : 0.0;
    double d_capacity = out.size() >= 2 ? capacity_rate(out.size() - 1) : 0.0;
    int k = std::min(5, o.max_jump);
    while (running && n < o.cycles) {
      const int jump = std::min(k, o.cycles - n - 2);
      if (jump < 2) {
        // Near the end, or after repeated rejections: one cycle in full.
        y_start = cell.degradation_state();
        running = solve(++n);
        d_state = rate_of_state(y_start);
        d_sei = sei_rate(out.size() - 1);
        d_capacity = capacity_rate(out.size() - 1);
        k = std::max(k, 2);
        continue;
      }
      // Jump: the state at the end of cycle n + jump, extrapolated; then two cycles in full.
      const std::vector<double> y_n = cell.degradation_state();
      const std::size_t kept = out.size();
      const std::size_t events_kept = result.events.size();
      std::vector<double> y_jump(y_n.size());
      for (std::size_t m = 0; m < y_n.size(); ++m) y_jump[m] = y_n[m] + jump * d_state[m];
      cell.set_degradation_state(y_jump);
      const CycleSummary at_n = out.back();
      bool ok = solve(n + jump + 1);
      std::vector<double> y_mid = cell.degradation_state();
      if (ok) ok = solve(n + jump + 2);
      if (!ok) {
        // A cut-off or failure after a jump may be the jump's doing: retry shorter, unless already short.
        if (jump > 2) {
          out.resize(kept);
          result.events.resize(events_kept);
          cell.set_degradation_state(y_n);
          result.stopped.clear();
          ++result.rejected_jumps;
          k = jump / 2;
          continue;
        }
        running = false;
        break;
      }
      const std::size_t last = out.size() - 1;
      const double new_sei = sei_rate(last), new_capacity = capacity_rate(last);
      // Error estimates in retention: the rates' change across the jump (the neglected curvature), and the
      // capacity reached against the capacity the old rate predicted.
      const double curvature = 0.5 * jump * std::max(std::abs(new_sei - d_sei) * ah_per_mol, std::abs(new_capacity - d_capacity)) / q1;
      const double predicted = at_n.discharge_capacity_Ah + (jump + 1) * d_capacity;
      const double miss = std::abs(out[last - 1].discharge_capacity_Ah - predicted) / q1;
      const double error = std::max(curvature, miss);
      if (error > o.tolerance) {
        out.resize(kept);
        result.events.resize(events_kept);
        cell.set_degradation_state(y_n);
        ++result.rejected_jumps;
        k = std::max(1, static_cast<int>(jump * std::max(0.2, 0.9 * std::sqrt(o.tolerance / error))));
        continue;
      }
      // Accept: the skipped cycles' summaries between cycle n and the first solved after the jump.
      std::vector<CycleSummary> solved(out.begin() + static_cast<long>(kept), out.end());
      out.resize(kept);
      for (int c = n + 1; c <= n + jump; ++c) out.push_back(interpolate(at_n, solved.front(), c));
      out.insert(out.end(), solved.begin(), solved.end());
      n += jump + 2;
      d_state = rate_of_state(y_mid);
      d_sei = new_sei;
      d_capacity = new_capacity;
      const double grow = error > 0 ? std::min(2.0, 0.9 * std::sqrt(o.tolerance / error)) : 2.0;
      k = std::clamp(static_cast<int>(jump * grow), 2, o.max_jump);
    }
  }

  std::vector<int> numbers;
  for (const auto& c : out) numbers.push_back(c.cycle);
  auto retention = result.capacity_retention();
  result.end_of_life_cycle = end_of_life_cycle(numbers, retention, o.end_of_life_retention);
  result.knee = find_knee(numbers, retention);
  result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return result;
}

}  // namespace solidcell::ageing
