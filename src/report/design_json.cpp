#include "solidcell/report/design_json.hpp"

#include "solidcell/base/constants.hpp"

namespace solidcell::report {

nlohmann::json design_to_json(const cell::DesignFigures& f) {
  nlohmann::json breakdown = nlohmann::json::array();
  for (const auto& e : f.breakdown) {
    breakdown.push_back({{"component", e.component},
                         {"mass_kg", e.mass_kg},
                         {"volume_L", e.volume_m3 / units::litre},
                         {"mass_fraction", e.mass_kg / f.mass_kg},
                         {"volume_fraction", e.volume_m3 / f.volume_m3}});
  }
  return nlohmann::json{
      {"cell", f.cell_name},
      {"chemistry", f.chemistry},
      {"format", f.format},
      {"capacity_Ah", f.capacity_Ah},
      {"energy_Wh", f.energy_Wh},
      {"nominal_voltage_V", f.nominal_voltage_V},
      {"mass_kg", f.mass_kg},
      {"volume_L", f.volume_m3 / units::litre},
      {"specific_energy_Wh_per_kg", f.specific_energy_Wh_per_kg},
      {"energy_density_Wh_per_L", f.energy_density_Wh_per_L},
      {"np_ratio", f.np_ratio},
      {"lithium_inventory_Ah", f.lithium_inventory_Ah},
      {"positive_capacity_Ah", f.positive_capacity_Ah},
      {"negative_capacity_Ah", f.negative_capacity_Ah},
      {"limiting_electrode", f.limiting_electrode},
      {"ocv_at_100_soc_V", f.ocv_at_100_soc_V},
      {"ocv_at_0_soc_V", f.ocv_at_0_soc_V},
      {"cathode_area_m2", f.cathode_area_m2},
      {"areal_capacity_mAh_per_cm2", f.areal_capacity_mAh_per_cm2},
      {"positive_thickness_um", f.positive_thickness_m * 1e6},
      {"separator_thickness_um", f.separator_thickness_m * 1e6},
      {"negative_thickness_um", f.negative_thickness_m * 1e6},
      {"plated_lithium_thickness_um", f.plated_lithium_thickness_m * 1e6},
      {"stack_thickness_discharged_mm", f.stack_thickness_discharged_m * 1e3},
      {"stack_thickness_charged_mm", f.stack_thickness_charged_m * 1e3},
      {"breakdown", breakdown},
  };
}

}  // namespace solidcell::report
