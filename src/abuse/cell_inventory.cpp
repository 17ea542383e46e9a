#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/transport_limit.hpp"

#include <algorithm>
#include <cmath>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/electrode_loading.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/open_circuit_potential.hpp"
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

// The design's electrode alignment (cell/design.cpp), kept with the OCP fits so that the EMF can go on past full.
std::optional<ElectrodeBalance> electrode_balance(const cell::Cell& cell, const cell::DesignFigures& d) {
  if (cell.positive.active_material.empty() || d.capacity_Ah <= 0.0) return std::nullopt;
  ElectrodeBalance e;
  e.capacity_C = d.capacity_Ah * constants::seconds_per_hour;
  e.facing_area_m2 = d.cathode_area_m2;
  e.positive_ocp_V = cell.material(cell.positive.active_material).open_circuit_potential_V;
  e.positive_stoichiometry_full = cell.positive.stoichiometry_at_100_soc;
  e.positive_charge_per_stoichiometry_C = cell::layer_charge_per_stoichiometry_C_per_m2(cell.positive, cell) * d.cathode_area_m2;
  if (e.positive_charge_per_stoichiometry_C <= 0.0) return std::nullopt;
  e.positive_empty_soc = 1.0 + e.positive_stoichiometry_full * e.positive_charge_per_stoichiometry_C / e.capacity_C;
  if (cell.negative.kind == cell::NegativeKind::composite && cell.negative.composite) {
    const auto& n = *cell.negative.composite;
    const auto& m = cell.material(n.active_material);
    e.negative_host = true;
    e.negative_ocp_V = m.open_circuit_potential_V;
    e.negative_stoichiometry_full = n.stoichiometry_at_100_soc;
    e.negative_charge_per_stoichiometry_C = cell::layer_charge_per_stoichiometry_C_per_m2(n, cell) * d.cathode_area_m2;
    e.negative_wall_stoichiometry = m.ocp_valid_to;
    if (e.negative_charge_per_stoichiometry_C <= 0.0) return std::nullopt;
    // Full host: where its walled OCP falls through 0 V vs Li (within 4e-4 of the wall), by bisection.
    auto u = [&](double x) { return electrochem::open_circuit_potential(e.negative_ocp_V, x, 0.0, e.negative_wall_stoichiometry); };
    double lo = std::min(e.negative_stoichiometry_full, e.negative_wall_stoichiometry), hi = e.negative_wall_stoichiometry;
    if (u(lo) <= 0.0) {
      hi = lo;
    } else {
      for (int it = 0; it < 200 && hi - lo > 1e-15; ++it) (u(0.5 * (lo + hi)) > 0.0 ? lo : hi) = 0.5 * (lo + hi);
    }
    e.plating_onset_soc = 1.0 + (hi - e.negative_stoichiometry_full) * e.negative_charge_per_stoichiometry_C / e.capacity_C;
  } else {
    e.negative_ocp_V = cell.material(cell.negative.lithium_material).open_circuit_potential_V;
    e.plating_onset_soc = 0.0;  // lithium metal plates at every state of charge
  }
  return e;
}

}  // namespace

double CellInventory::reactant_mass_kg(Reactant r, double soc) const {
  if (r == Reactant::lithium_metal) return lithium_excess_kg + std::clamp(soc, 0.0, 1.0) * lithium_plated_full_kg;
  return reactant_kg[static_cast<std::size_t>(r)];
}

double ElectrodeBalance::negative_stoichiometry(double soc) const {
  return negative_stoichiometry_full + (soc - 1.0) * capacity_C / negative_charge_per_stoichiometry_C;
}

double ElectrodeBalance::positive_potential_V(double soc) const {
  // The fit continued below its 100 % SOC stoichiometry; the wall only where the positive runs out of lithium.
  return electrochem::open_circuit_potential(positive_ocp_V, positive_stoichiometry(soc), 0.0, 1.0);
}

double ElectrodeBalance::negative_potential_V(double soc) const {
  if (!negative_host) return negative_ocp_V(0.5);  // lithium metal
  if (soc >= plating_onset_soc) return 0.0;         // the host is full: lithium plates
  return electrochem::open_circuit_potential(negative_ocp_V, negative_stoichiometry(soc), 0.0, negative_wall_stoichiometry);
}

double ElectrodeBalance::overcharge_plated_soc(double soc) const { return std::max(0.0, soc - (negative_host ? plating_onset_soc : 1.0)); }

double CellInventory::open_circuit_voltage(double soc) const {
  if (soc > 1.0 && electrodes) return electrodes->positive_potential_V(soc) - electrodes->negative_potential_V(soc);
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
  inv.charge_voltage_max_V = cell.voltage_max_V;
  inv.electrodes = electrode_balance(cell, d);
  // Steady electrolyte depletion or quasi-steady particle diffusion caps a short's current (transport_limit.hpp).
  inv.limiting_current_A = transport_limits(electrochem::model_parameters(cell, file)).limiting_A();
  return inv;
}

}  // namespace solidcell::abuse
