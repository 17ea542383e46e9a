#pragma once
// A year of use: one vehicle's daily driving imposed on its pack's representative cell (an ageing::AgeingCell,
// so every degradation mechanism the ageing module solves acts), day after day, with the cell's state carried.
// docs/vehicle.md, "A year of use".
//
// One day (from the morning departure):
//   morning trip   the drive cycle's pack power / cells, whole passes plus a part pass to half the daily distance
//   parked         8 h at the day's ambient temperature
//   evening trip   as the morning's
//   parked         3 h
//   charge         CC at the charge rate (slow C/3, fast 1.5C), every night, back to the pack's soc_max by
//                  coulomb counting: the charge the trips are expected to take (the last solved day's) plus the
//                  drift since the start of the year (the model's cumulative discharged charge), or until the
//                  cell's upper voltage. (No CV: run_experiment ends a step when its limit is crossed, not when it
//                  holds at the step's start, so a CV's taper would be missed when it starts below it.)
//   parked         the rest of 24 h, from an estimate of the charge time (the simulated day's length is reported)
// The ambient temperature of a day (the model's ambient, hence its Arrhenius rates and its lumped thermal
// model's surroundings) follows a yearly profile: a sinusoid through a city's climate normals, or a CSV file.
//
// Days are the ageing module's cycles (ageing::run_cycle_study with a CycleSource): in accelerated mode
// representative days are solved in full and the degradation state is extrapolated between them under its
// error control. After each solved day a reference check-up, run on a copy of the cell's state at 25 degC (it
// does not age the cell), measures the capacity: a C/3 discharge to the cell's lower voltage, a CC-CV charge at
// C/3 to its upper voltage (until C/50), then a C/3 discharge to the lower voltage; capacity = that last
// discharge's charge, resistance = (U_ocv - V) / I ten seconds into it.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/pack.hpp"
#include "solidcell/vehicle/speed_trace.hpp"
#include "solidcell/vehicle/vehicle.hpp"

namespace solidcell::vehicle {

// The ambient temperature of each day of the year.
struct Climate {
  std::string name;
  std::string source;
  // Sinusoid: mean - amplitude cos(2 pi (day - coldest_day) / 365).
  double mean_K = 298.15;
  double amplitude_K = 0.0;
  int coldest_day = 15;
  // From a file: one temperature per day (day 1 first); it repeats after its last day.
  std::vector<double> daily_K;

  double temperature_K(int day) const;  // day 1-based
};

// "reference" (25 degC all year), "berlin", "phoenix", "oslo" (climate normals, see the source strings), or a CSV
// file with the header day,temperature_C (days 1, 2, ... in order). Bad content throws InputError.
Climate load_climate(const std::string& name_or_path);
Climate read_climate_csv(const std::string& text, const std::string& source);
std::vector<std::string> builtin_climates();

enum class ChargeMode { slow, fast };
ChargeMode parse_charge_mode(const std::string& text);  // "slow" or "fast"; InputError (field "--charge") otherwise
const char* to_string(ChargeMode mode);

struct YearOptions {
  int days = 365;
  double km_per_day = 40.0;  // two trips of half each
  ChargeMode charge = ChargeMode::slow;
  double slow_c_rate = 1.0 / 3.0;
  double fast_c_rate = 1.5;
  Climate climate;  // default: 25 degC all year
  bool accelerate = true;
  double tolerance = 5e-4;  // per jump, as a fraction of capacity retention (ageing::CycleStudyOptions)
  int max_jump = 30;        // days skipped at most in one jump
  int mesh = 8;
  double relative_tolerance = 1e-4;
  numerics::IntegratorKind integrator = numerics::IntegratorKind::bdf;
  bool thermal = true;  // the cell's lumped thermal model, when it has one
  // The battery management system's charge-current limit for lithium-metal negatives ([degradation.short]): the
  // current that charges the cell, regenerative braking and the charger alike, is held below this fraction of the
  // critical current density at the day's ambient temperature (the pack's when the car sets off), over the lithium
  // contact left. Braking power above it goes to the friction brakes; the night's charge slows to it. 0: no limit.
  double bms_ccd_margin = 0.8;
  std::function<void(int days_done, int days)> progress;
};

struct DaySummary {
  int day = 0;
  bool simulated = true;  // false: interpolated between solved days
  double ambient_K = 0.0;
  double capacity_Ah = 0.0;  // check-up
  double capacity_retention = 1.0;
  double checkup_energy_Wh = 0.0;  // the check-up discharge's energy
  double resistance_ohm = 0.0;     // check-up, 10 s into the C/3 discharge
  double resistance_growth = 0.0;
  double lithium_inventory_mol = 0.0;  // cyclable
  double lithium_total_mol = 0.0;      // cyclable + SEI: conserved
  double lithium_lost_to_sei_mol = 0.0;
  double capacity_lost_Ah = 0.0;         // day 1's check-up capacity - this day's
  double capacity_lost_to_sei_Ah = 0.0;  // the lithium SEI took, as charge
  // The capacity lost, shared among the mechanisms as the ageing module shares it (ageing::FadeMechanism order).
  std::array<double, ageing::fade_mechanisms> capacity_lost_by_mechanism_Ah{};
  std::array<double, ageing::fade_mechanisms> capacity_loss_share{};
  double cell_drive_energy_Wh = 0.0;     // net, delivered by the cell over both trips
  double pack_drive_energy_kWh = 0.0;    // cell x cells
  double consumption_kWh_per_100km = 0.0;
  double cell_charge_Ah = 0.0;  // put back by the night's charge
  double charge_limit_A = 0.0;  // the BMS's charge-current limit of the day (per cell); +inf without one
  double charge_c_rate = 0.0;   // the night's charge rate, the limit applied
  double distance_km = 0.0;
  double duration_s = 0.0;
  bool stopped_early = false;
};

struct YearResult {
  std::string cell_name, cycle_name, cycle_source, climate_name, climate_source;
  Pack pack;
  PackFigures pack_figures;
  double vehicle_mass_kg = 0.0;
  ChargeMode charge = ChargeMode::slow;
  double charge_c_rate = 0.0;
  double km_per_day = 0.0;
  double trip_km = 0.0;
  int trip_passes = 0;            // whole passes of the cycle per trip
  double trip_part_pass_s = 0.0;  // and the part pass's duration
  std::vector<DaySummary> days;
  int solved_days = 0;  // days solved in full that the year kept
  int solves = 0;       // days solved in all, jumps later undone included
  int rejected_jumps = 0;
  std::string stopped;  // why the year ended early; empty otherwise
  std::string checkup_failure;  // why a check-up did not complete (its capacity then reads 0), the first one
  double wall_time_s = 0.0;
  std::vector<std::string> mechanisms;  // the degradation mechanisms the cell's model solves, in words

  double energy_driven_kWh = 0.0;  // pack, sum of the days
  double distance_km = 0.0;
  double equivalent_full_cycles = 0.0;  // sum of the nights' charge / day 1's check-up capacity
  // Range: the pack's usable energy (check-up energy x cells x (soc_max - soc_min)) over the day's consumption.
  double range_start_km = 0.0, range_end_km = 0.0;

  std::vector<double> capacity_retention() const;
};

// The year for `cell` in `pack`, on `vehicle`, along `trace`. Throws InputError for options out of range.
YearResult simulate_year(const cell::Cell& cell, const cell::DesignFigures& cell_figures, const std::string& cell_origin, const Pack& pack,
                         const Vehicle& vehicle, const SpeedTrace& trace, const YearOptions& options);

}  // namespace solidcell::vehicle
