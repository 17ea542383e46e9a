#include "solidcell/vehicle/year_of_use.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/ageing/solid_state_fade.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/longitudinal_model.hpp"

namespace solidcell::vehicle {

namespace {

constexpr double celsius_offset_K = 273.15;
constexpr double hour_s = 3600.0;
constexpr double parked_at_work_s = 8.0 * hour_s;
constexpr double parked_before_charge_s = 3.0 * hour_s;
constexpr double day_s = 24.0 * hour_s;
constexpr double checkup_temperature_K = 298.15;

// The trip profile the drive-cycle steps read, for as long as the year runs (drive.cpp keeps its own per run).
class ProfileFile {
 public:
  explicit ProfileFile(const CellPowerProfile& profile) {
    static std::atomic<unsigned long> counter{0};
    path_ = std::filesystem::temp_directory_path() / fmt::format("solidcell-year-{}-{}.csv", ::getpid(), counter++);
    std::ofstream out(path_);
    out << "time_s,power_W\n";
    for (std::size_t k = 0; k < profile.time_s.size(); ++k) out << fmt::format("{},{}\n", profile.time_s[k], profile.power_W[k]);
    if (!out) throw std::runtime_error("cannot write the drive profile to " + path_.string());
  }
  ~ProfileFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ProfileFile(const ProfileFile&) = delete;
  ProfileFile& operator=(const ProfileFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Time into the trace at which `distance_m` has been driven (speed linear between samples); the trace's end
// when it never gets that far.
double time_at_distance(const SpeedTrace& trace, double distance_m) {
  double d = 0.0;
  for (std::size_t k = 1; k < trace.time_s.size(); ++k) {
    const double dt = trace.time_s[k] - trace.time_s[k - 1];
    const double v0 = trace.speed_mps[k - 1], v1 = trace.speed_mps[k];
    const double step = 0.5 * (v0 + v1) * dt;
    if (d + step >= distance_m && step > 0.0) {
      // d(tau) = v0 tau + (v1 - v0) tau^2 / (2 dt) = distance_m - d, solved for tau in [0, dt].
      const double a = 0.5 * (v1 - v0) / dt, rest = distance_m - d;
      double tau = std::abs(a) < 1e-12 ? rest / v0 : (-v0 + std::sqrt(std::max(0.0, v0 * v0 + 4.0 * a * rest))) / (2.0 * a);
      return trace.time_s[k - 1] + std::clamp(tau, 0.0, dt);
    }
    d += step;
  }
  return trace.time_s.back();
}

experiment::Step make_step(experiment::StepKind kind, experiment::Direction direction, std::string text) {
  experiment::Step s;
  s.kind = kind;
  s.direction = direction;
  s.text = std::move(text);
  return s;
}

experiment::Termination until_voltage(double volts, experiment::Termination::Crossing crossing) {
  experiment::Termination t;
  t.quantity = experiment::Termination::Quantity::voltage;
  t.value = volts;
  t.crossing = crossing;
  t.text = fmt::format("{:.4f} V", volts);
  return t;
}

experiment::Termination until_c_rate(double rate) {
  experiment::Termination t;
  t.quantity = experiment::Termination::Quantity::c_rate;
  t.value = rate;
  t.crossing = experiment::Termination::Crossing::falling;
  t.text = fmt::format("C/{:g}", 1.0 / rate);
  return t;
}

// Numbers steps 1..N in order, all in cycle 1 (the study counts days itself).
std::vector<experiment::Step> numbered(std::vector<experiment::Step> steps) {
  for (std::size_t k = 0; k < steps.size(); ++k) {
    steps[k].number = static_cast<int>(k) + 1;
    steps[k].cycle = 1;
  }
  return steps;
}

// CC at `rate` until `cc_volts`, then CV at `cv_volts` until `taper`: the charge steps. The CV's current starts at
// the CC's and falls through the taper; a CC that starts above its limit ends at once (run_experiment ends a step
// whose limit holds at its start).
void add_cccv(std::vector<experiment::Step>& steps, double rate, double cc_volts, double cv_volts, double taper, double max_cv_s) {
  auto cc = make_step(experiment::StepKind::c_rate, experiment::Direction::charge, fmt::format("Charge at {:g}C until {:.4f} V", rate, cc_volts));
  cc.c_rate = -rate;
  cc.duration_s = 2.0 / rate * hour_s;
  cc.terminations.push_back(until_voltage(cc_volts, experiment::Termination::Crossing::rising));
  steps.push_back(cc);
  auto cv = make_step(experiment::StepKind::voltage, experiment::Direction::none, fmt::format("Hold at {:.4f} V until C/{:g}", cv_volts, 1.0 / taper));
  cv.volts = cv_volts;
  cv.duration_s = max_cv_s;
  cv.terminations.push_back(until_c_rate(taper));
  steps.push_back(cv);
}

double lerp(double a, double b, double w) { return (1 - w) * a + w * b; }

}  // namespace

double Climate::temperature_K(int day) const {
  if (!daily_K.empty()) return daily_K[static_cast<std::size_t>((day - 1) % static_cast<int>(daily_K.size()))];
  return mean_K - amplitude_K * std::cos(2.0 * std::numbers::pi * (day - coldest_day) / 365.0);
}

std::vector<std::string> builtin_climates() { return {"reference", "berlin", "phoenix"}; }

Climate load_climate(const std::string& name_or_path) {
  Climate c;
  c.name = name_or_path;
  // Sinusoids through the annual mean and the coldest (January) and warmest (July) monthly means: amplitude =
  // (July - January) / 2, coldest on 15 January. Values rounded to 0.5 degC.
  auto sinusoid = [&](double annual_C, double january_C, double july_C, std::string source) {
    c.mean_K = annual_C + celsius_offset_K;
    c.amplitude_K = 0.5 * (july_C - january_C);
    c.coldest_day = 15;
    c.source = std::move(source);
    return c;
  };
  if (name_or_path == "reference") return sinusoid(25.0, 25.0, 25.0, "25 degC all year: the laboratory reference temperature");
  if (name_or_path == "berlin")
    return sinusoid(10.0, 1.0, 20.0, "Berlin-Tempelhof, DWD climate normals 1991-2020: annual mean ~10 degC, January ~1 degC, July ~20 degC");
  if (name_or_path == "phoenix")
    return sinusoid(24.5, 14.0, 35.5, "Phoenix Sky Harbor, NOAA NCEI U.S. climate normals 1991-2020: annual mean ~24.5 degC, January ~14 degC, July ~35.5 degC");
  std::ifstream in(name_or_path);
  if (!in)
    throw InputError(InputLocation{name_or_path, 0, "--climate"}, "\"" + name_or_path + "\"",
                     "a built-in climate (reference, berlin, phoenix) or a CSV file day,temperature_C");
  std::stringstream ss;
  ss << in.rdbuf();
  return read_climate_csv(ss.str(), name_or_path);
}

Climate read_climate_csv(const std::string& text, const std::string& source) {
  Climate c;
  c.name = std::filesystem::path(source).stem().string();
  c.source = source;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!header) {
      if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
      if (line != "day,temperature_C") throw InputError(InputLocation{source, number, "header"}, "\"" + line + "\"", "day,temperature_C");
      header = true;
      continue;
    }
    const auto comma = line.find(',');
    double day = 0.0, t = 0.0;
    try {
      if (comma == std::string::npos) throw std::invalid_argument("no comma");
      std::size_t used = 0;
      day = std::stod(line.substr(0, comma), &used);
      t = std::stod(line.substr(comma + 1), &used);
    } catch (const std::exception&) {
      throw InputError(InputLocation{source, number, "day,temperature_C"}, "\"" + line + "\"", "two numbers");
    }
    if (day != static_cast<double>(c.daily_K.size() + 1))
      throw InputError(InputLocation{source, number, "day"}, fmt::format("{:g}", day), fmt::format("{} (days 1, 2, ... in order)", c.daily_K.size() + 1));
    if (!(t > -70.0 && t < 120.0)) throw InputError(InputLocation{source, number, "temperature_C"}, fmt::format("{:g}", t), "allowed range (-70, 120) degC");
    c.daily_K.push_back(t + celsius_offset_K);
  }
  if (c.daily_K.empty()) throw InputError(InputLocation{source, number, "day"}, "", "at least one day of temperatures");
  return c;
}

ChargeMode parse_charge_mode(const std::string& text) {
  if (text == "slow") return ChargeMode::slow;
  if (text == "fast") return ChargeMode::fast;
  throw InputError(InputLocation{"", 0, "--charge"}, "\"" + text + "\"", "slow or fast");
}

const char* to_string(ChargeMode mode) { return mode == ChargeMode::fast ? "fast" : "slow"; }

std::vector<double> YearResult::capacity_retention() const {
  std::vector<double> v;
  for (const auto& d : days) v.push_back(d.capacity_retention);
  return v;
}

YearResult simulate_year(const cell::Cell& cell, const cell::DesignFigures& figures, const std::string& origin, const Pack& pack,
                         const Vehicle& vehicle, const SpeedTrace& trace, const YearOptions& o) {
  if (o.days < 1 || o.days > 36500) throw InputError(InputLocation{"", 0, "--days"}, fmt::format("{}", o.days), "allowed range [1, 36500]");
  if (!(o.km_per_day > 0.0 && o.km_per_day <= 2000.0))
    throw InputError(InputLocation{"", 0, "--km-per-day"}, fmt::format("{:g}", o.km_per_day), "allowed range (0, 2000]");
  const double rate = o.charge == ChargeMode::fast ? o.fast_c_rate : o.slow_c_rate;
  if (!(rate > 0.0 && rate <= 10.0)) throw InputError(InputLocation{"", 0, "charge C-rate"}, fmt::format("{:g}", rate), "allowed range (0, 10]");

  YearResult r;
  r.cell_name = cell.name;
  r.cycle_name = trace.name;
  r.cycle_source = trace.source;
  r.climate_name = o.climate.name;
  r.climate_source = o.climate.source;
  r.pack = pack;
  r.pack_figures = pack_figures(pack, cell, figures);
  r.charge = o.charge;
  r.charge_c_rate = rate;
  r.km_per_day = o.km_per_day;
  const int cells = r.pack_figures.cells;

  // The trip: the pack's power along the cycle, per cell, repeated to half the daily distance.
  const auto power = vehicle_power(vehicle, r.pack_figures.mass_kg, trace);
  r.vehicle_mass_kg = power.vehicle_mass_kg;
  const auto profile = cell_power_profile(power, cells);
  const ProfileFile file(profile);
  const double cycle_m = trace.distance_m();
  if (!(cycle_m > 0.0)) throw InputError(InputLocation{trace.source, 0, "speed"}, "0 m", "a drive cycle that covers some distance");
  r.trip_km = 0.5 * o.km_per_day;
  const double passes = r.trip_km * 1000.0 / cycle_m;
  r.trip_passes = static_cast<int>(std::floor(passes + 1e-9));
  const double part_m = (passes - r.trip_passes) * cycle_m;
  r.trip_part_pass_s = part_m > 1e-3 ? time_at_distance(trace, part_m) - trace.time_s.front() : 0.0;
  if (r.trip_passes > 200) throw InputError(InputLocation{"", 0, "--km-per-day"}, fmt::format("{:g}", o.km_per_day), "at most 400 passes of the cycle a day");

  // The ageing cell: the ageing module's DFN with the cell's own degradation parameters.
  auto parameters = electrochem::model_parameters(cell, origin);
  if (!o.thermal) parameters.thermal.reset();
  ageing::AgeingCellOptions co;
  co.sei = parameters.sei ? electrochem::SeiGrowth::reaction_limited : electrochem::SeiGrowth::none;
  if (parameters.sei) r.mechanisms.push_back("SEI growth on the negative (reaction limited)");
  co.solid_state_fade = ageing::solid_state_fade_parameters(cell, parameters.electrode_area_m2);
  if (co.solid_state_fade) r.mechanisms.push_back("solid-state fade ([degradation] table): CEI, contact loss, lithium inventory, voids");
  co.mesh = electrochem::Mesh{o.mesh, o.mesh, o.mesh, o.mesh};
  co.simulation.initial_soc = pack.soc_max;
  co.simulation.relative_tolerance = o.relative_tolerance;
  co.simulation.integrator = o.integrator;
  co.simulation.max_solver_steps_per_step = 1000000;  // a trip at 1 Hz is many short solver steps, not a stall
  // No ambient_temperature_K: each day sets the model's own (run_experiment would override it).
  ageing::AgeingCell ageing_cell(parameters, co);
  auto& model = ageing_cell.model();
  const double nominal_Ah = model.parameters().nominal_capacity_Ah;
  const double v_max = model.parameters().voltage_max_V, v_min = model.parameters().voltage_min_V;

  // The BMS's charge-current limit of a day (bms_ccd_margin): below the lithium negative's critical current density
  // at the day's temperature; +inf for cells without one.
  if (!(o.bms_ccd_margin >= 0.0 && o.bms_ccd_margin <= 1.0))
    throw InputError(InputLocation{"", 0, "--bms-ccd-margin"}, fmt::format("{:g}", o.bms_ccd_margin), "allowed range [0, 1] (0: no limit)");
  const double area_m2 = model.parameters().electrode_area_m2;
  const auto charge_limit_A = [&](int day) {
    const auto* fade = ageing_cell.solid_state_fade();
    if (!fade || o.bms_ccd_margin <= 0.0 || !(fade->parameters().rates.ccd_A_per_m2 > 0.0)) return std::numeric_limits<double>::infinity();
    return o.bms_ccd_margin * fade->critical_current_density_A_per_m2(o.climate.temperature_K(day)) * area_m2 *
           fade->state().lithium_contact_fraction;
  };
  // Trip profiles with the braking power the limit cuts (at the cell's nominal voltage), one file per limit in mA.
  const double v_nominal = figures.nominal_voltage_V;
  std::map<long long, std::unique_ptr<ProfileFile>> limited_files;
  const auto trip_file = [&](double limit_A) -> const ProfileFile& {
    if (!std::isfinite(limit_A)) return file;
    const auto key = static_cast<long long>(std::floor(limit_A * 1000.0));
    auto& f = limited_files[key];
    if (!f) {
      CellPowerProfile clipped = profile;
      const double floor_W = -static_cast<double>(key) / 1000.0 * v_nominal;
      for (auto& w : clipped.power_W) w = std::max(w, floor_W);
      f = std::make_unique<ProfileFile>(clipped);
    }
    return *f;
  };
  std::map<int, std::pair<double, double>> day_limits;  // day -> (limit A, charge C-rate)

  // One day's steps at its ambient temperature.
  const double trip_s = r.trip_passes * profile.duration_s() + r.trip_part_pass_s;
  const double day_charge_estimate_Ah = 2.0 * (r.trip_passes * profile.energy_J() + (r.trip_part_pass_s > 0 ? profile.energy_J() * part_m / cycle_m : 0.0)) /
                                        (r.pack_figures.nominal_voltage_V / pack.series) / hour_s;
  const double charge_estimate_s = std::max(0.0, day_charge_estimate_Ah) / (rate * nominal_Ah) * hour_s;
  const double night_s = std::max(hour_s, day_s - 2.0 * trip_s - parked_at_work_s - parked_before_charge_s - charge_estimate_s);
  auto trip = [&](std::vector<experiment::Step>& steps, const char* which, const ProfileFile& trip_profile) {
    auto pass = [&](double duration, int k) {
      auto s = make_step(experiment::StepKind::drive_cycle, experiment::Direction::none, fmt::format("{} trip, {} pass {}", which, trace.name, k));
      s.drive_cycle_path = trip_profile.path();
      s.drive_cycle_quantity = experiment::DriveCycleQuantity::power;
      s.duration_s = duration;
      steps.push_back(std::move(s));
    };
    for (int k = 1; k <= r.trip_passes; ++k) pass(profile.duration_s(), k);
    if (r.trip_part_pass_s > 0.0) pass(r.trip_part_pass_s, r.trip_passes + 1);
  };
  auto rest = [](std::vector<experiment::Step>& steps, double seconds, const std::string& text) {
    auto s = make_step(experiment::StepKind::rest, experiment::Direction::none, text);
    s.duration_s = seconds;
    steps.push_back(std::move(s));
  };
  // The night's charge puts back what the day's trips are expected to take (the last solved day's, or the
  // profile's energy at the nominal voltage before any) plus the drift since the start of the year, counted in
  // the model's cumulative discharged charge: coulomb counting to soc_max, as a battery management system does.
  double expected_drive_Ah = day_charge_estimate_Ah;
  ageing::CycleSource source;
  source.steps = [&](int day) {
    model.set_temperature(o.climate.temperature_K(day));
    const double limit_A = charge_limit_A(day);
    const double night_rate = std::min(rate, limit_A / nominal_Ah);
    day_limits[day] = {limit_A, night_rate};
    const auto& trip_profile = trip_file(limit_A);
    std::vector<experiment::Step> steps;
    trip(steps, "Morning", trip_profile);
    rest(steps, parked_at_work_s, "Parked for 8 hours");
    trip(steps, "Evening", trip_profile);
    rest(steps, parked_before_charge_s, "Parked for 3 hours");
    const double drift_Ah = model.discharge_capacity_Ah(ageing_cell.state().data());
    const double charge_Ah = std::max(0.01 * nominal_Ah, expected_drive_Ah + drift_Ah);
    auto cc = make_step(experiment::StepKind::c_rate, experiment::Direction::charge,
                        fmt::format("Charge at {:g}C until {:.4f} A.h or {:.3f} V", night_rate, charge_Ah, v_max));
    cc.c_rate = -night_rate;
    cc.duration_s = 2.0 / night_rate * hour_s;
    experiment::Termination until_charge;
    until_charge.quantity = experiment::Termination::Quantity::capacity;
    until_charge.value = charge_Ah;
    until_charge.crossing = experiment::Termination::Crossing::rising;
    until_charge.text = fmt::format("{:.4f} A.h", charge_Ah);
    cc.terminations.push_back(until_charge);
    cc.terminations.push_back(until_voltage(v_max, experiment::Termination::Crossing::rising));
    steps.push_back(cc);
    rest(steps, night_s, "Parked until the morning");
    return numbered(std::move(steps));
  };

  // The reference check-up on a copy of the state, at 25 degC: the cell's state and temperature are left as they were.
  const auto checkup_steps = [&] {
    std::vector<experiment::Step> s;
    // Empty first, so that every check-up charges the same way from the same end.
    auto empty = make_step(experiment::StepKind::c_rate, experiment::Direction::discharge, fmt::format("Discharge at C/3 until {:.3f} V", v_min));
    empty.c_rate = 1.0 / 3.0;
    empty.duration_s = 6.0 * hour_s;
    empty.terminations.push_back(until_voltage(v_min, experiment::Termination::Crossing::falling));
    s.push_back(empty);
    add_cccv(s, 1.0 / 3.0, v_max, v_max, 1.0 / 50.0, 10.0 * hour_s);
    auto d = make_step(experiment::StepKind::c_rate, experiment::Direction::discharge, fmt::format("Discharge at C/3 until {:.3f} V", v_min));
    d.c_rate = 1.0 / 3.0;
    d.duration_s = 6.0 * hour_s;
    d.terminations.push_back(until_voltage(v_min, experiment::Termination::Crossing::falling));
    s.push_back(d);
    return numbered(std::move(s));
  }();
  // The check-up's run, or nothing when it did not complete (the reason kept in last_checkup_failure; r.checkup_failure
  // takes it when the day it failed on is a day the year keeps, not a solve a rejected jump undid).
  std::string last_checkup_failure;
  auto checkup = [&]() -> std::optional<experiment::Solution> {
    experiment::SimulationOptions so = ageing_cell.options().simulation;
    so.initial_state = ageing_cell.state();
    so.record_profiles = false;
    so.ambient_temperature_K = checkup_temperature_K;
    // The check-up has its own retry (below: IDA at 1e-6, which the solid-state cells' end of discharge needs); the
    // runner's step-by-step fallback before it would only triple the cost of every failing check-up.
    so.switch_integrator_on_failure = false;
    const double day_temperature = model.temperature();
    // With the solid-state fade the negative's lithium is finite: each discharge of the check-up ends where it is
    // stripped, as AgeingCell::advance ends them, so the check-up runs step by step from the state before each
    // step. Only its last step (the measured discharge) is kept then: that is all the day's summary reads.
    const auto run_checkup = [&](experiment::SimulationOptions opts) {
      const auto* fade = ageing_cell.solid_state_fade();
      if (!fade) return experiment::run_experiment(model, checkup_steps, opts);
      experiment::Solution part;
      std::vector<double> y = *opts.initial_state;
      for (const auto& step : checkup_steps) {
        opts.initial_state = y;
        part = experiment::run_experiment(model, {fade->limited(step, model, y)}, opts);
        if (part.failure || !part.stopped_early.empty() || part.final_state.empty()) break;
        y = part.final_state;
      }
      return part;
    };
    auto sol = run_checkup(so);
    if (sol.failure && so.integrator != numerics::IntegratorKind::ida) {
      // Once more with IDA at a tighter tolerance before giving up (a check-up is a few smooth steps; the
      // solid-state cells' end of discharge needs 1e-6).
      so.integrator = numerics::IntegratorKind::ida;
      so.relative_tolerance = std::min(so.relative_tolerance, 1e-6);
      sol = run_checkup(so);
    }
    model.set_temperature(day_temperature);
    const std::size_t expected_steps = ageing_cell.solid_state_fade() ? 1 : checkup_steps.size();
    if (sol.failure || sol.steps.size() < expected_steps || sol.steps.back().number != checkup_steps.back().number) {
      last_checkup_failure = sol.failure ? fmt::format("step {}: {}", sol.failure->step, sol.failure->reason)
                                        : (sol.stopped_early.empty() ? std::string("ended before its last step") : sol.stopped_early);
      return std::nullopt;
    }
    return sol;
  };

  // Per solved day: what CycleSummary does not hold.
  struct DayExtra {
    double checkup_energy_Wh = 0.0, drive_energy_Wh = 0.0, drive_Ah = 0.0;
    std::string checkup_failure;
  };
  std::map<int, DayExtra> extras;
  // A solved day's summary is the ageing module's summary of its check-up's last discharge (capacity, 10 s
  // resistance, and the capacity lost shared among the mechanisms against day 1's), with the cell's degradation
  // state at the end of the day, and the day's own charge, drive energy and length.
  const std::vector<experiment::Step> measured{checkup_steps.back()};
  source.summarise = [&](int day, const experiment::Solution& sol, const ageing::AgeingCell& c, const std::vector<experiment::Step>& steps,
                         const ageing::CycleSummary* first) {
    DayExtra e;
    double charge_Ah = 0.0;
    for (const auto& st : sol.steps) {
      const auto& step = steps[static_cast<std::size_t>(st.number - 1)];
      if (step.kind == experiment::StepKind::drive_cycle) {
        e.drive_energy_Wh += st.energy_Wh;
        e.drive_Ah += st.capacity_Ah;
      }
      if (st.capacity_Ah < 0) charge_Ah -= st.capacity_Ah;
    }
    const bool day_stopped = sol.failure.has_value() || !sol.stopped_early.empty() || sol.steps.size() < steps.size();
    ageing::CycleSummary s;
    bool checkup_failed = false;
    if (auto k = checkup()) {
      experiment::Solution last = *k;
      last.steps = {k->steps.back()};
      s = ageing::summarise_cycle(day, last, c, measured, first);
      e.checkup_energy_Wh = k->steps.back().energy_Wh;
    } else {
      checkup_failed = true;
      e.checkup_failure = last_checkup_failure;
      s = ageing::summarise_cycle(day, sol, c, steps, first);
      s.discharge_capacity_Ah = 0.0;
      s.capacity_retention = 0.0;
      s.resistance_ohm = std::nan("");
    }
    s.charge_capacity_Ah = charge_Ah;
    s.discharge_energy_Wh = e.drive_energy_Wh;
    s.duration_s = sol.time_s.empty() ? 0.0 : sol.time_s.back();
    // Without its capacity the year has nothing to extrapolate: it ends there, and says why.
    s.stopped_early = day_stopped || checkup_failed;
    extras[day] = e;
    if (e.drive_Ah > 0.0) expected_drive_Ah = e.drive_Ah;
    return s;
  };

  ageing::CycleStudyOptions so;
  so.cycles = o.days;
  so.accelerate = o.accelerate;
  so.tolerance = o.tolerance;
  so.max_jump = o.max_jump;
  so.progress = o.progress;
  auto study = ageing::run_cycle_study(ageing_cell, source, so);
  for (const auto& c : study.cycles)
    if (c.simulated && r.checkup_failure.empty()) r.checkup_failure = extras[c.cycle].checkup_failure;
  r.solves = study.solved_cycles;
  r.rejected_jumps = study.rejected_jumps;
  r.stopped = study.stopped;
  if (!r.stopped.empty() && !r.checkup_failure.empty())
    r.stopped = fmt::format("the capacity check-up failed ({}); the year ends at the last day with a capacity", r.checkup_failure);
  r.wall_time_s = study.wall_time_s;

  // Days: the study's summaries with the extras of solved days, interpolated between them like the rest.
  const auto& cs = study.cycles;
  std::size_t previous_solved = 0;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    DaySummary d;
    d.day = c.cycle;
    d.simulated = c.simulated;
    d.ambient_K = o.climate.temperature_K(c.cycle);
    d.capacity_Ah = c.discharge_capacity_Ah;
    d.capacity_retention = c.capacity_retention;
    d.resistance_ohm = c.resistance_ohm;
    d.resistance_growth = c.resistance_growth;
    d.lithium_inventory_mol = c.lithium_inventory_mol;
    d.lithium_total_mol = c.lithium_total_mol;
    d.lithium_lost_to_sei_mol = c.lithium_lost_to_sei_mol;
    d.capacity_lost_to_sei_Ah = c.capacity_lost_to_sei_Ah;
    d.capacity_lost_Ah = cs.front().discharge_capacity_Ah - c.discharge_capacity_Ah;
    d.capacity_lost_by_mechanism_Ah = c.capacity_lost_Ah;
    d.capacity_loss_share = c.capacity_loss_share;
    d.cell_drive_energy_Wh = c.discharge_energy_Wh;
    d.cell_charge_Ah = c.charge_capacity_Ah;
    d.duration_s = c.duration_s;
    d.stopped_early = c.stopped_early;
    if (const auto it = day_limits.find(c.cycle); it != day_limits.end()) {
      d.charge_limit_A = it->second.first;
      d.charge_c_rate = it->second.second;
    } else {  // a day jumped over: the limit as that day's temperature gives it with the state reached
      d.charge_limit_A = charge_limit_A(c.cycle);
      d.charge_c_rate = std::min(rate, d.charge_limit_A / nominal_Ah);
    }
    if (c.simulated) {
      d.checkup_energy_Wh = extras[c.cycle].checkup_energy_Wh;
      previous_solved = i;
    } else {
      std::size_t next = i;
      while (next < cs.size() && !cs[next].simulated) ++next;
      const double a = extras[cs[previous_solved].cycle].checkup_energy_Wh;
      const double b = next < cs.size() ? extras[cs[next].cycle].checkup_energy_Wh : a;
      const double w = next < cs.size() ? static_cast<double>(c.cycle - cs[previous_solved].cycle) / (cs[next].cycle - cs[previous_solved].cycle) : 0.0;
      d.checkup_energy_Wh = lerp(a, b, w);
    }
    d.pack_drive_energy_kWh = d.cell_drive_energy_Wh * cells / 1000.0;
    d.distance_km = d.stopped_early ? 0.0 : o.km_per_day;  // a day a cell limit cut short is not counted as driven
    d.consumption_kWh_per_100km = d.distance_km > 0 ? d.pack_drive_energy_kWh / d.distance_km * 100.0 : 0.0;
    r.energy_driven_kWh += d.pack_drive_energy_kWh;
    r.distance_km += d.distance_km;
    if (d.simulated) ++r.solved_days;
    r.days.push_back(d);
  }
  if (!r.days.empty() && r.days.front().capacity_Ah > 0) {
    double charge_Ah = 0.0;
    for (const auto& d : r.days) charge_Ah += d.cell_charge_Ah;
    r.equivalent_full_cycles = charge_Ah / r.days.front().capacity_Ah;
    auto range = [&](const DaySummary& d) {
      return d.consumption_kWh_per_100km > 0 ? d.checkup_energy_Wh * cells * (pack.soc_max - pack.soc_min) / 1000.0 / d.consumption_kWh_per_100km * 100.0 : 0.0;
    };
    r.range_start_km = range(r.days.front());
    r.range_end_km = range(r.days.back());
  }
  return r;
}

}  // namespace solidcell::vehicle
