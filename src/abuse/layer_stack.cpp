#include "solidcell/abuse/layer_stack.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::abuse {
namespace {

std::string conductivity_field(const std::string& material) { return "materials." + material + ".thermal.thermal_conductivity_W_per_m_K"; }

double material_conductivity(const cell::Cell& cell, const std::string& material, const std::string& layer_name, const std::string& file) {
  const auto& k = cell.material(material).thermal.thermal_conductivity_W_per_m_K;
  if (!k) throw InputError(InputLocation{file, 0, conductivity_field(material)}, "", fmt::format("a thermal conductivity for the {} (the 3D abuse models mix the layer stack)", layer_name));
  return *k;
}

}  // namespace

LayerStackConductivity mix_layer_stack(std::vector<StackLayer> layers) {
  LayerStackConductivity s;
  double thickness = 0.0, conductance = 0.0, resistance = 0.0;
  for (auto& layer : layers) {
    if (!(layer.thickness_m >= 0.0) || !std::isfinite(layer.thickness_m))
      throw std::invalid_argument(fmt::format("layer stack: {}.thickness_m = {}: must be >= 0 and finite", layer.name, layer.thickness_m));
    if (layer.thickness_m == 0.0) continue;
    if (!(layer.conductivity_W_per_m_K > 0.0) || !std::isfinite(layer.conductivity_W_per_m_K))
      throw std::invalid_argument(fmt::format("layer stack: {}.conductivity_W_per_m_K = {}: must be positive and finite", layer.name, layer.conductivity_W_per_m_K));
    thickness += layer.thickness_m;
    conductance += layer.thickness_m * layer.conductivity_W_per_m_K;
    resistance += layer.thickness_m / layer.conductivity_W_per_m_K;
    s.layers.push_back(std::move(layer));
  }
  if (s.layers.empty()) throw std::invalid_argument("layer stack: no layer of positive thickness");
  s.unit_cell_thickness_m = thickness;
  s.in_plane_W_per_m_K = conductance / thickness;
  s.through_plane_W_per_m_K = thickness / resistance;
  return s;
}

double composite_layer_conductivity(const cell::CompositeLayer& layer, const cell::Cell& cell, const std::string& layer_name, const std::string& file) {
  double weight = 0.0, log_sum = 0.0;
  std::string names;
  for (const auto& s : layer.solids) {
    names += (names.empty() ? "" : ", ") + s.material;
    const auto& k = cell.material(s.material).thermal.thermal_conductivity_W_per_m_K;
    if (!k || s.volume_fraction <= 0.0) continue;
    weight += s.volume_fraction;
    log_sum += s.volume_fraction * std::log(*k);
  }
  if (weight <= 0.0) {
    const std::string first = layer.active_material.empty() ? (layer.solids.empty() ? std::string("?") : layer.solids.front().material) : layer.active_material;
    throw InputError(InputLocation{file, 0, conductivity_field(first)}, "",
                     fmt::format("a thermal conductivity for at least one solid of the {} ({})", layer_name, names));
  }
  return std::exp(log_sum / weight);
}

LayerStackConductivity layer_stack_conductivity(const cell::Cell& cell, const std::string& file) {
  const auto* pouch = std::get_if<cell::PouchFormat>(&cell.format);
  const bool wound = std::holds_alternative<cell::CylindricalFormat>(cell.format);
  if (!pouch && !wound)
    throw InputError(InputLocation{file, 0, "format"}, "", "a pouch or cylindrical cell: the 3D abuse models build a box or a cylinder from its stack");
  const auto d = cell::compute_design(cell, file);
  std::vector<StackLayer> layers;
  layers.push_back({"positive electrode", cell.positive.active_material, cell.positive.thickness_m,
                    composite_layer_conductivity(cell.positive, cell, "positive electrode", file)});
  const auto& sep = cell.separator.layer;
  layers.push_back({"separator", sep.solids.empty() ? "" : sep.solids.front().material, sep.thickness_m, composite_layer_conductivity(sep, cell, "separator", file)});
  switch (cell.negative.kind) {
    case cell::NegativeKind::composite:
      layers.push_back({"negative electrode", cell.negative.composite->active_material, cell.negative.composite->thickness_m,
                        composite_layer_conductivity(*cell.negative.composite, cell, "negative electrode", file)});
      break;
    case cell::NegativeKind::lithium_metal:
    case cell::NegativeKind::anode_free: {
      // Excess foil plus the lithium plated at full charge (the box is the charged stack).
      const double t = d.negative_thickness_m + d.plated_lithium_thickness_m;
      if (t > 0.0)
        layers.push_back({"lithium metal", cell.negative.lithium_material, t, material_conductivity(cell, cell.negative.lithium_material, "lithium metal", file)});
      break;
    }
  }
  // A pouch: the foils as the design counts them. A jelly roll: each double-sided foil serves two unit cells.
  const double n = pouch ? pouch->unit_cells : 2.0;
  const double positive_foils = pouch ? std::ceil(n / 2.0) : 1.0, negative_foils = pouch ? std::floor(n / 2.0) + 1.0 : 1.0;
  const auto& cc = cell.collectors;
  layers.push_back({"positive current collector", cc.positive_material, positive_foils * cc.positive_thickness_m / n,
                    material_conductivity(cell, cc.positive_material, "positive current collector", file)});
  layers.push_back({"negative current collector", cc.negative_material, negative_foils * cc.negative_thickness_m / n,
                    material_conductivity(cell, cc.negative_material, "negative current collector", file)});
  return mix_layer_stack(std::move(layers));
}

