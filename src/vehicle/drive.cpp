#include "solidcell/vehicle/drive.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/model_factory.hpp"

namespace solidcell::vehicle {

namespace {

// Linear interpolation in a sorted abscissa, end values held.
double interpolate(const std::vector<double>& x, const std::vector<double>& y, double t) {
  if (t <= x.front()) return y.front();
  if (t >= x.back()) return y.back();
  const auto hi = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), t) - x.begin());
  const size_t lo = hi - 1;
  return y[lo] + (t - x[lo]) / (x[hi] - x[lo]) * (y[hi] - y[lo]);
}

// The profile file a drive-cycle step reads; removed when the run is over, whatever happens.
class TemporaryProfileFile {
 public:
  explicit TemporaryProfileFile(const CellPowerProfile& profile) {
    static std::atomic<unsigned long> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("solidcell-drive-{}-{}-{}.csv", ::getpid(), std::hash<std::thread::id>{}(std::this_thread::get_id()), counter++);
    std::ofstream out(path_);
    out << "time_s,power_W\n";
    for (size_t k = 0; k < profile.time_s.size(); ++k) out << fmt::format("{},{}\n", profile.time_s[k], profile.power_W[k]);
    if (!out) throw std::runtime_error("cannot write the drive profile to " + path_.string());
  }
  ~TemporaryProfileFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TemporaryProfileFile(const TemporaryProfileFile&) = delete;
  TemporaryProfileFile& operator=(const TemporaryProfileFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Distance [m] driven from the start of one pass of the trace to time tau, speed linear between samples.
class DistanceAlongTrace {
 public:
  explicit DistanceAlongTrace(const SpeedTrace& trace) : trace_(trace), cumulative_(trace.time_s.size(), 0.0) {
    for (size_t k = 1; k < trace.time_s.size(); ++k)
      cumulative_[k] = cumulative_[k - 1] + 0.5 * (trace.speed_mps[k - 1] + trace.speed_mps[k]) * (trace.time_s[k] - trace.time_s[k - 1]);
  }
  double at(double tau) const {
    const auto& t = trace_.time_s;
    if (tau <= t.front()) return 0.0;
    if (tau >= t.back()) return cumulative_.back();
    const auto hi = static_cast<size_t>(std::upper_bound(t.begin(), t.end(), tau) - t.begin());
    const size_t lo = hi - 1;
    const double v_tau = interpolate(t, trace_.speed_mps, tau);
    return cumulative_[lo] + 0.5 * (trace_.speed_mps[lo] + v_tau) * (tau - t[lo]);
  }
  double total() const { return cumulative_.back(); }

 private:
  const SpeedTrace& trace_;
  std::vector<double> cumulative_;
};

}  // namespace

RangeMethod parse_range_method(const std::string& text) {
  if (text == "simulated") return RangeMethod::simulated;
  if (text == "mean-power") return RangeMethod::mean_power;
  if (text == "nominal") return RangeMethod::nominal;
  throw InputError(InputLocation{"", 0, "--range"}, text, "simulated, mean-power or nominal");
}

const char* to_string(RangeMethod method) {
  switch (method) {
    case RangeMethod::simulated: return "simulated";
    case RangeMethod::mean_power: return "mean-power";
    case RangeMethod::nominal: return "nominal";
  }
  return "unknown";
}

double CellPowerProfile::value_at(double t) const { return interpolate(time_s, power_W, t); }

double CellPowerProfile::energy_J() const {
  double e = 0.0;
  for (size_t k = 1; k < time_s.size(); ++k) e += 0.5 * (power_W[k - 1] + power_W[k]) * (time_s[k] - time_s[k - 1]);
  return e;
}

CellPowerProfile midpoint_profile(const PowerTrace& power, const std::vector<double>& per_interval, double scale) {
  CellPowerProfile p;
  const size_t n = per_interval.size();
  if (n == 0) throw std::logic_error("empty power trace");
  p.time_s.reserve(n + 2);
  p.power_W.reserve(n + 2);
  p.time_s.push_back(power.start_s.front());
  p.power_W.push_back(per_interval.front() * scale);
  for (size_t k = 0; k < n; ++k) {
    p.time_s.push_back(0.5 * (power.start_s[k] + power.end_s[k]));
    p.power_W.push_back(per_interval[k] * scale);
  }
  p.time_s.push_back(power.end_s.back());
  p.power_W.push_back(per_interval.back() * scale);
  return p;
}

CellPowerProfile cell_power_profile(const PowerTrace& power, int cells_in_pack) {
  if (cells_in_pack < 1) throw std::logic_error("a pack needs at least one cell");
  return midpoint_profile(power, power.battery_W, 1.0 / cells_in_pack);
}

experiment::Solution drive_cell(electrochem::BatteryModel& model, const CellPowerProfile& profile, int passes,
                                const experiment::SimulationOptions& options, std::optional<double> output_period_s) {
  TemporaryProfileFile file(profile);
  std::vector<experiment::Step> steps;
  for (int i = 0; i < passes; ++i) {
    experiment::Step s;
    s.kind = experiment::StepKind::drive_cycle;
    s.drive_cycle_path = file.path().string();
    s.drive_cycle_quantity = experiment::DriveCycleQuantity::power;
    s.duration_s = profile.duration_s();
    s.period_s = output_period_s;
    s.number = i + 1;
    s.cycle = i + 1;
    s.text = fmt::format("Drive cycle power (pass {})", i + 1);
    steps.push_back(std::move(s));
  }
  return experiment::run_experiment(model, steps, options);
}

DriveReport drive(const cell::Cell& cell, const cell::DesignFigures& figures, const std::string& origin, const Pack& pack,
                  const Vehicle& vehicle, const SpeedTrace& trace, const DriveOptions& o) {
  DriveReport r;
  r.cell_name = cell.name;
  r.cycle_name = trace.name;
  r.cycle_source = trace.source;
  r.pack = pack;
  r.pack_figures = pack_figures(pack, cell, figures);
  const int cells = r.pack_figures.cells;

  r.power = vehicle_power(vehicle, r.pack_figures.mass_kg, trace);
  r.vehicle_mass_kg = r.power.vehicle_mass_kg;
  r.balance = energy_balance(r.power);
  const auto profile = cell_power_profile(r.power, cells);
  r.profile_energy_J = profile.energy_J() * cells;

  auto parameters = electrochem::model_parameters(cell, origin);
  if (o.isothermal) parameters.thermal.reset();
  // The SPMe needs a liquid electrolyte; a solid-state cell runs its DFN.
  r.model = o.model == "auto" ? (parameters.solid_state ? "dfn" : "spme") : o.model;
  auto model = electrochem::make_model(r.model, parameters, electrochem::Mesh{o.mesh, o.mesh, o.mesh, o.mesh});
  const double nominal_Ah = model->parameters().nominal_capacity_Ah;

  experiment::SimulationOptions so;
  so.initial_soc = pack.soc_max;
  so.ambient_temperature_K = o.ambient_temperature_K;
  so.relative_tolerance = o.relative_tolerance;
  so.integrator = o.integrator;
  so.max_solver_steps_per_step = 1000000;  // a long cycle at 1 Hz is many short solver steps, not a stall

  // One cycle: consumption and the time series.
  r.cycle_solution = drive_cell(*model, profile, 1, so, o.output_period_s > 0.0 ? std::optional<double>(o.output_period_s) : std::nullopt);
  const auto& sol = r.cycle_solution;
  r.solve_time_s = sol.solve_time_s;
  if (sol.failure)
    r.failure = fmt::format("solver failed at t = {:.3f} s in pass {}: {}", sol.failure->time_s, sol.failure->step, sol.failure->reason);
  r.stopped_early = sol.stopped_early;
  const auto wheel = midpoint_profile(r.power, r.power.wheel_W);
  const auto battery = midpoint_profile(r.power, r.power.battery_W);
  auto& s = r.series;
  r.cell_min_voltage_V = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < sol.time_s.size(); ++k) {
    const double t = sol.time_s[k];
    s.time_s.push_back(t);
    s.speed_mps.push_back(interpolate(trace.time_s, trace.speed_mps, t));
    s.wheel_power_W.push_back(wheel.value_at(t));
    s.battery_power_W.push_back(battery.value_at(t));
    s.cell_current_A.push_back(sol.current_A[k]);
    s.cell_voltage_V.push_back(sol.voltage_V[k]);
    s.soc.push_back(pack.soc_max - sol.discharge_capacity_Ah[k] / nominal_Ah);
    s.temperature_K.push_back(sol.temperature_K[k]);
    r.cell_min_voltage_V = std::min(r.cell_min_voltage_V, sol.voltage_V[k]);
    r.cell_max_discharge_current_A = std::max(r.cell_max_discharge_current_A, sol.current_A[k]);
    r.cell_max_charge_current_A = std::max(r.cell_max_charge_current_A, -sol.current_A[k]);
    r.cell_max_temperature_K = k == 0 ? sol.temperature_K[k] : std::max(r.cell_max_temperature_K, sol.temperature_K[k]);
    if (k > 0) r.cell_charge_throughput_Ah += 0.5 * (std::abs(sol.current_A[k]) + std::abs(sol.current_A[k - 1])) * (t - sol.time_s[k - 1]) / 3600.0;
  }
  r.cell_energy_Wh = sol.discharge_energy_Wh.empty() ? 0.0 : sol.discharge_energy_Wh.back();
  r.battery_energy_kWh = r.cell_energy_Wh * cells / 1000.0;
  const double cycle_km = r.balance.distance_m / 1000.0;
  if (cycle_km > 0.0) {
    r.consumption_kWh_per_100km = r.battery_energy_kWh / cycle_km * 100.0;
    r.wall_consumption_kWh_per_100km = r.consumption_kWh_per_100km / vehicle.charger_efficiency;
  }
  const double usable_kWh = r.pack_figures.usable_energy_Wh / 1000.0;
  if (r.consumption_kWh_per_100km > 0.0) r.range_estimate_km = usable_kWh / r.consumption_kWh_per_100km * 100.0;

