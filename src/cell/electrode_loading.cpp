#include "solidcell/cell/electrode_loading.hpp"

#include <cmath>

#include "solidcell/base/constants.hpp"

namespace solidcell::cell {

double solid_density_kg_per_m3(const CompositeLayer& layer, const Cell& cell) {
  double rho = 0.0;
  for (const auto& s : layer.solids) {
    const auto& m = cell.material(s.material);
    if (!m.density_kg_per_m3) return 0.0;
    rho += s.volume_fraction * *m.density_kg_per_m3;
  }
  return rho;
}

double active_volume_fraction(const CompositeLayer& layer) {
  for (const auto& s : layer.solids)
    if (s.material == layer.active_material) return (1.0 - layer.porosity) * s.volume_fraction;
  return 0.0;
}

double layer_charge_per_stoichiometry_C_per_m2(const CompositeLayer& layer, const Cell& cell) {
  const auto& m = cell.material(layer.active_material);
  return constants::faraday_C_per_mol * m.capacity->maximum_concentration_mol_per_m3 * layer.thickness_m *
         active_volume_fraction(layer);
}

double layer_capacity_C_per_m2(const CompositeLayer& layer, const Cell& cell) {
  return layer_charge_per_stoichiometry_C_per_m2(layer, cell) *
         std::abs(layer.stoichiometry_at_0_soc - layer.stoichiometry_at_100_soc);
}

double thickness_for_capacity(const CompositeLayer& layer, const Cell& cell, double capacity_C_per_m2) {
  CompositeLayer unit = layer;
  unit.thickness_m = 1.0;
  return capacity_C_per_m2 / layer_capacity_C_per_m2(unit, cell);
}

double thickness_for_mass_loading(const CompositeLayer& layer, const Cell& cell, double solids_kg_per_m2) {
  // The reader refuses mass loadings for layers whose materials lack a density.
  return solids_kg_per_m2 / (solid_density_kg_per_m3(layer, cell) * (1.0 - layer.porosity));
}

}  // namespace solidcell::cell
