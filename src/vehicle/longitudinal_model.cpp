#include "solidcell/vehicle/longitudinal_model.hpp"

#include <algorithm>
#include <cmath>

namespace solidcell::vehicle {

double regen_fraction(const Vehicle& v, double speed_mps) {
  const double mph = speed_mps / 0.44704;
  return v.regen_fraction_max / (1.0 + v.regen_fade_a * std::exp(-v.regen_fade_b_per_mph * (mph + 1.0)));
}

PowerTrace vehicle_power(const Vehicle& v, double pack_mass_kg, const SpeedTrace& trace) {
  PowerTrace p;
  const double m = v.mass_without_pack_kg + pack_mass_kg + v.cargo_mass_kg;
  const double m_eff = m * (1.0 + v.rotational_inertia_factor);
  const double drag_factor = 0.5 * v.air_density_kg_per_m3 * v.drag_coefficient * v.frontal_area_m2;
  p.vehicle_mass_kg = m;
  const size_t n = trace.time_s.size() - 1;
  for (auto* vec : {&p.start_s, &p.end_s, &p.mean_speed_mps, &p.inertia_W, &p.drag_W, &p.rolling_W, &p.grade_W, &p.wheel_W,
                    &p.drivetrain_loss_W, &p.regen_W, &p.regen_loss_W, &p.friction_brake_W, &p.auxiliary_W, &p.battery_W})
    vec->reserve(n);
  p.above_max_power.reserve(n);

  for (size_t k = 0; k < n; ++k) {
    const double t0 = trace.time_s[k], t1 = trace.time_s[k + 1], dt = t1 - t0;
    const double v0 = trace.speed_mps[k], v1 = trace.speed_mps[k + 1], vm = 0.5 * (v0 + v1);
    const double theta = std::atan(trace.grade[k + 1]);
    const double inertia = m_eff * (v1 * v1 - v0 * v0) / (2.0 * dt);
    const double drag = drag_factor * (v0 * v0 * v0 + v0 * v0 * v1 + v0 * v1 * v1 + v1 * v1 * v1) / 4.0;
    const double rolling = m * v.gravity_m_per_s2 * v.rolling_resistance_coefficient * std::cos(theta) * vm;
    const double grade = m * v.gravity_m_per_s2 * std::sin(theta) * vm;
    const double wheel = inertia + drag + rolling + grade;
    double loss = 0.0, regen = 0.0, regen_loss = 0.0, friction = 0.0, battery = v.auxiliary_power_W;
    if (wheel >= 0.0) {
      loss = wheel * (1.0 / v.drivetrain_efficiency - 1.0);
      battery += wheel + loss;
    } else {
      const double braking = -wheel;
      const double recovered = std::min(regen_fraction(v, vm) * braking, v.regen_power_limit_W);
      friction = braking - recovered;
      regen = recovered * v.regen_efficiency;
      regen_loss = recovered - regen;
      battery -= regen;
    }
    p.start_s.push_back(t0);
    p.end_s.push_back(t1);
    p.mean_speed_mps.push_back(vm);
    p.inertia_W.push_back(inertia);
    p.drag_W.push_back(drag);
    p.rolling_W.push_back(rolling);
    p.grade_W.push_back(grade);
    p.wheel_W.push_back(wheel);
    p.drivetrain_loss_W.push_back(loss);
    p.regen_W.push_back(regen);
    p.regen_loss_W.push_back(regen_loss);
    p.friction_brake_W.push_back(friction);
    p.auxiliary_W.push_back(v.auxiliary_power_W);
    p.battery_W.push_back(battery);
    p.above_max_power.push_back(wheel > v.max_power_W);
  }
  return p;
}

EnergyBalance energy_balance(const PowerTrace& p) {
  EnergyBalance e;
  for (size_t k = 0; k < p.battery_W.size(); ++k) {
    const double dt = p.end_s[k] - p.start_s[k];
    e.duration_s += dt;
    e.distance_m += p.mean_speed_mps[k] * dt;
    e.inertia_J += p.inertia_W[k] * dt;
    e.drag_J += p.drag_W[k] * dt;
    e.rolling_J += p.rolling_W[k] * dt;
    e.grade_J += p.grade_W[k] * dt;
    if (p.wheel_W[k] >= 0.0)
      e.traction_J += p.wheel_W[k] * dt;
    else
      e.braking_J -= p.wheel_W[k] * dt;
    e.drivetrain_loss_J += p.drivetrain_loss_W[k] * dt;
    e.auxiliary_J += p.auxiliary_W[k] * dt;
    e.regen_J += p.regen_W[k] * dt;
    e.regen_loss_J += p.regen_loss_W[k] * dt;
    e.friction_brake_J += p.friction_brake_W[k] * dt;
    e.battery_J += p.battery_W[k] * dt;
    e.battery_discharge_J += std::max(p.battery_W[k], 0.0) * dt;
    e.max_battery_W = k == 0 ? p.battery_W[k] : std::max(e.max_battery_W, p.battery_W[k]);
    e.min_battery_W = k == 0 ? p.battery_W[k] : std::min(e.min_battery_W, p.battery_W[k]);
    if (p.above_max_power[k]) ++e.intervals_above_max_power;
  }
  return e;
}

}  // namespace solidcell::vehicle
