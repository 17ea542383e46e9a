#include "solidcell/vehicle/drive_summary.hpp"

namespace solidcell::vehicle {

nlohmann::json drive_summary_json(const DriveReport& r) {
  const auto& f = r.pack_figures;
  const auto& b = r.balance;
  nlohmann::json j;
  j["cell"] = r.cell_name;
  j["model"] = r.model;
  j["pack"] = {{"name", r.pack.name},
               {"series", r.pack.series},
               {"parallel", r.pack.parallel},
               {"cells", f.cells},
               {"capacity_Ah", f.capacity_Ah},
               {"energy_kWh", f.energy_Wh / 1000.0},
               {"usable_energy_kWh", f.usable_energy_Wh / 1000.0},
               {"mass_kg", f.mass_kg},
               {"volume_L", f.volume_m3 * 1e3},
               {"cells_mass_kg", f.cells_mass_kg},
               {"cells_volume_L", f.cells_volume_m3 * 1e3},
               {"specific_energy_Wh_per_kg", f.specific_energy_Wh_per_kg},
               {"energy_density_Wh_per_L", f.energy_density_Wh_per_L},
               {"nominal_voltage_V", f.nominal_voltage_V},
               {"voltage_min_V", f.voltage_min_V},
               {"voltage_max_V", f.voltage_max_V},
               {"soc_min", r.pack.soc_min},
               {"soc_max", r.pack.soc_max}};
  j["vehicle_mass_kg"] = r.vehicle_mass_kg;
  j["energy_balance_kWh"] = {{"traction", b.traction_J / 3.6e6},     {"braking", b.braking_J / 3.6e6},
                             {"drivetrain_loss", b.drivetrain_loss_J / 3.6e6}, {"auxiliary", b.auxiliary_J / 3.6e6},
                             {"regen", b.regen_J / 3.6e6},           {"regen_loss", b.regen_loss_J / 3.6e6},
                             {"friction_brake", b.friction_brake_J / 3.6e6},
                             {"battery", b.battery_J / 3.6e6},       {"inertia", b.inertia_J / 3.6e6},
                             {"drag", b.drag_J / 3.6e6},             {"rolling", b.rolling_J / 3.6e6},
                             {"grade", b.grade_J / 3.6e6}};
  j["intervals_above_max_power"] = b.intervals_above_max_power;
  j["max_battery_power_kW"] = b.max_battery_W / 1e3;
  j["min_battery_power_kW"] = b.min_battery_W / 1e3;
  j["battery_energy_kWh"] = r.battery_energy_kWh;
  j["consumption_kWh_per_100km"] = r.consumption_kWh_per_100km;
  j["wall_consumption_kWh_per_100km"] = r.wall_consumption_kWh_per_100km;
  j["range_km"] = r.range_km;
  j["range_method"] = r.range_method;
  j["range_simulated"] = r.range_simulated;
  j["range_end"] = r.range_end;
  j["range_estimate_km"] = r.range_estimate_km;
  if (r.mean_power_usable_energy_kWh > 0.0) j["mean_power_usable_energy_kWh"] = r.mean_power_usable_energy_kWh;
  j["range_usable_energy_kWh"] = r.range_usable_energy_kWh;
  j["range_passes"] = r.range_passes.size();
  j["cell_min_voltage_V"] = r.cell_min_voltage_V;
  j["cell_max_discharge_current_A"] = r.cell_max_discharge_current_A;
  j["cell_max_charge_current_A"] = r.cell_max_charge_current_A;
  j["cell_max_temperature_C"] = r.cell_max_temperature_K - 273.15;
  j["cell_charge_throughput_Ah"] = r.cell_charge_throughput_Ah;
  if (r.range_simulated) {
    j["range_cell_min_voltage_V"] = r.range_cell_min_voltage_V;
    j["range_cell_max_temperature_C"] = r.range_cell_max_temperature_K - 273.15;
  }
  j["solve_time_s"] = r.solve_time_s;
  if (!r.stopped_early.empty()) j["stopped_early"] = r.stopped_early;
  if (!r.failure.empty()) j["failure"] = r.failure;
  return j;
}

}  // namespace solidcell::vehicle
