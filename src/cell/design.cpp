#include "solidcell/cell/design.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/electrode_loading.hpp"

namespace solidcell::cell {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double C_per_Ah = constants::seconds_per_hour;

// Mass and volume per m2 of a layer, split by ingredient; pores are reported apart.
struct LayerAmounts {
  std::vector<std::pair<std::string, double>> solid_mass_kg_per_m2;  // material -> mass
  double solid_volume_m3_per_m2 = 0.0;
  double pore_volume_m3_per_m2 = 0.0;
  bool mass_known = true;
};

LayerAmounts amounts(const CompositeLayer& layer, const Cell& cell) {
  LayerAmounts a;
  a.solid_volume_m3_per_m2 = layer.thickness_m * (1.0 - layer.porosity);
  a.pore_volume_m3_per_m2 = layer.thickness_m * layer.porosity;
  for (const auto& s : layer.solids) {
    const auto& m = cell.material(s.material);
    if (!m.density_kg_per_m3) {
      a.mass_known = false;
      continue;
    }
    a.solid_mass_kg_per_m2.emplace_back(s.material, a.solid_volume_m3_per_m2 * s.volume_fraction * *m.density_kg_per_m3);
  }
  return a;
}

// Electrochemical balance: charged-end alignment (both electrodes at their 100 % SOC stoichiometry), then
// discharge until the first electrode reaches its 0 % SOC stoichiometry.
struct Balance {
  double positive_per_sto_C = 0.0;  // whole cell, per unit stoichiometry
  double negative_per_sto_C = 0.0;  // 0 for lithium metal
  double capacity_C = 0.0;
};

double ocv(const Cell& cell, const Balance& b, double q_C) {
  const auto& p = cell.positive;
  double y = p.stoichiometry_at_100_soc + q_C / b.positive_per_sto_C;
  double u_pos = cell.material(p.active_material).open_circuit_potential_V(y);
  double u_neg = 0.0;
  if (cell.negative.kind == NegativeKind::composite) {
    const auto& n = *cell.negative.composite;
    double x = n.stoichiometry_at_100_soc - q_C / b.negative_per_sto_C;
    u_neg = cell.material(n.active_material).open_circuit_potential_V(x);
  } else {
    u_neg = cell.material(cell.negative.lithium_material).open_circuit_potential_V(0.5);
  }
  return u_pos - u_neg;
}

class BreakdownBuilder {
 public:
  void add(const std::string& component, double mass_kg, double volume_m3) {
    for (auto& e : entries_) {
      if (e.component == component) {
        e.mass_kg += mass_kg;
        e.volume_m3 += volume_m3;
        return;
      }
    }
    entries_.push_back({component, mass_kg, volume_m3});
  }
  double mass() const {
    double m = 0.0;
    for (const auto& e : entries_) m += e.mass_kg;
    return m;
  }
  double volume() const {
    double v = 0.0;
    for (const auto& e : entries_) v += e.volume_m3;
    return v;
  }
  void forget_masses() {
    for (auto& e : entries_) e.mass_kg = 0.0;
  }
  std::vector<BreakdownEntry> take() { return std::move(entries_); }

 private:
  std::vector<BreakdownEntry> entries_;
};

// How one format repeats the unit cell: count and areas of each layer, foils and extra separator.
struct StackGeometry {
  double unit_cells = 0.0;
  double cathode_area_m2 = 0.0;    // per unit cell
  double anode_area_m2 = 0.0;      // per unit cell
  double separator_area_m2 = 0.0;  // per unit cell
  double positive_foils = 0.0;     // number of positive collector sheets of cathode area
  double negative_foils = 0.0;     // number of negative collector sheets of anode area
};

StackGeometry geometry_of(const Cell& cell) {
  StackGeometry g;
  if (const auto* p = std::get_if<PouchFormat>(&cell.format)) {
    double l = p->electrode_length_m, w = p->electrode_width_m;
    double oa = p->negative_overhang_m, os = p->separator_overhang_m;
    g.unit_cells = p->unit_cells;
    g.cathode_area_m2 = l * w;
    g.anode_area_m2 = (l + 2 * oa) * (w + 2 * oa);
    g.separator_area_m2 = (l + 2 * oa + 2 * os) * (w + 2 * oa + 2 * os);
    // Double-sided cathodes; negatives on both outer faces of the stack, so one more negative foil.
    g.positive_foils = std::ceil(p->unit_cells / 2.0);
    g.negative_foils = std::floor(p->unit_cells / 2.0) + 1.0;
  } else if (const auto* c = std::get_if<CylindricalFormat>(&cell.format)) {
    double l = c->electrode_length_m, h = c->cathode_height_m;
    double oa = c->negative_overhang_m, os = c->separator_overhang_m;
    g.unit_cells = 2.0;  // both faces of the wound double-sided cathode
    g.cathode_area_m2 = l * h;
    g.anode_area_m2 = (l + 2 * oa) * (h + 2 * oa);
    g.separator_area_m2 = (l + 2 * oa + 2 * os) * (h + 2 * oa + 2 * os);
    g.positive_foils = 1.0;
    g.negative_foils = 1.0;
  } else {
    const auto& f = std::get<LumpedFormat>(cell.format);
    g.unit_cells = 2.0;  // double-sided electrodes throughout
    g.cathode_area_m2 = f.electrode_area_m2 / 2.0;
    g.anode_area_m2 = g.cathode_area_m2;
    g.separator_area_m2 = g.cathode_area_m2;
    g.positive_foils = 1.0;
    g.negative_foils = 1.0;
  }
  return g;
}

double density_of(const Cell& cell, const std::string& material) {
  return cell.material(material).density_kg_per_m3.value_or(0.0);
}

}  // namespace

