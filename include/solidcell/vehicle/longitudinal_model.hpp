#pragma once
// The longitudinal vehicle model: the power the battery must give (or may take back) for a vehicle to follow
// a speed trace. Each interval between two samples is one step, the speed linear in time within it (as the
// trace's distance counts it), and each term is the exact mean power over the interval:
//   inertia   m (1 + delta) (v1^2 - v0^2) / (2 dt)
//   drag      1/2 rho Cd A mean(v^3),  mean(v^3) = (v0^3 + v0^2 v1 + v0 v1^2 + v1^3) / 4
//   rolling   m g Crr cos(theta) (v0 + v1) / 2
//   grade     m g sin(theta) (v0 + v1) / 2,    theta = atan(grade at the interval's end, as FASTSim)
//   wheel     P_w = inertia + drag + rolling + grade
//   traction  P_w > 0: P_batt = P_w / eta_drivetrain + P_aux
//   braking   P_w < 0: the motor takes back P_r = min(f(v) |P_w|, P_regen,max), f(v) = f_max / (1 + a e^{-b (v_mph + 1)})
//             (FASTSim's fade), the friction brakes the rest; P_batt = -eta_regen P_r + P_aux.
// docs/vehicle.md derives them and lists the sources.
#include <vector>

#include "solidcell/vehicle/speed_trace.hpp"
#include "solidcell/vehicle/vehicle.hpp"

namespace solidcell::vehicle {

// Per interval k (between samples k and k+1): mean powers [W], positive when the battery gives power.
struct PowerTrace {
  double vehicle_mass_kg = 0.0;  // vehicle without pack + pack + cargo
  std::vector<double> start_s, end_s;  // the interval
  std::vector<double> mean_speed_mps;
  std::vector<double> inertia_W, drag_W, rolling_W, grade_W;
  std::vector<double> wheel_W;            // sum of the four above
  std::vector<double> drivetrain_loss_W;  // while driving: P_w (1/eta - 1)
  std::vector<double> regen_W;            // into the battery while braking (positive number)
  std::vector<double> regen_loss_W;       // lost on the way back while braking: P_r (1 - eta_regen)
  std::vector<double> friction_brake_W;   // braking power the friction brakes dissipate (positive number)
  std::vector<double> auxiliary_W;
  std::vector<double> battery_W;          // positive on discharge
  std::vector<bool> above_max_power;      // the wheel power demanded exceeds the vehicle's maximum
};

// Energies [J] over the whole trace: battery = traction + drivetrain losses + auxiliary - regen, and
// braking = regen + regen loss + friction brake, close exactly.
struct EnergyBalance {
  double distance_m = 0.0;
  double duration_s = 0.0;
  double inertia_J = 0.0, drag_J = 0.0, rolling_J = 0.0, grade_J = 0.0;  // signed, at the wheel
  double traction_J = 0.0;         // positive wheel energy
  double braking_J = 0.0;          // negative wheel energy as a positive number
  double drivetrain_loss_J = 0.0;  // while driving
  double auxiliary_J = 0.0;
  double regen_J = 0.0;            // returned to the battery
  double regen_loss_J = 0.0;       // braking energy the motor took but lost on the way to the battery
  double friction_brake_J = 0.0;
  double battery_J = 0.0;          // net from the battery
  double battery_discharge_J = 0.0;  // positive part only
  double max_battery_W = 0.0, min_battery_W = 0.0;
  int intervals_above_max_power = 0;
};

// Power the vehicle with a pack of `pack_mass_kg` needs along the trace.
PowerTrace vehicle_power(const Vehicle& vehicle, double pack_mass_kg, const SpeedTrace& trace);
EnergyBalance energy_balance(const PowerTrace& power);

// The regeneration fraction f(v) at a mean speed [m/s].
double regen_fraction(const Vehicle& vehicle, double speed_mps);

}  // namespace solidcell::vehicle
