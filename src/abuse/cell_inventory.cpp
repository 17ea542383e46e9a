#include "solidcell/abuse/cell_inventory.hpp"

#include <algorithm>
#include <cmath>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/electrode_loading.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::abuse {
namespace {

constexpr double lithium_molar_mass_kg = 6.941e-3;

double active_mass_kg(const cell::CompositeLayer& layer, const cell::Cell& cell, double area_m2) {
  if (layer.active_material.empty()) return 0.0;
  const auto& m = cell.material(layer.active_material);
  return area_m2 * layer.thickness_m * cell::active_volume_fraction(layer) * m.density_kg_per_m3.value_or(0.0);
}

// Solid-electrolyte mass of a layer: its solids that are not the active material (conductive carbon and
// binder are small and counted with them).
double electrolyte_solids_kg(const cell::CompositeLayer& layer, const cell::Cell& cell, double area_m2) {
  double kg = 0.0;
  for (const auto& s : layer.solids) {
    if (s.material == layer.active_material) continue;
    kg += area_m2 * layer.thickness_m * (1.0 - layer.porosity) * s.volume_fraction * cell.material(s.material).density_kg_per_m3.value_or(0.0);
  }
  return kg;
}

double breakdown_mass(const cell::DesignFigures& d, const std::string& component) {
  for (const auto& e : d.breakdown)
    if (e.component == component) return e.mass_kg;
  return 0.0;
}

// DC resistance from the voltage drop 10 s into a 1C discharge pulse from 50 % SOC (isothermal DFN).
double pulse_resistance_ohm(const cell::Cell& cell, const std::string& file) {
  auto p = electrochem::model_parameters(cell, file);
  p.thermal.reset();
  auto model = electrochem::make_model("dfn", p, electrochem::Mesh{});
  experiment::SimulationOptions o;
  o.initial_soc = 0.5;
  o.relative_tolerance = 1e-6;
  auto s = experiment::run_experiment(*model, experiment::parse_experiment("Rest for 1 second, Discharge at 1C for 10 seconds"), o);
  if (s.failure || s.voltage_V.size() < 2) return 0.0;
  const double current = p.nominal_capacity_Ah;
  return (s.voltage_V.front() - s.voltage_V.back()) / current;
}

}  // namespace

double CellInventory::reactant_mass_kg(Reactant r, double soc) const {
  if (r == Reactant::lithium_metal) return lithium_excess_kg + std::clamp(soc, 0.0, 1.0) * lithium_plated_full_kg;
  return reactant_kg[static_cast<std::size_t>(r)];
}

double CellInventory::open_circuit_voltage(double soc) const {
  // ocv_curve runs from full (0 A.h discharged) to empty.
  const double discharged = (1.0 - std::clamp(soc, 0.0, 1.0)) * capacity_Ah;
  if (ocv_curve.empty()) return 0.0;
  if (discharged <= ocv_curve.front().capacity_Ah) return ocv_curve.front().voltage_V;
  for (std::size_t k = 1; k < ocv_curve.size(); ++k)
    if (discharged <= ocv_curve[k].capacity_Ah) {
      const auto& a = ocv_curve[k - 1];
      const auto& b = ocv_curve[k];
      const double w = (discharged - a.capacity_Ah) / std::max(b.capacity_Ah - a.capacity_Ah, 1e-12);
      return a.voltage_V + w * (b.voltage_V - a.voltage_V);
    }
  return ocv_curve.back().voltage_V;
}

CellInventory cell_inventory(const cell::Cell& cell, const std::string& file) {
  const auto d = cell::compute_design(cell, file);
  CellInventory inv;
  inv.cell_name = cell.name;
  inv.chemistry = cell.chemistry;
  inv.mass_kg = d.mass_kg;
  if (!cell.thermal) throw InputError(InputLocation{file, 0, "thermal"}, "", "a [thermal] table (specific heat) for abuse simulations");
  inv.heat_capacity_J_per_K = cell.thermal->specific_heat_J_per_kg_K * d.mass_kg;
  inv.surface_m2 = cell.thermal->cooling_area_m2.value_or(d.outer_surface_m2);
  if (inv.surface_m2 <= 0.0) inv.surface_m2 = 6.0 * std::cbrt(d.volume_m3 * d.volume_m3);  // a cube of the cell's volume
  inv.capacity_Ah = d.capacity_Ah;
  inv.ocv_curve = d.ocv_curve;
  const double area = d.cathode_area_m2;
  inv.reactant_kg[static_cast<std::size_t>(Reactant::positive_active)] = active_mass_kg(cell.positive, cell, area);
  if (cell.negative.composite)
    inv.reactant_kg[static_cast<std::size_t>(Reactant::negative_active)] = active_mass_kg(*cell.negative.composite, cell, area);
  inv.reactant_kg[static_cast<std::size_t>(Reactant::electrolyte)] = breakdown_mass(d, "electrolyte");
  if (cell.chemistry == "solid-state") {
    double se = electrolyte_solids_kg(cell.positive, cell, area) + breakdown_mass(d, "separator");
    if (cell.negative.composite) se += electrolyte_solids_kg(*cell.negative.composite, cell, area);
    inv.reactant_kg[static_cast<std::size_t>(Reactant::solid_electrolyte)] = se;
  }
  inv.lithium_excess_kg = breakdown_mass(d, "lithium excess");
  if (d.plated_lithium_thickness_m > 0.0)
    inv.lithium_plated_full_kg = d.capacity_Ah * constants::seconds_per_hour / constants::faraday_C_per_mol * lithium_molar_mass_kg;
  inv.reactant_kg[static_cast<std::size_t>(Reactant::lithium_metal)] = inv.lithium_excess_kg + inv.lithium_plated_full_kg;
  inv.internal_resistance_ohm = pulse_resistance_ohm(cell, file);
  return inv;
}

}  // namespace solidcell::abuse