DesignFigures compute_design(const Cell& cell, const std::string& file) {
  DesignFigures f;
  f.cell_name = cell.name;
  f.chemistry = cell.chemistry;
  f.format = std::holds_alternative<PouchFormat>(cell.format)        ? "pouch"
             : std::holds_alternative<CylindricalFormat>(cell.format) ? "cylindrical"
                                                                      : "lumped";
  const StackGeometry g = geometry_of(cell);
  const double facing_area = g.unit_cells * g.cathode_area_m2;
  f.cathode_area_m2 = facing_area;

  // --- electrochemical balance -------------------------------------------------------------------
  Balance b;
  b.positive_per_sto_C = layer_charge_per_stoichiometry_C_per_m2(cell.positive, cell) * facing_area;
  double q_pos = b.positive_per_sto_C * (cell.positive.stoichiometry_at_0_soc - cell.positive.stoichiometry_at_100_soc);
  double q_neg = 0.0;
  double excess_lithium_C = 0.0;
  double formation_loss_C = 0.0;  // lithium bound in the negative's interphase on the first charge
  double lithium_C_per_m3 = 0.0;  // charge of lithium metal per m3, for foils and plating
  if (cell.negative.kind != NegativeKind::composite) {
    const auto& lithium = cell.material(cell.negative.lithium_material);
    lithium_C_per_m3 = lithium.capacity->maximum_concentration_mol_per_m3 * constants::faraday_C_per_mol;
  }
  if (cell.negative.kind == NegativeKind::composite) {
    const auto& n = *cell.negative.composite;
    b.negative_per_sto_C = layer_charge_per_stoichiometry_C_per_m2(n, cell) * facing_area;
    q_neg = b.negative_per_sto_C * (n.stoichiometry_at_100_soc - n.stoichiometry_at_0_soc);
    formation_loss_C = cell.negative.first_cycle_loss_fraction * q_pos;
    b.capacity_C = std::min(q_pos - formation_loss_C, q_neg);
    const auto& cap = *cell.material(n.active_material).capacity;
    f.np_ratio = b.negative_per_sto_C * (cap.stoichiometry_max - cap.stoichiometry_min) / q_pos;
    excess_lithium_C = b.negative_per_sto_C * std::max(0.0, n.stoichiometry_at_0_soc - cap.stoichiometry_min);
  } else {
    // Lithium plates without limit on charge; the negative's capacity is the positive's plus the excess.
    excess_lithium_C = cell.negative.kind == NegativeKind::lithium_metal
                           ? cell.negative.lithium_foil_thickness_m * facing_area * lithium_C_per_m3
                           : 0.0;
    q_neg = q_pos + excess_lithium_C;
    formation_loss_C = cell.negative.first_cycle_loss_fraction * q_pos;
    b.capacity_C = q_pos - std::max(0.0, formation_loss_C - excess_lithium_C);
    f.np_ratio = q_neg / q_pos;
  }
  f.positive_capacity_Ah = q_pos / C_per_Ah;
  f.negative_capacity_Ah = q_neg / C_per_Ah;
  f.limiting_electrode = q_pos - formation_loss_C <= q_neg ? "positive" : "negative";
  f.capacity_Ah = b.capacity_C / C_per_Ah;
  f.lithium_inventory_Ah = (q_pos + excess_lithium_C - formation_loss_C) / C_per_Ah;
  f.areal_capacity_mAh_per_cm2 = f.capacity_Ah / facing_area / units::Ah_per_m2_per_mAh_per_cm2;

  // Energy: composite Simpson over the discharge, on an even number of panels.
  constexpr int panels = 2000;
  double h = b.capacity_C / panels;
  double sum = ocv(cell, b, 0.0) + ocv(cell, b, b.capacity_C);
  for (int i = 1; i < panels; ++i) sum += (i % 2 ? 4.0 : 2.0) * ocv(cell, b, i * h);
  f.energy_Wh = sum * h / 3.0 / C_per_Ah;
  f.nominal_voltage_V = f.energy_Wh / f.capacity_Ah;
  f.ocv_at_100_soc_V = ocv(cell, b, 0.0);
  f.ocv_at_0_soc_V = ocv(cell, b, b.capacity_C);
  for (int i = 0; i <= 100; ++i) {
    double q = b.capacity_C * i / 100.0;
    f.ocv_curve.push_back({q / C_per_Ah, ocv(cell, b, q)});
  }

  // --- stack: masses and volumes ------------------------------------------------------------------
  BreakdownBuilder parts;
  bool masses_known = true;
  double pore_volume = 0.0;  // liquid-filled in liquid cells

  auto add_layer = [&](const CompositeLayer& layer, double area, const std::string& label) {
    LayerAmounts a = amounts(layer, cell);
    masses_known = masses_known && a.mass_known;
    double mass = 0.0;
    for (const auto& [material, m] : a.solid_mass_kg_per_m2) mass += m;
    parts.add(label, mass * area, layer.thickness_m * area);
    pore_volume += a.pore_volume_m3_per_m2 * area;
  };

  f.positive_thickness_m = cell.positive.thickness_m;
  f.separator_thickness_m = cell.separator.layer.thickness_m;
  add_layer(cell.positive, facing_area, "positive electrode");
  add_layer(cell.separator.layer, g.unit_cells * g.separator_area_m2, "separator");

  double plated_per_m2 = 0.0;  // m of lithium per m2 of facing area at full charge
  if (cell.negative.kind == NegativeKind::composite) {
    f.negative_thickness_m = cell.negative.composite->thickness_m;
    add_layer(*cell.negative.composite, g.unit_cells * g.anode_area_m2, "negative electrode");
  } else {
    f.negative_thickness_m = cell.negative.lithium_foil_thickness_m;
    double foil_volume = cell.negative.lithium_foil_thickness_m * facing_area;
    parts.add("lithium excess", foil_volume * density_of(cell, cell.negative.lithium_material), foil_volume);
    plated_per_m2 = b.capacity_C / facing_area / lithium_C_per_m3;
  }
  f.plated_lithium_thickness_m = plated_per_m2;

  const auto& cc = cell.collectors;
  double al_volume = g.positive_foils * g.cathode_area_m2 * cc.positive_thickness_m;
  double cu_volume = g.negative_foils * g.anode_area_m2 * cc.negative_thickness_m;
  if (!std::holds_alternative<LumpedFormat>(cell.format) || cc.positive_thickness_m > 0.0) {
    parts.add("positive current collector", al_volume * density_of(cell, cc.positive_material), al_volume);
    parts.add("negative current collector", cu_volume * density_of(cell, cc.negative_material), cu_volume);
    masses_known = masses_known && cell.material(cc.positive_material).density_kg_per_m3 &&
                   cell.material(cc.negative_material).density_kg_per_m3;
  }
  if (cell.electrolyte) {
    double rho = density_of(cell, cell.electrolyte->material);
    // Pore liquid counts in the layers' volume; the excess is mass only (it sits in the housing's space).
    parts.add("electrolyte", pore_volume * cell.electrolyte->pore_fill_factor * rho, 0.0);
  }
  if (plated_per_m2 > 0.0) {
    // Plated lithium's mass was counted in the cathode; at full charge it takes this much room.
    parts.add("plated lithium (full charge)", 0.0, plated_per_m2 * facing_area);
  }

  // One unit cell's thickness: the layers, half of each collector sheet.
  double unit_discharged = cell.positive.thickness_m + cell.separator.layer.thickness_m + f.negative_thickness_m +
                           (g.positive_foils * cc.positive_thickness_m + g.negative_foils * cc.negative_thickness_m) / g.unit_cells;

  // --- format: housing and outer dimensions -------------------------------------------------------
  if (const auto* p = std::get_if<PouchFormat>(&cell.format)) {
    double stack_d = p->unit_cells * (cell.positive.thickness_m + cell.separator.layer.thickness_m + f.negative_thickness_m) +
                     g.positive_foils * cc.positive_thickness_m + g.negative_foils * cc.negative_thickness_m;
    double stack_c = stack_d + p->unit_cells * plated_per_m2;
    f.stack_thickness_discharged_m = stack_d;
    f.stack_thickness_charged_m = stack_c;
    double margin = 2 * (p->negative_overhang_m + p->separator_overhang_m);
    double outer_l = p->electrode_length_m + margin + 2 * p->end_seal_width_m;
    double outer_w = p->electrode_width_m + margin + 2 * p->side_seal_width_m;
    double laminate_volume = 2 * outer_l * outer_w * p->laminate_thickness_m;
    parts.add("pouch laminate", laminate_volume * density_of(cell, p->laminate_material), laminate_volume);
    parts.add("tabs and other parts", p->tab_mass_kg + p->other_mass_kg, 0.0);
    f.volume_m3 = outer_l * outer_w * (stack_c + 2 * p->laminate_thickness_m);
    double thick = stack_c + 2 * p->laminate_thickness_m;
    f.outer_surface_m2 = 2.0 * (outer_l * outer_w + outer_l * thick + outer_w * thick);
    f.mass_kg = parts.mass();
    parts.add("seals, margins and free space", 0.0, f.volume_m3 - parts.volume());
  } else if (const auto* c = std::get_if<CylindricalFormat>(&cell.format)) {
    double wound_unit = 2 * unit_discharged + 2 * plated_per_m2;  // both faces of the strip per turn
    double inner_d = c->outer_diameter_m - 2 * c->can_wall_thickness_m;
    double roll_d = std::sqrt(c->mandrel_diameter_m * c->mandrel_diameter_m + 4.0 * c->electrode_length_m * wound_unit / pi);
    f.stack_thickness_discharged_m =
        std::sqrt(c->mandrel_diameter_m * c->mandrel_diameter_m + 8.0 * c->electrode_length_m * unit_discharged / pi);
    f.stack_thickness_charged_m = roll_d;
    if (roll_d > inner_d) {
      throw InputError(InputLocation{file, c->line, "cylinder.electrode_length_mm"}, fmt::format("{}", c->electrode_length_m * 1e3),
                       fmt::format("the winding would be {:.2f} mm across but the can's inside is {:.2f} mm; shorten the "
                                   "electrodes or thin the layers",
                                   roll_d * 1e3, inner_d * 1e3));
    }
    double roll_h = c->cathode_height_m + 2 * (c->negative_overhang_m + c->separator_overhang_m);
    double room_h = c->height_m - c->can_bottom_thickness_m - c->headspace_m;
    if (roll_h > room_h) {
      throw InputError(InputLocation{file, c->line, "cylinder.cathode_height_mm"}, fmt::format("{}", c->cathode_height_m * 1e3),
                       fmt::format("the jelly roll would be {:.2f} mm tall with its overhangs but the can leaves {:.2f} mm",
                                   roll_h * 1e3, room_h * 1e3));
    }
    double r_o = c->outer_diameter_m / 2, r_i = inner_d / 2;
    double can_volume = pi * (r_o * r_o - r_i * r_i) * c->height_m + pi * r_i * r_i * c->can_bottom_thickness_m;
    parts.add("can", can_volume * density_of(cell, c->can_material), can_volume);
    parts.add("cap assembly, tabs and other parts", c->cap_assembly_mass_kg + c->tab_mass_kg + c->other_mass_kg, 0.0);
    f.volume_m3 = pi * r_o * r_o * c->height_m;
    f.outer_surface_m2 = 2.0 * pi * r_o * c->height_m + 2.0 * pi * r_o * r_o;
    f.mass_kg = parts.mass();
    parts.add("core, headspace and clearance", 0.0, f.volume_m3 - parts.volume());
  } else {
    const auto& l = std::get<LumpedFormat>(cell.format);
    f.stack_thickness_discharged_m = unit_discharged;
    f.stack_thickness_charged_m = unit_discharged + plated_per_m2;
    f.mass_kg = l.mass_kg;
    f.volume_m3 = l.volume_m3;
    if (masses_known && parts.mass() > l.mass_kg * (1 + 1e-9)) {
      throw InputError(InputLocation{file, l.line, "lumped.mass_g"}, fmt::format("{}", l.mass_kg * 1e3),
                       fmt::format("the stack alone weighs {:.1f} g; the cell mass must be larger", parts.mass() * 1e3));
    }
    if (parts.volume() > l.volume_m3 * (1 + 1e-9)) {
      throw InputError(InputLocation{file, l.line, "lumped.volume_cm3"}, fmt::format("{}", l.volume_m3 * 1e6),
                       fmt::format("the stack alone takes {:.2f} cm3; the cell volume must be larger", parts.volume() * 1e6));
    }
    double rest_mass = masses_known ? l.mass_kg - parts.mass() : 0.0;
    if (!masses_known) {
      // Without densities only the total mass is known: report the stack's volumes and the cell's mass.
      parts.forget_masses();
      rest_mass = l.mass_kg;
    }
    parts.add(masses_known ? "housing and rest (lumped)" : "whole cell (no densities in the file)", rest_mass,
              l.volume_m3 - parts.volume());
  }

  f.breakdown = parts.take();
  f.specific_energy_Wh_per_kg = f.energy_Wh / f.mass_kg;
  f.energy_density_Wh_per_L = f.energy_Wh / (f.volume_m3 / units::litre);
  return f;
}

}  // namespace solidcell::cell
