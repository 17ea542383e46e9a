#include "solidcell/cell/cell_writer.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>
#include <sstream>

#include <fmt/format.h>

namespace solidcell::cell {
namespace {

// Round-trip exact numbers: {} prints the shortest representation that reads back to the same double.
std::string num(double v) {
  auto s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep TOML floats floats
  return s;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void write_solids(std::ostream& os, const CompositeLayer& layer) {
  os << "volume_fractions = { ";
  bool first = true;
  for (const auto& s : layer.solids) {
    os << (first ? "" : ", ") << quoted(s.material) << " = " << num(s.volume_fraction);
    first = false;
  }
  os << " }\n";
}

// Electrolyte properties are numbers or expressions in the concentration (tables are not accepted there).
std::string function_value(const materials::StoichiometryFunction& f) {
  using Kind = materials::StoichiometryFunction::Kind;
  if (f.kind() == Kind::expression) return quoted(f.expression_text());
  if (f.kind() == Kind::constant) return num(f.constant_value());
  throw std::invalid_argument("electrolyte property tables cannot be written to a cell file");
}

void write_material(std::ostream& os, const materials::Material& m) {
  os << "\n[materials." << quoted(m.name) << "]\n";
  os << "role = " << quoted(materials::to_string(m.role)) << "\n";
  if (m.density_kg_per_m3) os << "density_kg_per_m3 = " << num(*m.density_kg_per_m3) << "\n";
  if (!m.description.empty()) os << "description = " << quoted(m.description) << "\n";
  os << "source = " << quoted(m.source) << "\n";
  if (m.is_active()) {
    const auto& c = *m.capacity;
    os << "\n[materials." << quoted(m.name) << ".capacity]\n";
    os << "maximum_concentration_mol_per_m3 = " << num(c.maximum_concentration_mol_per_m3) << "\n";
    os << "stoichiometry_min = " << num(c.stoichiometry_min) << "\n";
    os << "stoichiometry_max = " << num(c.stoichiometry_max) << "\n";
    os << "source = " << quoted(c.source) << "\n";
    os << "\n[materials." << quoted(m.name) << ".open_circuit_potential]\n";
    const auto& f = m.open_circuit_potential_V;
    using Kind = materials::StoichiometryFunction::Kind;
    if (f.kind() == Kind::constant) {
      os << "value_V = " << num(f.constant_value()) << "\n";
    } else if (f.kind() == Kind::expression) {
      os << "expression_V = " << quoted(f.expression_text()) << "\n";
    } else {
      os << "stoichiometry = [";
      for (size_t i = 0; i < f.table_x().size(); ++i) os << (i ? ", " : "") << num(f.table_x()[i]);
      os << "]\nvoltage_V = [";
      for (size_t i = 0; i < f.table_y().size(); ++i) os << (i ? ", " : "") << num(f.table_y()[i]);
      os << "]\n";
    }
    if (m.entropic_coefficient_V_per_K) {
      const auto& e = *m.entropic_coefficient_V_per_K;
      using EKind = materials::StoichiometryFunction::Kind;
      if (e.kind() == EKind::expression) os << "entropic_coefficient_V_per_K = " << quoted(e.expression_text()) << "\n";
      else if (e.kind() == EKind::constant) os << "entropic_coefficient_V_per_K = " << num(e.constant_value()) << "\n";
      else throw std::invalid_argument("entropic coefficient tables cannot be written to a cell file");
    }
    if (m.ocp_valid_from > 0.0) os << "valid_from_stoichiometry = " << num(m.ocp_valid_from) << "\n";
    if (m.ocp_valid_to < 1.0) os << "valid_to_stoichiometry = " << num(m.ocp_valid_to) << "\n";
    os << "source = " << quoted(m.open_circuit_potential_source) << "\n";
  }
  const auto& t = m.transport;
  std::vector<std::pair<const char*, std::optional<double>>> transport{
      {"diffusivity_m2_per_s", t.diffusivity_m2_per_s},
      {"diffusivity_activation_energy_J_per_mol", t.diffusivity_activation_energy_J_per_mol},
      {"electronic_conductivity_S_per_m", t.electronic_conductivity_S_per_m},
      {"ionic_conductivity_S_per_m", t.ionic_conductivity_S_per_m},
      {"conductivity_activation_energy_J_per_mol", t.conductivity_activation_energy_J_per_mol}};
  if (std::any_of(transport.begin(), transport.end(), [](const auto& kv) { return kv.second.has_value(); })) {
    os << "\n[materials." << quoted(m.name) << ".transport]\n";
    for (const auto& [key, value] : transport)
      if (value) os << key << " = " << num(*value) << "\n";
    os << "source = " << quoted(t.source) << "\n";
  }
  if (m.kinetics.exchange_current_density_A_per_m2) {
    os << "\n[materials." << quoted(m.name) << ".kinetics]\n";
    os << "exchange_current_density_A_per_m2 = " << num(*m.kinetics.exchange_current_density_A_per_m2) << "\n";
    os << "activation_energy_J_per_mol = " << num(m.kinetics.activation_energy_J_per_mol) << "\n";
    os << "source = " << quoted(m.kinetics.source) << "\n";
  }
  if (m.electrolyte) {
    const auto& e = *m.electrolyte;
    os << "\n[materials." << quoted(m.name) << ".electrolyte]\n";
    os << "transference_number = " << num(e.transference_number) << "\n";
    os << "diffusivity_m2_per_s = " << function_value(e.diffusivity_m2_per_s) << "\n";
    os << "conductivity_S_per_m = " << function_value(e.conductivity_S_per_m) << "\n";
    os << "diffusivity_activation_energy_J_per_mol = " << num(e.diffusivity_activation_energy_J_per_mol) << "\n";
    os << "conductivity_activation_energy_J_per_mol = " << num(e.conductivity_activation_energy_J_per_mol) << "\n";
    os << "thermodynamic_factor = " << num(e.thermodynamic_factor) << "\n";
    os << "source = " << quoted(e.source) << "\n";
  }
  const auto& th = m.thermal;
  if (th.specific_heat_J_per_kg_K || th.thermal_conductivity_W_per_m_K) {
    os << "\n[materials." << quoted(m.name) << ".thermal]\n";
    if (th.specific_heat_J_per_kg_K) os << "specific_heat_J_per_kg_K = " << num(*th.specific_heat_J_per_kg_K) << "\n";
    if (th.thermal_conductivity_W_per_m_K) os << "thermal_conductivity_W_per_m_K = " << num(*th.thermal_conductivity_W_per_m_K) << "\n";
    os << "source = " << quoted(th.source) << "\n";
  }
}

void write_electrode(std::ostream& os, const CompositeLayer& l) {
  os << "active_material = " << quoted(l.active_material) << "\n";
  write_solids(os, l);
  os << "porosity = " << num(l.porosity) << "\n";
  os << "thickness_um = " << num(l.thickness_m * 1e6) << "\n";
  os << "stoichiometry_at_0_soc = " << num(l.stoichiometry_at_0_soc) << "\n";
  os << "stoichiometry_at_100_soc = " << num(l.stoichiometry_at_100_soc) << "\n";
  if (l.particle_radius_m) os << "particle_radius_um = " << num(*l.particle_radius_m * 1e6) << "\n";
  os << "bruggeman_exponent = " << num(l.bruggeman_exponent) << "\n";
  os << "electrode_bruggeman_exponent = " << num(l.electrode_bruggeman_exponent) << "\n";
  if (l.interface_resistance_ohm_m2 > 0) os << "interface_resistance_ohm_cm2 = " << num(l.interface_resistance_ohm_m2 * 1e4) << "\n";
  if (l.exchange_current_density_A_per_m2)
    os << "exchange_current_density_A_per_m2 = " << num(*l.exchange_current_density_A_per_m2) << "\n";
}

}  // namespace

std::string write_cell_toml(const Cell& cell) {
  std::ostringstream os;
  const char* format = std::holds_alternative<PouchFormat>(cell.format)        ? "pouch"
                       : std::holds_alternative<CylindricalFormat>(cell.format) ? "cylindrical"
                                                                                : "lumped";
  os << "# solidcell cell file. Units are in the key names; docs/cell-files.md describes every field.\n";
  os << "[cell]\nname = " << quoted(cell.name) << "\nchemistry = " << quoted(cell.chemistry) << "\nformat = " << quoted(format) << "\n";
  if (!cell.description.empty()) os << "description = " << quoted(cell.description) << "\n";
  os << "voltage_min_V = " << num(cell.voltage_min_V) << "\nvoltage_max_V = " << num(cell.voltage_max_V) << "\n";
  if (cell.nominal_capacity_Ah) os << "nominal_capacity_Ah = " << num(*cell.nominal_capacity_Ah) << "\n";
  os << "source = " << quoted(cell.source) << "\n";

  os << "\n[positive]\n";
  write_electrode(os, cell.positive);
  os << "source = " << quoted(cell.positive.source) << "\n";

  os << "\n[separator]\nkind = " << quoted(to_string(cell.separator.kind)) << "\n";
  write_solids(os, cell.separator.layer);
  os << "thickness_um = " << num(cell.separator.layer.thickness_m * 1e6) << "\nporosity = " << num(cell.separator.layer.porosity) << "\n";
  os << "bruggeman_exponent = " << num(cell.separator.layer.bruggeman_exponent) << "\n";
  os << "source = " << quoted(cell.separator.layer.source) << "\n";

  os << "\n[negative]\nkind = " << quoted(to_string(cell.negative.kind)) << "\n";
  if (cell.negative.kind == NegativeKind::composite) {
    write_electrode(os, *cell.negative.composite);
  } else {
    if (cell.negative.kind == NegativeKind::lithium_metal)
      os << "lithium_thickness_um = " << num(cell.negative.lithium_foil_thickness_m * 1e6) << "\n";
    os << "lithium_material = " << quoted(cell.negative.lithium_material) << "\n";
    if (cell.negative.lithium_exchange_current_density_A_per_m2)
      os << "lithium_exchange_current_density_A_per_m2 = " << num(*cell.negative.lithium_exchange_current_density_A_per_m2) << "\n";
    if (cell.negative.lithium_interface_resistance_ohm_m2 > 0)
      os << "lithium_interface_resistance_ohm_cm2 = " << num(cell.negative.lithium_interface_resistance_ohm_m2 * 1e4) << "\n";
  }
  if (cell.negative.first_cycle_loss_fraction > 0.0)
    os << "first_cycle_loss_fraction = " << num(cell.negative.first_cycle_loss_fraction) << "\n";
  os << "source = " << quoted(cell.negative.source) << "\n";

  const auto& cc = cell.collectors;
  if (cc.positive_thickness_m > 0.0) {
    os << "\n[current_collectors]\npositive_material = " << quoted(cc.positive_material)
       << "\npositive_thickness_um = " << num(cc.positive_thickness_m * 1e6) << "\nnegative_material = " << quoted(cc.negative_material)
       << "\nnegative_thickness_um = " << num(cc.negative_thickness_m * 1e6) << "\nsource = " << quoted(cc.source) << "\n";
  }
  if (cell.electrolyte) {
    os << "\n[electrolyte]\nmaterial = " << quoted(cell.electrolyte->material) << "\npore_fill_factor = " << num(cell.electrolyte->pore_fill_factor)
       << "\ninitial_concentration_mol_per_m3 = " << num(cell.electrolyte->initial_concentration_mol_per_m3)
       << "\nsource = " << quoted(cell.electrolyte->source) << "\n";
  }

  if (const auto* p = std::get_if<PouchFormat>(&cell.format)) {
    os << "\n[pouch]\nelectrode_length_mm = " << num(p->electrode_length_m * 1e3) << "\nelectrode_width_mm = " << num(p->electrode_width_m * 1e3)
       << "\nunit_cells = " << p->unit_cells << "\nseparator_overhang_mm = " << num(p->separator_overhang_m * 1e3)
       << "\nnegative_overhang_mm = " << num(p->negative_overhang_m * 1e3) << "\nlaminate_material = " << quoted(p->laminate_material)
       << "\nlaminate_thickness_um = " << num(p->laminate_thickness_m * 1e6) << "\nside_seal_width_mm = " << num(p->side_seal_width_m * 1e3)
       << "\nend_seal_width_mm = " << num(p->end_seal_width_m * 1e3) << "\ntab_mass_g = " << num(p->tab_mass_kg * 1e3)
       << "\nother_mass_g = " << num(p->other_mass_kg * 1e3) << "\nsource = " << quoted(p->source) << "\n";
  } else if (const auto* c = std::get_if<CylindricalFormat>(&cell.format)) {
    os << "\n[cylinder]\nouter_diameter_mm = " << num(c->outer_diameter_m * 1e3) << "\nheight_mm = " << num(c->height_m * 1e3)
       << "\ncan_material = " << quoted(c->can_material) << "\ncan_wall_thickness_mm = " << num(c->can_wall_thickness_m * 1e3)
       << "\ncan_bottom_thickness_mm = " << num(c->can_bottom_thickness_m * 1e3) << "\nheadspace_mm = " << num(c->headspace_m * 1e3)
       << "\nmandrel_diameter_mm = " << num(c->mandrel_diameter_m * 1e3) << "\nelectrode_length_mm = " << num(c->electrode_length_m * 1e3)
       << "\ncathode_height_mm = " << num(c->cathode_height_m * 1e3) << "\nnegative_overhang_mm = " << num(c->negative_overhang_m * 1e3)
       << "\nseparator_overhang_mm = " << num(c->separator_overhang_m * 1e3) << "\ncap_assembly_mass_g = " << num(c->cap_assembly_mass_kg * 1e3)
       << "\ntab_mass_g = " << num(c->tab_mass_kg * 1e3) << "\nother_mass_g = " << num(c->other_mass_kg * 1e3)
       << "\nsource = " << quoted(c->source) << "\n";
  } else {
    const auto& l = std::get<LumpedFormat>(cell.format);
    os << "\n[lumped]\nelectrode_area_cm2 = " << num(l.electrode_area_m2 * 1e4) << "\nmass_g = " << num(l.mass_kg * 1e3)
       << "\nvolume_cm3 = " << num(l.volume_m3 * 1e6) << "\nsource = " << quoted(l.source) << "\n";
  }

  if (cell.thermal) {
    const auto& t = *cell.thermal;
    os << "\n[thermal]\nspecific_heat_J_per_kg_K = " << num(t.specific_heat_J_per_kg_K)
       << "\nheat_transfer_coefficient_W_per_m2_K = " << num(t.heat_transfer_coefficient_W_per_m2_K) << "\n";
    if (t.cooling_area_m2) os << "cooling_area_cm2 = " << num(*t.cooling_area_m2 * 1e4) << "\n";
    os << "source = " << quoted(t.source) << "\n";
  }
  for (const auto& [name, m] : cell.materials) write_material(os, m);
  return os.str();
}

}  // namespace solidcell::cell
