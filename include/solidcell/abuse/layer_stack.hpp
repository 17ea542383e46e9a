#pragma once
// The thermal picture of a pouch cell's stack (or a cylindrical cell's jelly roll) for the 3D abuse models:
// one unit cell's layers with their thermal conductivities, mixed into an anisotropic continuum, and the
// box (or cylinder) it fills.
//   in-plane      k_par  = sum(t_i k_i) / sum(t_i)      (layers side by side: arithmetic mean)
//   through-plane k_perp = sum(t_i) / sum(t_i / k_i)    (layers in series: harmonic mean)
// A unit cell is one cathode coating, the separator (porous film or solid electrolyte), one anode coating
// (or the lithium metal, at full charge) and each collector's share (positive_foils t_Al + negative_foils
// t_Cu) / unit_cells, as the design's stack thickness counts them. A composite layer's conductivity is the
// solid-volume-weighted geometric mean (Lichtenecker) of its solids' material values; materials without a
// value (carbon black, binders) are left out, because the active materials' values are those of whole,
// electrolyte-soaked coatings (data/materials/*.toml [thermal]).
#include <numbers>
#include <string>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/thermal/conduction_3d.hpp"

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

// The unit cell of a pouch cell's stack or a cylindrical cell's jelly roll, from its design and material
// data. A jelly roll's double-sided strips share each foil between the unit cells on its two sides: half
// an aluminium and half a copper foil per unit cell. Throws InputError for a cell that is neither, or a
// layer material without a thermal conductivity.
LayerStackConductivity layer_stack_conductivity(const cell::Cell& cell, const std::string& file = "");

// The box of the 3D abuse models: the electrode area (length along x, width along y) times the stack
// thickness (z, at full charge), filled with the mixed stack. Its heat capacity per volume spreads the
// whole cell's heat capacity (inventory: specific heat x mass, packaging included) over the box, so that
// the box stores what the lumped cell stores; the reacting masses spread over the same volume.
//
// A cylindrical cell (geometry cylinder, cylinder_box) is the same record read in (r, theta, z): the
// jelly roll is wound, so "through the plane" is the radius and "in plane" the angle and the axis. Only a
// half cylinder is modelled (theta in [0, pi], length_y_m = pi): its cut is a plane of symmetry holding
// the cell's axis and the nail's (a nail along a diameter), so the half cylinder's faces there are
// adiabatic and the half holds half of every heat; results are reported for the whole cell.
struct PouchBox {
  double length_x_m = 0.0;  // cylinder: the radial extent R - r_mandrel
  double length_y_m = 0.0;  // cylinder: the angle modelled (pi)
  double length_z_m = 0.0;  // cylinder: the can's height
  double conductivity_in_plane_W_per_m_K = 0.0;
  double conductivity_through_plane_W_per_m_K = 0.0;
  double heat_capacity_J_per_m3_K = 0.0;  // cylinder: the jelly roll's
  int unit_cells = 1;                     // cylinder: unit cells across the jelly roll's radial thickness
  double unit_cell_thickness_m = 0.0;
  thermal::Conduction3dGeometry geometry = thermal::Conduction3dGeometry::box;
  // Cylinder: the mandrel's hole (adiabatic), and the can's wall, which fills the outer
  // can_wall_thickness_m of the radius (its volume share of the outermost ring of control volumes) with
  // the can's steel; the rest, r_mandrel to R - t_wall over the whole height, is jelly roll (the headspace
  // and the can's bottom are folded into it: the cell's heat capacity is kept, not their position).
  double inner_radius_m = 0.0;
  double can_wall_thickness_m = 0.0;
  double can_conductivity_W_per_m_K = 0.0;
  double can_heat_capacity_J_per_m3_K = 0.0;

  bool is_cylinder() const { return geometry == thermal::Conduction3dGeometry::cylinder; }
  double outer_radius_m() const { return inner_radius_m + length_x_m; }
  // The whole cell's (cylinder: the whole cylinder's, not the half modelled).
  double volume_m3() const {
    if (!is_cylinder()) return length_x_m * length_y_m * length_z_m;
    const double R = outer_radius_m();
    return std::numbers::pi * (R * R - inner_radius_m * inner_radius_m) * length_z_m;
  }
  double jelly_roll_volume_m3() const {
    if (!is_cylinder()) return volume_m3();
    const double R = outer_radius_m() - can_wall_thickness_m;
    return std::numbers::pi * (R * R - inner_radius_m * inner_radius_m) * length_z_m;
  }
  double surface_m2() const {
    if (!is_cylinder()) return 2.0 * (length_x_m * length_y_m + length_x_m * length_z_m + length_y_m * length_z_m);
    const double R = outer_radius_m();
    return 2.0 * std::numbers::pi * (R * length_z_m + R * R - inner_radius_m * inner_radius_m);
  }
  // The share of the cell the grid models (a half cylinder: 1/2; a box: all of it).
  double modelled_share() const { return is_cylinder() ? length_y_m / (2.0 * std::numbers::pi) : 1.0; }
  // The grid of the 3D models: nx x ny x nz control volumes (cylinder: along r, theta, z).
  thermal::Conduction3dGrid grid(int nx, int ny, int nz) const;
};

PouchBox pouch_box(const cell::Cell& cell, const CellInventory& inventory, const std::string& file = "");

// The half cylinder of a cylindrical cell: the can's outer radius and height, the mandrel's hole, the
// jelly roll's k_r (through its layers, series) and k_theta = k_z (along them, parallel), the can's wall
// with the can material's conductivity and heat capacity (data/materials; plain carbon steel where the
// material has none, see docs/thermal-3d.md), and the jelly roll's heat capacity per volume: the whole
// cell's (inventory) less the wall's, over the jelly roll's volume, so that the cylinder stores what the
// lumped cell stores. Throws InputError for a cell that is not cylindrical.
PouchBox cylinder_box(const cell::Cell& cell, const CellInventory& inventory, const std::string& file = "");

// pouch_box or cylinder_box, by the cell's format (InputError for another).
PouchBox thermal_body(const cell::Cell& cell, const CellInventory& inventory, const std::string& file = "");

}  // namespace solidcell::abuse
