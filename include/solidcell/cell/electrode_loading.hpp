#pragma once
// Per-area arithmetic of a composite layer: how much active material a thickness holds, and the
// thickness that gives a wanted areal capacity or mass loading.
#include "solidcell/cell/cell.hpp"

namespace solidcell::cell {

// 0 when a material of the layer has no density.
double solid_density_kg_per_m3(const CompositeLayer& layer, const Cell& cell);
double active_volume_fraction(const CompositeLayer& layer);  // of the whole layer, pores included
// Charge per m2 of layer for a unit change of the active material's stoichiometry.
double layer_charge_per_stoichiometry_C_per_m2(const CompositeLayer& layer, const Cell& cell);
// Charge per m2 over the layer's 0-100 % SOC stoichiometry window.
double layer_capacity_C_per_m2(const CompositeLayer& layer, const Cell& cell);
double thickness_for_capacity(const CompositeLayer& layer, const Cell& cell, double capacity_C_per_m2);
double thickness_for_mass_loading(const CompositeLayer& layer, const Cell& cell, double solids_kg_per_m2);

}  // namespace solidcell::cell
