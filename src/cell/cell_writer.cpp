#include "solidcell/cell/cell_writer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

// A value the reader converts to SI with `to_si`, written in the key's unit so that it reads back to exactly `si`:
// of the doubles around `guess` (si in the key's unit), the one with the shortest text whose conversion gives si
// back (492.8 nm reads as 4.928e-7 m, and 4.928e-7 / 1e-9 prints as 492.80000000000007), kept within [low, high]
// when the file gave the value a range (whose end the file's value may sit on).
template <class ToSi>
std::string num_reading_back(double si, double guess, ToSi to_si, double low = -std::numeric_limits<double>::infinity(),
                             double high = std::numeric_limits<double>::infinity()) {
  std::string best;
  for (int k : {0, -1, 1, -2, 2, -3, 3, -4, 4}) {
    double c = guess;
    for (int i = 0; i < std::abs(k); ++i) c = std::nextafter(c, k < 0 ? -HUGE_VAL : HUGE_VAL);
    if (to_si(c) != si || c < low || c > high) continue;
    auto s = num(c);
    if (best.empty() || s.size() < best.size()) best = s;
  }
  return best.empty() ? num(guess) : best;
}

// The reader multiplies the key's number by `factor` (1e-9 for nm, 1e9 for GPa).
std::string num_scaled(double si, double factor) {
  return num_reading_back(si, si / factor, [factor](double v) { return v * factor; });
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
  os << "thickness_um = " << num_scaled(l.thickness_m, 1e-6) << "\n";
  os << "stoichiometry_at_0_soc = " << num(l.stoichiometry_at_0_soc) << "\n";
  os << "stoichiometry_at_100_soc = " << num(l.stoichiometry_at_100_soc) << "\n";
  if (l.particle_radius_m) os << "particle_radius_um = " << num_scaled(*l.particle_radius_m, 1e-6) << "\n";
  os << "bruggeman_exponent = " << num(l.bruggeman_exponent) << "\n";
  os << "electrode_bruggeman_exponent = " << num(l.electrode_bruggeman_exponent) << "\n";
  if (l.interface_resistance_ohm_m2 > 0) os << "interface_resistance_ohm_cm2 = " << num_scaled(l.interface_resistance_ohm_m2, 1e-4) << "\n";
  if (l.exchange_current_density_A_per_m2)
    os << "exchange_current_density_A_per_m2 = " << num(*l.exchange_current_density_A_per_m2) << "\n";
}

// [positive.active_material_loss], [negative.active_material_loss]: keys as the cell reader reads them.
void write_active_material_loss(std::ostream& os, const char* electrode, const ActiveMaterialLossProperties& a) {
  os << "\n[" << electrode << ".active_material_loss]\n";
  os << "youngs_modulus_GPa = " << num_scaled(a.youngs_modulus_Pa, 1e9) << "\n";
  os << "poissons_ratio = " << num(a.poissons_ratio) << "\n";
  os << "partial_molar_volume_m3_per_mol = " << num(a.partial_molar_volume_m3_per_mol) << "\n";
  os << "critical_stress_MPa = " << num_scaled(a.critical_stress_Pa, 1e6) << "\n";
  os << "proportional_rate_per_s = " << num(a.proportional_rate_per_s) << "\n";
  os << "exponent = " << num(a.exponent) << "\n";
  os << "reaction_factor_m3_per_mol = " << num(a.reaction_factor_m3_per_mol) << "\n";
  os << "source = " << quoted(a.source) << "\n";
}

void write_sei(std::ostream& os, const SeiProperties& s) {
  os << "\n[negative.sei]\n";
  os << "initial_thickness_nm = " << num_scaled(s.initial_thickness_m, 1e-9) << "\n";
  os << "partial_molar_volume_m3_per_mol = " << num(s.partial_molar_volume_m3_per_mol) << "\n";
  os << "exchange_current_density_A_per_m2 = " << num(s.exchange_current_density_A_per_m2) << "\n";
  os << "resistivity_ohm_m = " << num(s.resistivity_ohm_m) << "\n";
  os << "solvent_diffusivity_m2_per_s = " << num(s.solvent_diffusivity_m2_per_s) << "\n";
  os << "bulk_solvent_concentration_mol_per_m3 = " << num(s.bulk_solvent_concentration_mol_per_m3) << "\n";
  os << "open_circuit_potential_V = " << num(s.open_circuit_potential_V) << "\n";
  os << "activation_energy_J_per_mol = " << num(s.activation_energy_J_per_mol) << "\n";
  os << "transfer_coefficient = " << num(s.transfer_coefficient) << "\n";
  os << "lithium_per_sei = " << num(s.lithium_per_sei) << "\n";
  os << "source = " << quoted(s.source) << "\n";
}