PouchBox pouch_box(const cell::Cell& cell, const CellInventory& inventory, const std::string& file) {
  if (!std::holds_alternative<cell::PouchFormat>(cell.format))
    throw InputError(InputLocation{file, 0, "pouch"}, "", "a pouch cell: the box is built from the pouch's electrode area and stack (cylinder_box for a cylindrical one)");
  const auto stack = layer_stack_conductivity(cell, file);
  const auto& pouch = std::get<cell::PouchFormat>(cell.format);
  PouchBox b;
  b.length_x_m = pouch.electrode_length_m;
  b.length_y_m = pouch.electrode_width_m;
  b.unit_cells = pouch.unit_cells;
  b.unit_cell_thickness_m = stack.unit_cell_thickness_m;
  b.length_z_m = pouch.unit_cells * stack.unit_cell_thickness_m;
  b.conductivity_in_plane_W_per_m_K = stack.in_plane_W_per_m_K;
  b.conductivity_through_plane_W_per_m_K = stack.through_plane_W_per_m_K;
  if (!(inventory.heat_capacity_J_per_K > 0.0))
    throw InputError(InputLocation{file, 0, "thermal.specific_heat_J_per_kg_K"}, fmt::format("{}", inventory.heat_capacity_J_per_K), "a positive heat capacity of the cell");
  b.heat_capacity_J_per_m3_K = inventory.heat_capacity_J_per_K / b.volume_m3();
  return b;
}

thermal::Conduction3dGrid PouchBox::grid(int nx, int ny, int nz) const {
  if (!is_cylinder()) return thermal::Conduction3dGrid{nx, ny, nz, length_x_m, length_y_m, length_z_m};
  return thermal::Conduction3dGrid::cylinder(nx, ny, nz, inner_radius_m, outer_radius_m(), length_y_m, length_z_m);
}

namespace {
// Plain carbon steel at 300 K (Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer,
// 6th ed., Table A.1: k = 60.5 W/(m K), c_p = 434 J/(kg K)): the can where its material has no [thermal] data.
constexpr double plain_carbon_steel_conductivity_W_per_m_K = 60.5;
constexpr double plain_carbon_steel_specific_heat_J_per_kg_K = 434.0;
}  // namespace

PouchBox cylinder_box(const cell::Cell& cell, const CellInventory& inventory, const std::string& file) {
  const auto* can = std::get_if<cell::CylindricalFormat>(&cell.format);
  if (!can) throw InputError(InputLocation{file, 0, "format"}, "", "a cylindrical cell ([cylinder])");
  const auto stack = layer_stack_conductivity(cell, file);
  PouchBox b;
  b.geometry = thermal::Conduction3dGeometry::cylinder;
  const double R = 0.5 * can->outer_diameter_m;
  b.inner_radius_m = 0.5 * can->mandrel_diameter_m;
  b.length_x_m = R - b.inner_radius_m;
  b.length_y_m = std::numbers::pi;
  b.length_z_m = can->height_m;
  b.can_wall_thickness_m = can->can_wall_thickness_m;
  const double roll = b.length_x_m - b.can_wall_thickness_m;
  if (!(roll > 0.0))
    throw InputError(InputLocation{file, can->line, "cylinder.can_wall_thickness_mm"}, fmt::format("{}", 1000.0 * can->can_wall_thickness_m),
                     "less than the outer radius less the mandrel's");
  b.unit_cell_thickness_m = stack.unit_cell_thickness_m;
  b.unit_cells = std::max(1, static_cast<int>(std::lround(roll / stack.unit_cell_thickness_m)));
  b.conductivity_in_plane_W_per_m_K = stack.in_plane_W_per_m_K;
  b.conductivity_through_plane_W_per_m_K = stack.through_plane_W_per_m_K;
  const auto& steel = cell.material(can->can_material);
  const double density = steel.density_kg_per_m3.value_or(0.0);
  if (!(density > 0.0)) throw InputError(InputLocation{file, 0, "materials." + can->can_material + ".density_kg_per_m3"}, "", "the can's density");
  b.can_conductivity_W_per_m_K = steel.thermal.thermal_conductivity_W_per_m_K.value_or(plain_carbon_steel_conductivity_W_per_m_K);
  b.can_heat_capacity_J_per_m3_K = density * steel.thermal.specific_heat_J_per_kg_K.value_or(plain_carbon_steel_specific_heat_J_per_kg_K);
  const double wall_J_per_K = b.can_heat_capacity_J_per_m3_K * (b.volume_m3() - b.jelly_roll_volume_m3());
  const double roll_J_per_K = inventory.heat_capacity_J_per_K - wall_J_per_K;
  if (!(roll_J_per_K > 0.0))
    throw InputError(InputLocation{file, 0, "thermal.specific_heat_J_per_kg_K"}, fmt::format("{}", inventory.heat_capacity_J_per_K),
                     fmt::format("a cell heat capacity above its can wall's {:.3g} J/K", wall_J_per_K));
  b.heat_capacity_J_per_m3_K = roll_J_per_K / b.jelly_roll_volume_m3();
  return b;
}

PouchBox thermal_body(const cell::Cell& cell, const CellInventory& inventory, const std::string& file) {
  if (std::holds_alternative<cell::CylindricalFormat>(cell.format)) return cylinder_box(cell, inventory, file);
  return pouch_box(cell, inventory, file);
}

}  // namespace solidcell::abuse
