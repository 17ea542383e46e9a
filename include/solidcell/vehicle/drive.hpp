#pragma once
// Driving the cells: the pack's battery power along a speed trace, imposed on one representative cell
// (P / (N_s N_p), every cell alike) through experiment::run_experiment, once for the consumption and back to
// back down to the pack's SOC floor for the range. docs/vehicle.md.
//
// Two levels: drive_cell() runs any built BatteryModel through repeated passes of a power profile (what the
// ageing studies reuse), and drive() does the whole vehicle: pack figures, power, consumption, range.
#include <optional>
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/vehicle/longitudinal_model.hpp"
#include "solidcell/vehicle/pack.hpp"
#include "solidcell/vehicle/speed_trace.hpp"
#include "solidcell/vehicle/vehicle.hpp"

namespace solidcell::vehicle {

// A power profile for one cell [W, positive on discharge], linear between its points as drive cycles are.
// From a PowerTrace it holds each interval's mean power at the interval's midpoint (and the first and last
// powers at the trace's ends), so that on a uniformly sampled trace its integral equals the trace's energy.
struct CellPowerProfile {
  std::vector<double> time_s;
  std::vector<double> power_W;

  double duration_s() const { return time_s.back() - time_s.front(); }
  double value_at(double t) const;  // linear between points, the end values held outside
  double energy_J() const;          // exact integral of the piecewise-linear profile
};

CellPowerProfile cell_power_profile(const PowerTrace& power, int cells_in_pack);
// The same reconstruction for any per-interval series (wheel power, say), for outputs on the cell's time grid.
CellPowerProfile midpoint_profile(const PowerTrace& power, const std::vector<double>& per_interval, double scale = 1.0);

// Runs `model` from options.initial_soc through `passes` back-to-back passes of the profile (one experiment
// step each, "Drive cycle power"), stopping early at the cell's voltage limits like any experiment. The profile
// is handed to the step as a temporary CSV file, removed afterwards.
// `output_period_s`, when given, puts the rows on that grid (the steps' "(N second period)"); otherwise one row
// per solver step.
experiment::Solution drive_cell(electrochem::BatteryModel& model, const CellPowerProfile& profile, int passes,
                                const experiment::SimulationOptions& options, std::optional<double> output_period_s = std::nullopt);

// How range_km is found. simulated: the cycle back to back from soc_max until the SOC floor or a voltage limit
// (the reference; one cell-model run of the whole range). mean_power: the usable energy of one constant-power
// discharge of the cell at the cycle's mean power from soc_max to soc_min, over the cycle's consumption (one
// cheap run). nominal: the pack's nominal energy x (soc_max - soc_min) over the consumption (no run).
enum class RangeMethod { simulated, mean_power, nominal };
RangeMethod parse_range_method(const std::string& text);  // "simulated", "mean-power", "nominal"; InputError otherwise
const char* to_string(RangeMethod method);

struct DriveOptions {
  std::string model = "auto";  // spm, spme or dfn; auto: SPMe for liquid cells, the solid-state DFN for solid-state ones
  int mesh = 10;               // finite volumes per region and particle
  double ambient_temperature_K = 298.15;
  double relative_tolerance = 1e-5;
  numerics::IntegratorKind integrator = numerics::IntegratorKind::ida;
  bool isothermal = false;     // drop the cell's lumped thermal model
  RangeMethod range = RangeMethod::mean_power;
  int max_range_passes = 2000;
  // Rows of the one-cycle run every 0.5 s: on a 1 Hz trace they fall on the power profile's knots (samples and
  // midpoints), so trapezoidal sums over the rows follow the imposed power; 0: one row per solver step.
  double output_period_s = 0.5;
};

// One pass through the cycle on the cell's time grid: what --output writes.
struct DriveSeries {
  std::vector<double> time_s, speed_mps, wheel_power_W, battery_power_W, cell_current_A, cell_voltage_V, soc, temperature_K;
};

struct RangePass {  // one cycle of the range run
  int pass = 0;
  double end_s = 0.0;
  double distance_km = 0.0;  // cumulative
  double soc_end = 0.0;
  double min_voltage_V = 0.0;
  double max_temperature_K = 0.0;
};

struct DriveReport {
  std::string cell_name, model, cycle_name, cycle_source;
  Pack pack;
  PackFigures pack_figures;
  double vehicle_mass_kg = 0.0;  // with pack and cargo
  PowerTrace power;
  EnergyBalance balance;  // the vehicle model over one cycle
  double profile_energy_J = 0.0;  // the pack power profile handed to the cells, integrated

  // One cycle from soc_max.
  experiment::Solution cycle_solution;
  DriveSeries series;
  double cell_energy_Wh = 0.0;           // delivered by one cell over the cycle (simulated)
  double battery_energy_kWh = 0.0;       // pack: cell energy x cells
  double consumption_kWh_per_100km = 0.0;       // battery to wheel
  double wall_consumption_kWh_per_100km = 0.0;  // through the charger
  double cell_min_voltage_V = 0.0, cell_max_discharge_current_A = 0.0, cell_max_charge_current_A = 0.0, cell_max_temperature_K = 0.0;
  double cell_charge_throughput_Ah = 0.0;  // integral of |I| dt over the cycle

  // Range: back-to-back cycles from soc_max until the SOC reaches soc_min or a voltage limit stops the cell.
  bool range_simulated = false;
  std::string range_method;  // how range_km was found, in words
  std::string range_end;     // "SOC floor ..." or the voltage limit
  double range_km = 0.0;
  double range_usable_energy_kWh = 0.0;  // delivered by the pack over the range run
  double range_estimate_km = 0.0;  // usable energy (nominal) over the cycle's consumption: the quickest figure
  double mean_power_usable_energy_kWh = 0.0;  // mean_power: the pack's energy from soc_max to soc_min at the cycle's mean power
  double range_cell_min_voltage_V = 0.0, range_cell_max_temperature_K = 0.0;
  std::vector<RangePass> range_passes;
  double solve_time_s = 0.0;
  std::string failure;  // a solver failure, with when and why; empty when none
  std::string stopped_early;  // the one-cycle run reached a cell limit
};

DriveReport drive(const cell::Cell& cell, const cell::DesignFigures& cell_figures, const std::string& cell_origin, const Pack& pack,
                  const Vehicle& vehicle, const SpeedTrace& trace, const DriveOptions& options);

}  // namespace solidcell::vehicle
