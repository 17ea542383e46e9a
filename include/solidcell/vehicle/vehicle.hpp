#pragma once
// A road vehicle for the longitudinal model (longitudinal_model.hpp): mass without its battery pack (so a
// heavier or lighter pack changes the vehicle), road load, drivetrain and regeneration. SI inside; the file
// keys carry units (data/vehicles/*.toml, docs/vehicle.md).
#include <string>

namespace solidcell::vehicle {

struct Vehicle {
  std::string name;
  std::string description;
  std::string file;

  double mass_without_pack_kg = 0.0;  // glider, motor, everything but the traction battery
  double cargo_mass_kg = 0.0;         // payload carried on the test (FASTSim adds 136 kg)
  double rotational_inertia_factor = 0.0;  // delta: m_eff = m (1 + delta) for wheels and drivetrain
  double drag_coefficient = 0.0;
  double frontal_area_m2 = 0.0;
  double rolling_resistance_coefficient = 0.0;
  double air_density_kg_per_m3 = 1.2;
  double gravity_m_per_s2 = 9.81;

  double drivetrain_efficiency = 1.0;  // battery to wheel: motor, inverter, transmission
  double regen_efficiency = 1.0;       // wheel to battery while braking
  double regen_fraction_max = 0.0;     // share of braking power the motor may take back (FASTSim maxRegen)
  // FASTSim's fade of regeneration at low speed: fraction = max / (1 + a exp(-b (v_mph + 1))).
  double regen_fade_a = 0.0;
  double regen_fade_b_per_mph = 1.0;
  double regen_power_limit_W = 0.0;   // at the wheel
  double max_power_W = 0.0;           // peak traction power at the wheel; above it the trace is missed
  double auxiliary_power_W = 0.0;     // HVAC off, electronics, pumps: drawn at every instant
  double charger_efficiency = 1.0;    // wall to battery, for wall-to-wheel consumption
};

// Reads and checks a vehicle file; a name without '/' or ".toml" is a built-in (data/vehicles/<name>.toml).
// Bad values throw InputError with file, line, field, value and allowed range.
Vehicle load_vehicle(const std::string& name_or_path);
Vehicle read_vehicle_toml(const std::string& text, const std::string& source);

}  // namespace solidcell::vehicle
