#pragma once
// The thermal picture of a pouch cell's stack for the 3D abuse models: one unit cell's layers with their
// thermal conductivities, mixed into an anisotropic continuum, and the box it fills.
//   in-plane      k_par  = sum(t_i k_i) / sum(t_i)      (layers side by side: arithmetic mean)
//   through-plane k_perp = sum(t_i) / sum(t_i / k_i)    (layers in series: harmonic mean)
// A unit cell is one cathode coating, the separator (porous film or solid electrolyte), one anode coating
// (or the lithium metal, at full charge) and each collector's share (positive_foils t_Al + negative_foils
// t_Cu) / unit_cells, as the design's stack thickness counts them. A composite layer's conductivity is the
// solid-volume-weighted geometric mean (Lichtenecker) of its solids' material values; materials without a
// value (carbon black, binders) are left out, because the active materials' values are those of whole,
// electrolyte-soaked coatings (data/materials/*.toml [thermal]).
#include <string>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/cell/cell.hpp"

namespace solidcell::abuse {

struct StackLayer {
  std::string name;      // "positive electrode", "separator", ...
  std::string material;  // the material (or materials) whose conductivity it takes
  double thickness_m = 0.0;
  double conductivity_W_per_m_K = 0.0;
};

struct LayerStackConductivity {
  std::vector<StackLayer> layers;  // one unit cell
  double unit_cell_thickness_m = 0.0;
  double in_plane_W_per_m_K = 0.0;
  double through_plane_W_per_m_K = 0.0;
};

// The mixing rules above; throws std::invalid_argument for no layers or a non-positive thickness or
// conductivity (naming the layer). Layers of zero thickness are dropped.
LayerStackConductivity mix_layer_stack(std::vector<StackLayer> layers);

// A composite layer's conductivity (Lichtenecker mean over its solids with a value). Throws InputError
// (file, field materials.NAME.thermal.thermal_conductivity_W_per_m_K) when none of its solids has one.
double composite_layer_conductivity(const cell::CompositeLayer& layer, const cell::Cell& cell, const std::string& layer_name, const std::string& file = "");

// The unit cell of a pouch cell's stack, from its design and material data. Throws InputError for a cell
// that is not a pouch, or a layer material without a thermal conductivity.
LayerStackConductivity layer_stack_conductivity(const cell::Cell& cell, const std::string& file = "");

// The box of the 3D abuse models: the electrode area (length along x, width along y) times the stack
// thickness (z, at full charge), filled with the mixed stack. Its heat capacity per volume spreads the
// whole cell's heat capacity (inventory: specific heat x mass, packaging included) over the box, so that
// the box stores what the lumped cell stores; the reacting masses spread over the same volume.
struct PouchBox {
  double length_x_m = 0.0;
  double length_y_m = 0.0;
  double length_z_m = 0.0;
  double conductivity_in_plane_W_per_m_K = 0.0;
  double conductivity_through_plane_W_per_m_K = 0.0;
  double heat_capacity_J_per_m3_K = 0.0;
  int unit_cells = 1;
  double unit_cell_thickness_m = 0.0;

  double volume_m3() const { return length_x_m * length_y_m * length_z_m; }
  double surface_m2() const { return 2.0 * (length_x_m * length_y_m + length_x_m * length_z_m + length_y_m * length_z_m); }
};

PouchBox pouch_box(const cell::Cell& cell, const CellInventory& inventory, const std::string& file = "");

}  // namespace solidcell::abuse