void write_plating(std::ostream& os, const PlatingProperties& p) {
  os << "\n[negative.plating]\n";
  os << "kinetic_rate_constant_m_per_s = " << num(p.kinetic_rate_constant_m_per_s) << "\n";
  os << "transfer_coefficient = " << num(p.transfer_coefficient) << "\n";
  os << "lithium_partial_molar_volume_m3_per_mol = " << num(p.lithium_partial_molar_volume_m3_per_mol) << "\n";
  os << "initial_concentration_mol_per_m3 = " << num(p.initial_concentration_mol_per_m3) << "\n";
  os << "dead_lithium_decay_constant_per_s = " << num(p.dead_lithium_decay_constant_per_s) << "\n";
  os << "activation_energy_J_per_mol = " << num(p.activation_energy_J_per_mol) << "\n";
  os << "source = " << quoted(p.source) << "\n";
}

// [degradation] and its sub-tables. Each value is written in its key's unit with the uncertainty range the file gave
// it ("<key>_range", kept in the key's unit as read), so the reader's range checks pass again.
void write_degradation(std::ostream& os, const SolidStateDegradation& g) {
  std::string table;  // the reader keys ranges by the table below [degradation] ("degradation" for itself)
  auto value = [&](const std::string& key, double si, auto to_si, double guess) {
    auto range = g.ranges.find(table + "." + key);
    if (range == g.ranges.end()) {
      os << key << " = " << num_reading_back(si, guess, to_si) << "\n";
    } else {
      const auto [low, high] = range->second;
      os << key << " = " << num_reading_back(si, guess, to_si, low, high) << "\n";
      os << key << "_range = [" << num(low) << ", " << num(high) << "]\n";
    }
  };
  auto plain = [&](const std::string& key, double v) { value(key, v, [](double x) { return x; }, v); };
  auto scaled = [&](const std::string& key, double si, double factor) {
    value(key, si, [factor](double x) { return x * factor; }, si / factor);
  };
  auto open = [&](const char* sub) {
    table = sub;
    os << "\n[degradation." << sub << "]\n";
  };

  table = "degradation";
  os << "\n[degradation]\n";
  scaled("stack_pressure_MPa", g.stack_pressure_Pa, 1e6);
  os << "source = " << quoted(g.source) << "\n";

  open("cei");
  scaled("initial_thickness_nm", g.cei_initial_thickness_m, 1e-9);
  plain("rate_constant_m2_per_s", g.cei_rate_constant_m2_per_s);
  plain("activation_energy_J_per_mol", g.cei_activation_energy_J_per_mol);
  plain("onset_potential_V", g.cei_onset_potential_V);
  plain("potential_factor", g.cei_potential_factor);
  plain("resistivity_ohm_m", g.cei_resistivity_ohm_m);
  plain("lithium_mol_per_m3", g.cei_lithium_mol_per_m3);
  os << "source = " << quoted(g.cei_source) << "\n";

  open("contact");
  plain("cam_volume_change", g.cam_volume_change);
  plain("shrink_onset_stoichiometry", g.cam_shrink_onset_stoichiometry);
  plain("shrink_end_stoichiometry", g.cam_shrink_end_stoichiometry);
  plain("critical_strain", g.contact_critical_strain);
  plain("loss_per_strain", g.contact_loss_per_strain);
  plain("pressure_exponent", g.contact_pressure_exponent);
  scaled("reference_pressure_MPa", g.contact_reference_pressure_Pa, 1e6);
  os << "source = " << quoted(g.contact_source) << "\n";

  open("lithium");
  plain("coulombic_efficiency", g.coulombic_efficiency);
  os << "source = " << quoted(g.lithium_source) << "\n";

  // Optional tables: their critical currents are positive when read, zero when the file has none.
  if (g.void_critical_current_A_per_m2 > 0.0) {
    open("voids");
    scaled("critical_stripping_current_mA_per_cm2", g.void_critical_current_A_per_m2, 10.0);
    scaled("reference_pressure_MPa", g.void_reference_pressure_Pa, 1e6);
    plain("pressure_exponent", g.void_pressure_exponent);
    // The reader divides by 36 000 C/m2 per mAh/cm2.
    value("loss_per_mAh_per_cm2", g.void_loss_per_charge_m2_per_C, [](double x) { return x / 36000.0; },
          g.void_loss_per_charge_m2_per_C * 36000.0);
    os << "source = " << quoted(g.void_source) << "\n";
  }
  if (g.ccd_A_per_m2 > 0.0) {
    open("short");
    scaled("critical_current_density_mA_per_cm2", g.ccd_A_per_m2, 10.0);
    scaled("reference_pressure_MPa", g.ccd_reference_pressure_Pa, 1e6);
    plain("pressure_exponent", g.ccd_pressure_exponent);
    plain("activation_energy_J_per_mol", g.ccd_activation_energy_J_per_mol);
    os << "source = " << quoted(g.short_source) << "\n";
  }
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
  if (cell.positive.active_material_loss) write_active_material_loss(os, "positive", *cell.positive.active_material_loss);

  os << "\n[separator]\nkind = " << quoted(to_string(cell.separator.kind)) << "\n";
  write_solids(os, cell.separator.layer);
  os << "thickness_um = " << num_scaled(cell.separator.layer.thickness_m, 1e-6) << "\nporosity = " << num(cell.separator.layer.porosity) << "\n";
  os << "bruggeman_exponent = " << num(cell.separator.layer.bruggeman_exponent) << "\n";
  os << "source = " << quoted(cell.separator.layer.source) << "\n";

  os << "\n[negative]\nkind = " << quoted(to_string(cell.negative.kind)) << "\n";
  if (cell.negative.kind == NegativeKind::composite) {
    write_electrode(os, *cell.negative.composite);
  } else {
    if (cell.negative.kind == NegativeKind::lithium_metal)
      os << "lithium_thickness_um = " << num_scaled(cell.negative.lithium_foil_thickness_m, 1e-6) << "\n";
    os << "lithium_material = " << quoted(cell.negative.lithium_material) << "\n";
    if (cell.negative.lithium_exchange_current_density_A_per_m2)
      os << "lithium_exchange_current_density_A_per_m2 = " << num(*cell.negative.lithium_exchange_current_density_A_per_m2) << "\n";
    if (cell.negative.lithium_interface_resistance_ohm_m2 > 0)
      os << "lithium_interface_resistance_ohm_cm2 = " << num_scaled(cell.negative.lithium_interface_resistance_ohm_m2, 1e-4) << "\n";
  }
  if (cell.negative.first_cycle_loss_fraction > 0.0)
    os << "first_cycle_loss_fraction = " << num(cell.negative.first_cycle_loss_fraction) << "\n";
  os << "source = " << quoted(cell.negative.source) << "\n";
  if (cell.negative.sei) write_sei(os, *cell.negative.sei);
  if (cell.negative.plating) write_plating(os, *cell.negative.plating);
  if (cell.negative.composite && cell.negative.composite->active_material_loss)
    write_active_material_loss(os, "negative", *cell.negative.composite->active_material_loss);

  const auto& cc = cell.collectors;
  if (cc.positive_thickness_m > 0.0) {
    os << "\n[current_collectors]\npositive_material = " << quoted(cc.positive_material)
       << "\npositive_thickness_um = " << num_scaled(cc.positive_thickness_m, 1e-6) << "\nnegative_material = " << quoted(cc.negative_material)
       << "\nnegative_thickness_um = " << num_scaled(cc.negative_thickness_m, 1e-6) << "\nsource = " << quoted(cc.source) << "\n";
  }
  if (cell.electrolyte) {
    os << "\n[electrolyte]\nmaterial = " << quoted(cell.electrolyte->material) << "\npore_fill_factor = " << num(cell.electrolyte->pore_fill_factor)
       << "\ninitial_concentration_mol_per_m3 = " << num(cell.electrolyte->initial_concentration_mol_per_m3)
       << "\nsource = " << quoted(cell.electrolyte->source) << "\n";
  }

  if (const auto* p = std::get_if<PouchFormat>(&cell.format)) {
    os << "\n[pouch]\nelectrode_length_mm = " << num_scaled(p->electrode_length_m, 1e-3) << "\nelectrode_width_mm = " << num_scaled(p->electrode_width_m, 1e-3)
       << "\nunit_cells = " << p->unit_cells << "\nseparator_overhang_mm = " << num_scaled(p->separator_overhang_m, 1e-3)
       << "\nnegative_overhang_mm = " << num_scaled(p->negative_overhang_m, 1e-3) << "\nlaminate_material = " << quoted(p->laminate_material)
       << "\nlaminate_thickness_um = " << num_scaled(p->laminate_thickness_m, 1e-6) << "\nside_seal_width_mm = " << num_scaled(p->side_seal_width_m, 1e-3)
       << "\nend_seal_width_mm = " << num_scaled(p->end_seal_width_m, 1e-3) << "\ntab_mass_g = " << num_scaled(p->tab_mass_kg, 1e-3)
       << "\nother_mass_g = " << num_scaled(p->other_mass_kg, 1e-3) << "\nsource = " << quoted(p->source) << "\n";
  } else if (const auto* c = std::get_if<CylindricalFormat>(&cell.format)) {
    os << "\n[cylinder]\nouter_diameter_mm = " << num_scaled(c->outer_diameter_m, 1e-3) << "\nheight_mm = " << num_scaled(c->height_m, 1e-3)
       << "\ncan_material = " << quoted(c->can_material) << "\ncan_wall_thickness_mm = " << num_scaled(c->can_wall_thickness_m, 1e-3)
       << "\ncan_bottom_thickness_mm = " << num_scaled(c->can_bottom_thickness_m, 1e-3) << "\nheadspace_mm = " << num_scaled(c->headspace_m, 1e-3)
       << "\nmandrel_diameter_mm = " << num_scaled(c->mandrel_diameter_m, 1e-3) << "\nelectrode_length_mm = " << num_scaled(c->electrode_length_m, 1e-3)
       << "\ncathode_height_mm = " << num_scaled(c->cathode_height_m, 1e-3) << "\nnegative_overhang_mm = " << num_scaled(c->negative_overhang_m, 1e-3)
       << "\nseparator_overhang_mm = " << num_scaled(c->separator_overhang_m, 1e-3) << "\ncap_assembly_mass_g = " << num_scaled(c->cap_assembly_mass_kg, 1e-3)
       << "\ntab_mass_g = " << num_scaled(c->tab_mass_kg, 1e-3) << "\nother_mass_g = " << num_scaled(c->other_mass_kg, 1e-3)
       << "\nsource = " << quoted(c->source) << "\n";
  } else {
    const auto& l = std::get<LumpedFormat>(cell.format);
    os << "\n[lumped]\nelectrode_area_cm2 = " << num_scaled(l.electrode_area_m2, 1e-4) << "\nmass_g = " << num_scaled(l.mass_kg, 1e-3)
       << "\nvolume_cm3 = " << num_scaled(l.volume_m3, 1e-6) << "\nsource = " << quoted(l.source) << "\n";
  }

  if (cell.thermal) {
    const auto& t = *cell.thermal;
    os << "\n[thermal]\nspecific_heat_J_per_kg_K = " << num(t.specific_heat_J_per_kg_K)
       << "\nheat_transfer_coefficient_W_per_m2_K = " << num(t.heat_transfer_coefficient_W_per_m2_K) << "\n";
    if (t.cooling_area_m2) os << "cooling_area_cm2 = " << num_scaled(*t.cooling_area_m2, 1e-4) << "\n";
    os << "source = " << quoted(t.source) << "\n";
  }
  if (cell.degradation) write_degradation(os, *cell.degradation);
  for (const auto& [name, m] : cell.materials) write_material(os, m);
  return os.str();
}

}  // namespace solidcell::cell