  // Range: back to back from soc_max until the SOC floor or a voltage limit.
  const double cycle_Ah = sol.discharge_capacity_Ah.empty() ? 0.0 : sol.discharge_capacity_Ah.back();
  const double window_Ah = (pack.soc_max - pack.soc_min) * nominal_Ah;
  r.range_method = fmt::format("nominal: usable energy {:.2f} kWh (SOC {:.2f}-{:.2f} of the nominal energy) over the cycle's consumption", usable_kWh,
                               pack.soc_min, pack.soc_max);
  r.range_km = r.range_estimate_km;
  if (o.range == RangeMethod::nominal || !r.failure.empty() || !r.stopped_early.empty() || cycle_Ah <= 0.0 || cycle_km <= 0.0) {
    if (cycle_Ah <= 0.0) r.range_end = "the cycle does not discharge the battery";
    return r;
  }
  if (o.range == RangeMethod::mean_power) {
    // One constant-power discharge at the cycle's mean cell power over the SOC window.
    const double mean_W = profile.energy_J() / profile.duration_s();
    experiment::Step step;
    step.kind = experiment::StepKind::power;
    step.direction = experiment::Direction::discharge;
    step.watts = mean_W;
    step.duration_s = 2.0 * window_Ah * 3600.0 * parameters.voltage_max_V / mean_W + 3600.0;
    experiment::Termination until;
    until.quantity = experiment::Termination::Quantity::capacity;
    until.value = window_Ah;
    until.crossing = experiment::Termination::Crossing::rising;
    until.text = fmt::format("{:.4f} A.h", window_Ah);
    step.terminations.push_back(until);
    step.number = 1;
    step.cycle = 1;
    step.text = fmt::format("Discharge at {:.3f} W until {}", mean_W, until.text);
    const auto run = experiment::run_experiment(*model, {step}, so);
    r.solve_time_s += run.solve_time_s;
    if (run.failure) {
      r.failure = fmt::format("mean-power discharge: solver failed at t = {:.3f} s: {}", run.failure->time_s, run.failure->reason);
      return r;
    }
    r.mean_power_usable_energy_kWh = run.discharge_energy_Wh.back() * cells / 1000.0;
    r.range_km = r.mean_power_usable_energy_kWh / r.consumption_kWh_per_100km * 100.0;
    r.range_end = run.stopped_early.empty() ? fmt::format("SOC floor {:.2f}", pack.soc_min) : run.stopped_early;
    r.range_method = fmt::format("mean power: usable energy {:.2f} kWh of one discharge at the cycle's mean power ({:.2f} W per cell) from SOC {:.2f} to {}, "
                                 "over the cycle's consumption",
                                 r.mean_power_usable_energy_kWh, mean_W, pack.soc_max, r.range_end);
    return r;
  }
  const DistanceAlongTrace along(trace);
  int passes = std::min(o.max_range_passes, static_cast<int>(std::ceil(window_Ah / cycle_Ah * 1.05)) + 1);
  while (true) {
    auto run = drive_cell(*model, profile, passes, so);
    r.solve_time_s += run.solve_time_s;
    if (run.failure) {
      r.failure = fmt::format("range run: solver failed at t = {:.3f} s in pass {}: {}", run.failure->time_s, run.failure->step, run.failure->reason);
      return r;
    }
    const double q_floor = window_Ah;
    size_t end = run.time_s.size() - 1;
    double t_end = run.time_s.back();
    bool reached = false;
    for (size_t k = 1; k < run.time_s.size(); ++k) {
      if (run.discharge_capacity_Ah[k] >= q_floor) {
        const double q0 = run.discharge_capacity_Ah[k - 1], q1 = run.discharge_capacity_Ah[k];
        const double w = q1 > q0 ? (q_floor - q0) / (q1 - q0) : 1.0;
        t_end = run.time_s[k - 1] + w * (run.time_s[k] - run.time_s[k - 1]);
        end = k;
        reached = true;
        r.range_end = fmt::format("SOC floor {:.2f}", pack.soc_min);
        const double e = run.discharge_energy_Wh[k - 1] + w * (run.discharge_energy_Wh[k] - run.discharge_energy_Wh[k - 1]);
        r.range_usable_energy_kWh = e * cells / 1000.0;
        break;
      }
    }
    if (!reached && !run.stopped_early.empty()) {
      reached = true;
      r.range_end = run.stopped_early;
      r.range_usable_energy_kWh = run.discharge_energy_Wh.back() * cells / 1000.0;
    }
    if (!reached && passes < o.max_range_passes) {
      passes = std::min(o.max_range_passes, passes + passes / 2 + 1);
      continue;
    }
    if (!reached) {
      r.range_end = fmt::format("not reached in {} passes", passes);
      return r;
    }
    // Distance to t_end: whole passes plus the part of the last one.
    const double period = profile.duration_s();
    const int full = std::min(static_cast<int>(std::floor(t_end / period)), passes);
    r.range_km = (full * along.total() + along.at(t_end - full * period)) / 1000.0;
    r.range_simulated = true;
    r.range_method = fmt::format("simulated: {} back-to-back cycles of the {} cell model from SOC {:.2f}", full + 1, r.model, pack.soc_max);
    r.range_cell_min_voltage_V = std::numeric_limits<double>::infinity();
    RangePass current;
    for (size_t k = 0; k <= end; ++k) {
      const int pass = run.step_number[k];
      if (pass != current.pass && current.pass != 0) r.range_passes.push_back(current);
      if (pass != current.pass) {
        current = RangePass{};
        current.pass = pass;
        current.min_voltage_V = run.voltage_V[k];
        current.max_temperature_K = run.temperature_K[k];
      }
      current.end_s = run.time_s[k];
      current.distance_km = ((pass - 1) * along.total() + along.at(run.time_s[k] - (pass - 1) * period)) / 1000.0;
      current.soc_end = pack.soc_max - run.discharge_capacity_Ah[k] / nominal_Ah;
      current.min_voltage_V = std::min(current.min_voltage_V, run.voltage_V[k]);
      current.max_temperature_K = std::max(current.max_temperature_K, run.temperature_K[k]);
      r.range_cell_min_voltage_V = std::min(r.range_cell_min_voltage_V, run.voltage_V[k]);
      r.range_cell_max_temperature_K = std::max(r.range_cell_max_temperature_K, run.temperature_K[k]);
    }
    if (current.pass != 0) r.range_passes.push_back(current);
    return r;
  }
}

}  // namespace solidcell::vehicle
