#include "solidcell/cell/cell_reader.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/cell/bpx_import.hpp"
#include "solidcell/cell/electrode_loading.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::cell {
namespace {

using io::Range;
using io::TomlTable;
using materials::Material;
using materials::Role;

const Range thickness_um_range = Range::positive(5000.0);
const Range porosity_range{0.0, 0.95};
const Range length_mm_range = Range::positive(5000.0);
const Range overhang_mm_range = Range::non_negative(50.0);
const Range mass_g_range = Range::non_negative(1.0e5);

struct Reader {
  const std::string& file;
  const materials::MaterialLibrary& builtin;
  materials::MaterialLibrary local;  // [materials.NAME] tables of this file
  Cell& cell;

  // Resolves a material name and checks its role; records it in the cell.
  const Material& use(const TomlTable& t, std::string_view key, const std::string& name,
                      std::initializer_list<Role> roles) {
    const Material* m = local.find(name);
    if (!m) m = builtin.find(name);
    if (!m) {
      t.fail(key, "\"" + name + "\"",
             "unknown material: not in data/materials nor in this file's [materials] tables (see `solidcell cells --materials`)");
    }
    if (roles.size() > 0 && std::find(roles.begin(), roles.end(), m->role) == roles.end()) {
      std::string allowed;
      for (Role r : roles) allowed += (allowed.empty() ? "" : " or ") + std::string(materials::to_string(r));
      t.fail(key, "\"" + name + "\"",
             fmt::format("material has role {}, but this place needs {}", materials::to_string(m->role), allowed));
    }
    cell.materials.insert_or_assign(name, *m);
    return cell.materials.at(name);
  }

  // mass_fractions or volume_fractions of the solids -> volume fractions.
  std::vector<SolidComponent> read_solids(const TomlTable& t, std::initializer_list<Role> roles) {
    bool by_mass = t.has("mass_fractions");
    bool by_volume = t.has("volume_fractions");
    if (by_mass == by_volume) {
      t.fail("mass_fractions", "", "give exactly one of mass_fractions and volume_fractions (fractions of the solids)");
    }
    const char* key = by_mass ? "mass_fractions" : "volume_fractions";
    auto fractions = t.number_map(key, Range::unit_interval());
    double sum = 0.0;
    for (const auto& [name, f] : fractions) sum += f;
    if (std::abs(sum - 1.0) > 1e-6) {
      t.fail(key, fmt::format("{:.6g} (sum)", sum), "fractions of the solids must sum to 1 (within 1e-6)");
    }
    std::vector<SolidComponent> solids;
    double total_volume = 0.0;
    for (const auto& [name, f] : fractions) {
      const Material& m = use(t, key, name, roles);
      if (by_mass && !m.density_kg_per_m3) {
        t.fail(key, name, "material has no density_kg_per_m3, so mass fractions cannot be converted; give volume_fractions");
      }
      double v = by_mass ? f / *m.density_kg_per_m3 : f;
      solids.push_back({name, v});
      total_volume += v;
    }
    for (auto& s : solids) s.volume_fraction /= total_volume;
    return solids;
  }

  // Thickness from exactly one of: thickness, areal capacity, areal mass loading (and N/P for anodes).
  void read_loading(const TomlTable& t, CompositeLayer& layer, Role active_role, double positive_capacity_C_per_m2,
                    bool np_allowed) {
    std::vector<std::string> keys{"thickness_um", "areal_capacity_mAh_per_cm2", "areal_mass_loading_mg_per_cm2"};
    if (np_allowed) keys.push_back("np_ratio");
    int given = 0;
    for (const auto& k : keys) given += t.has(k) ? 1 : 0;
    if (given != 1) {
      std::string list;
      for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
      t.fail(keys.front(), "", "give exactly one of " + list);
    }
    const Material& active = cell.material(layer.active_material);
    if (active.role != active_role) {
      t.fail("active_material", "\"" + layer.active_material + "\"",
             fmt::format("needs a material of role {}", materials::to_string(active_role)));
    }
    if (t.has("thickness_um")) {
      layer.thickness_m = t.number("thickness_um", thickness_um_range) * units::um;
    } else if (t.has("areal_mass_loading_mg_per_cm2")) {
      double loading = t.number("areal_mass_loading_mg_per_cm2", Range::positive(500.0));
      if (solid_density_kg_per_m3(layer, cell) <= 0.0) {
        t.fail("areal_mass_loading_mg_per_cm2", io::format_number(loading),
               "every material of the layer needs density_kg_per_m3 for a mass loading");
      }
      layer.thickness_m = thickness_for_mass_loading(layer, cell, loading * 1e-2);  // mg/cm2 -> kg/m2
    } else if (t.has("areal_capacity_mAh_per_cm2")) {
      double q = t.number("areal_capacity_mAh_per_cm2", Range::positive(50.0)) * units::mAh_per_cm2;
      layer.thickness_m = thickness_for_capacity(layer, cell, q);
    } else {
      double np = t.number("np_ratio", Range{0.5, 5.0});
      // N/P compares full usable capacities: the anode's material window against the cathode's window.
      const auto& cap = *active.capacity;
      CompositeLayer probe = layer;
      probe.stoichiometry_at_0_soc = cap.stoichiometry_min;
      probe.stoichiometry_at_100_soc = cap.stoichiometry_max;
      layer.thickness_m = thickness_for_capacity(probe, cell, np * positive_capacity_C_per_m2);
    }
  }

  void read_stoichiometry(const TomlTable& t, CompositeLayer& layer, bool positive) {
    const auto& cap = *cell.material(layer.active_material).capacity;
    // Defaults: a positive is lithiated (x_max) when discharged; a negative is delithiated (x_min).
    double def0 = positive ? cap.stoichiometry_max : cap.stoichiometry_min;
    double def100 = positive ? cap.stoichiometry_min : cap.stoichiometry_max;
    layer.stoichiometry_at_0_soc = t.optional_number("stoichiometry_at_0_soc", Range::unit_interval()).value_or(def0);
    layer.stoichiometry_at_100_soc =
        t.optional_number("stoichiometry_at_100_soc", Range::unit_interval()).value_or(def100);
    bool ordered = positive ? layer.stoichiometry_at_0_soc > layer.stoichiometry_at_100_soc
                            : layer.stoichiometry_at_100_soc > layer.stoichiometry_at_0_soc;
    if (!ordered) {
      t.fail("stoichiometry_at_100_soc", io::format_number(layer.stoichiometry_at_100_soc),
             fmt::format("the {} electrode must {} lithium on charge (stoichiometry_at_0_soc = {})",
                         positive ? "positive" : "negative", positive ? "give up" : "take up",
                         io::format_number(layer.stoichiometry_at_0_soc)));
    }
  }

  // Model parameters of a porous electrode; all optional for design figures.
  void read_electrochemistry(const TomlTable& t, CompositeLayer& layer) {
    if (auto r = t.optional_number("particle_radius_um", Range::positive(1000.0))) layer.particle_radius_m = *r * units::um;
    layer.bruggeman_exponent = t.optional_number("bruggeman_exponent", Range{0.0, 5.0}).value_or(1.5);
    layer.electrode_bruggeman_exponent = t.optional_number("electrode_bruggeman_exponent", Range{0.0, 5.0}).value_or(0.0);
    layer.interface_resistance_ohm_m2 =
        t.optional_number("interface_resistance_ohm_cm2", Range::non_negative(1e4)).value_or(0.0) * 1e-4;
    layer.exchange_current_density_A_per_m2 = t.optional_number("exchange_current_density_A_per_m2", Range::positive(1e5));
  }

  void read_positive(const TomlTable& t) {
    CompositeLayer& p = cell.positive;
    p.active_material = t.string("active_material");
    use(t, "active_material", p.active_material, {Role::positive_active});
    p.solids = read_solids(t, {Role::positive_active, Role::solid_electrolyte, Role::conductive_additive, Role::binder});
    require_listed(t, p);
    p.porosity = t.number("porosity", porosity_range);
    read_stoichiometry(t, p, true);
    read_loading(t, p, Role::positive_active, 0.0, false);
    read_electrochemistry(t, p);
    p.active_material_loss = read_active_material_loss(t);
    p.source = t.string("source");
    t.reject_unknown_keys();
  }

  // [positive.active_material_loss], [negative.active_material_loss]: swelling stress and LAM (docs/ageing.md).
  std::optional<ActiveMaterialLossProperties> read_active_material_loss(const TomlTable& electrode) {
    auto table = electrode.optional_table("active_material_loss");
    if (!table) return std::nullopt;
    const TomlTable& t = *table;
    if (cell.chemistry != "liquid") t.fail("", "", "an active material loss table needs a liquid cell");
    ActiveMaterialLossProperties a;
    a.line = t.where_table().line;
    a.youngs_modulus_Pa = t.number("youngs_modulus_GPa", Range::positive(2000.0)) * 1e9;
    a.poissons_ratio = t.number("poissons_ratio", Range{0.0, 0.5, false, true});
    a.partial_molar_volume_m3_per_mol = t.number("partial_molar_volume_m3_per_mol", Range::non_negative(1e-3));
    a.critical_stress_Pa = t.number("critical_stress_MPa", Range::positive(1e5)) * 1e6;
    a.proportional_rate_per_s = t.number("proportional_rate_per_s", Range::non_negative(1.0));
    a.exponent = t.optional_number("exponent", Range::positive(10.0)).value_or(2.0);
    a.reaction_factor_m3_per_mol = t.optional_number("reaction_factor_m3_per_mol", Range::non_negative(1.0)).value_or(0.0);
    a.source = t.string("source");
    t.reject_unknown_keys();
    return a;
  }

  void require_listed(const TomlTable& t, const CompositeLayer& layer) {
    for (const auto& s : layer.solids)
      if (s.material == layer.active_material) return;
    t.fail(t.has("mass_fractions") ? "mass_fractions" : "volume_fractions", "",
           fmt::format("must include the active material \"{}\"", layer.active_material));
  }

  void read_separator(const TomlTable& t) {
    auto kind = t.choice("kind", {"solid_electrolyte", "porous_film"});
    Separator& s = cell.separator;
    s.kind = kind == "porous_film" ? SeparatorKind::porous_film : SeparatorKind::solid_electrolyte;
    if (s.kind == SeparatorKind::solid_electrolyte) {
      s.layer.solids = read_solids(t, {Role::solid_electrolyte, Role::binder});
    } else {
      s.layer.solids = read_solids(t, {Role::separator_film, Role::binder});
    }
    bool has_main = std::any_of(s.layer.solids.begin(), s.layer.solids.end(), [&](const SolidComponent& c) {
      auto role = cell.material(c.material).role;
      return role == (s.kind == SeparatorKind::solid_electrolyte ? Role::solid_electrolyte : Role::separator_film);
    });
    if (!has_main) {
      t.fail(t.has("mass_fractions") ? "mass_fractions" : "volume_fractions", "",
             s.kind == SeparatorKind::solid_electrolyte ? "a solid_electrolyte separator needs a solid_electrolyte material"
                                                        : "a porous_film separator needs a separator_film material");
    }
    s.layer.thickness_m = t.number("thickness_um", thickness_um_range) * units::um;
    s.layer.porosity = t.number("porosity", porosity_range);
    s.layer.bruggeman_exponent = t.optional_number("bruggeman_exponent", Range{0.0, 5.0}).value_or(1.5);
    s.layer.source = t.string("source");
    t.reject_unknown_keys();
  }

  void read_negative(const TomlTable& t) {
    auto kind = t.choice("kind", {"lithium_metal", "anode_free", "composite"});
    Negative& n = cell.negative;
    if (kind == "lithium_metal") {
      n.kind = NegativeKind::lithium_metal;
      n.lithium_foil_thickness_m = t.number("lithium_thickness_um", thickness_um_range) * units::um;
    } else if (kind == "anode_free") {
      n.kind = NegativeKind::anode_free;
    } else {
      n.kind = NegativeKind::composite;
      CompositeLayer layer;
      layer.active_material = t.string("active_material");
      use(t, "active_material", layer.active_material, {Role::negative_active});
      layer.solids =
          read_solids(t, {Role::negative_active, Role::solid_electrolyte, Role::conductive_additive, Role::binder});
      require_listed(t, layer);
      layer.porosity = t.number("porosity", porosity_range);
      read_electrochemistry(t, layer);
      layer.active_material_loss = read_active_material_loss(t);
      n.composite = layer;
    }
    if (n.kind != NegativeKind::composite) {
      n.lithium_material = t.optional_string("lithium_material").value_or("lithium");
      use(t, "lithium_material", n.lithium_material, {Role::lithium_metal});
      n.lithium_exchange_current_density_A_per_m2 =
          t.optional_number("lithium_exchange_current_density_A_per_m2", Range::positive(1e5));
      n.lithium_interface_resistance_ohm_m2 =
          t.optional_number("lithium_interface_resistance_ohm_cm2", Range::non_negative(1e4)).value_or(0.0) * 1e-4;
    }
    n.first_cycle_loss_fraction = t.optional_number("first_cycle_loss_fraction", Range{0.0, 0.5}).value_or(0.0);
    if (auto sei = t.optional_table("sei")) {
      if (n.kind != NegativeKind::composite || cell.chemistry != "liquid")
        sei->fail("", "", "an SEI table needs a liquid cell with a composite (porous) negative");
      n.sei = read_sei(*sei);
    }
    if (auto plating = t.optional_table("plating")) {
      if (n.kind != NegativeKind::composite || cell.chemistry != "liquid")
        plating->fail("", "", "a plating table needs a liquid cell with a composite (porous) negative");
      n.plating = read_plating(*plating);
    }
    n.source = t.string("source");
    // The composite loading may depend on the positive (N/P), so it is finished in finish_negative.
    pending_negative_ = &t;
  }

  // [negative.sei]: the interphase's growth parameters (docs/ageing.md).
  SeiProperties read_sei(const TomlTable& t) {
    SeiProperties s;
    s.line = t.where_table().line;
    s.initial_thickness_m = t.number("initial_thickness_nm", Range::positive(1e4)) * 1e-9;
    s.partial_molar_volume_m3_per_mol = t.number("partial_molar_volume_m3_per_mol", Range::positive(1e-2));
    s.exchange_current_density_A_per_m2 = t.number("exchange_current_density_A_per_m2", Range::non_negative(1.0));
    s.resistivity_ohm_m = t.number("resistivity_ohm_m", Range::non_negative(1e9));
    s.solvent_diffusivity_m2_per_s = t.number("solvent_diffusivity_m2_per_s", Range::non_negative(1e-10));
    s.bulk_solvent_concentration_mol_per_m3 = t.number("bulk_solvent_concentration_mol_per_m3", Range::non_negative(1e5));
    s.open_circuit_potential_V = t.number("open_circuit_potential_V", Range{-1.0, 3.0});
    s.activation_energy_J_per_mol = t.optional_number("activation_energy_J_per_mol", Range::non_negative(5e5)).value_or(0.0);
    s.transfer_coefficient = t.optional_number("transfer_coefficient", Range{0.0, 1.0, true, true}).value_or(0.5);
    s.lithium_per_sei = t.optional_number("lithium_per_sei", Range::positive(10.0)).value_or(2.0);
    s.source = t.string("source");
    t.reject_unknown_keys();
    return s;
  }

  // [negative.plating]: lithium plating and stripping on the negative's particles (docs/ageing.md).
  PlatingProperties read_plating(const TomlTable& t) {
    PlatingProperties p;
    p.line = t.where_table().line;
    p.kinetic_rate_constant_m_per_s = t.number("kinetic_rate_constant_m_per_s", Range::positive(1e-3));
    p.transfer_coefficient = t.optional_number("transfer_coefficient", Range{0.0, 1.0, true, true}).value_or(0.65);
    p.lithium_partial_molar_volume_m3_per_mol =
        t.optional_number("lithium_partial_molar_volume_m3_per_mol", Range::positive(1e-3)).value_or(1.3e-5);
    p.initial_concentration_mol_per_m3 = t.optional_number("initial_concentration_mol_per_m3", Range::non_negative(1e5)).value_or(0.0);
    p.dead_lithium_decay_constant_per_s = t.optional_number("dead_lithium_decay_constant_per_s", Range::non_negative(1.0)).value_or(0.0);
    p.activation_energy_J_per_mol = t.optional_number("activation_energy_J_per_mol", Range::non_negative(5e5)).value_or(0.0);
    p.source = t.string("source");
    t.reject_unknown_keys();
    return p;
  }

  void finish_negative() {
    Negative& n = cell.negative;
    const TomlTable& t = *pending_negative_;
    if (n.kind == NegativeKind::composite) {
      CompositeLayer& layer = *n.composite;
      double q_pos = layer_capacity_C_per_m2(cell.positive, cell);
      bool explicit_window = t.has("stoichiometry_at_0_soc") || t.has("stoichiometry_at_100_soc");
      read_stoichiometry(t, layer, false);
      read_loading(t, layer, Role::negative_active, q_pos, true);
      if (!explicit_window) {
        // A fresh cell takes all its cyclable lithium from the cathode: on full charge the anode holds
        // the positive's window worth of lithium above its empty stoichiometry, or is full if smaller.
        const auto& cap = *cell.material(layer.active_material).capacity;
        double per_sto = layer_charge_per_stoichiometry_C_per_m2(layer, cell);
        double cyclable = q_pos * (1.0 - n.first_cycle_loss_fraction);
        layer.stoichiometry_at_100_soc = std::min(cap.stoichiometry_max, layer.stoichiometry_at_0_soc + cyclable / per_sto);
      }
      layer.source = n.source;
    }
    t.reject_unknown_keys();
  }

  void read_collectors(const TomlTable& t) {
    auto& c = cell.collectors;
    c.positive_material = t.optional_string("positive_material").value_or("aluminium");
    use(t, "positive_material", c.positive_material, {Role::current_collector});
    c.positive_thickness_m = t.number("positive_thickness_um", Range::positive(500.0)) * units::um;
    c.negative_material = t.optional_string("negative_material").value_or("copper");
    use(t, "negative_material", c.negative_material, {Role::current_collector});
    c.negative_thickness_m = t.number("negative_thickness_um", Range::positive(500.0)) * units::um;
    c.source = t.string("source");
    t.reject_unknown_keys();
  }

  void read_electrolyte(const TomlTable& t) {
    LiquidElectrolyte e;
    e.material = t.string("material");
    use(t, "material", e.material, {Role::liquid_electrolyte});
    e.pore_fill_factor = t.number("pore_fill_factor", Range{1.0, 3.0});
    e.initial_concentration_mol_per_m3 =
        t.optional_number("initial_concentration_mol_per_m3", Range::positive(10000.0)).value_or(1000.0);
    e.source = t.string("source");
    t.reject_unknown_keys();
    cell.electrolyte = e;
  }

  void read_pouch(const TomlTable& t) {
    PouchFormat f;
    f.electrode_length_m = t.number("electrode_length_mm", length_mm_range) * units::mm;
    f.electrode_width_m = t.number("electrode_width_mm", length_mm_range) * units::mm;
    f.unit_cells = static_cast<int>(t.integer("unit_cells", 1, 1000));
    f.separator_overhang_m = t.number("separator_overhang_mm", overhang_mm_range) * units::mm;
    f.negative_overhang_m = t.number("negative_overhang_mm", overhang_mm_range) * units::mm;
    f.laminate_material = t.optional_string("laminate_material").value_or("pouch_laminate");
    use(t, "laminate_material", f.laminate_material, {Role::packaging});
    f.laminate_thickness_m = t.number("laminate_thickness_um", Range::positive(1000.0)) * units::um;
    f.side_seal_width_m = t.number("side_seal_width_mm", overhang_mm_range) * units::mm;
    f.end_seal_width_m = t.number("end_seal_width_mm", overhang_mm_range) * units::mm;
    f.tab_mass_kg = t.number("tab_mass_g", mass_g_range) * units::g;
    f.other_mass_kg = t.number("other_mass_g", mass_g_range) * units::g;
    f.source = t.string("source");
    f.line = t.where_table().line;
    t.reject_unknown_keys();
    cell.format = f;
  }

  void read_cylinder(const TomlTable& t) {
    CylindricalFormat f;
    f.outer_diameter_m = t.number("outer_diameter_mm", Range::positive(200.0)) * units::mm;
    f.height_m = t.number("height_mm", Range::positive(500.0)) * units::mm;
    f.can_material = t.optional_string("can_material").value_or("nickel_plated_steel");
    use(t, "can_material", f.can_material, {Role::packaging});
    f.can_wall_thickness_m = t.number("can_wall_thickness_mm", Range::positive(5.0)) * units::mm;
    f.can_bottom_thickness_m = t.number("can_bottom_thickness_mm", Range::positive(5.0)) * units::mm;
    f.headspace_m = t.number("headspace_mm", Range::non_negative(100.0)) * units::mm;
    f.mandrel_diameter_m = t.number("mandrel_diameter_mm", Range::non_negative(100.0)) * units::mm;
    f.electrode_length_m = t.number("electrode_length_mm", Range::positive(1.0e5)) * units::mm;
    f.cathode_height_m = t.number("cathode_height_mm", Range::positive(500.0)) * units::mm;
    f.negative_overhang_m = t.number("negative_overhang_mm", overhang_mm_range) * units::mm;
    f.separator_overhang_m = t.number("separator_overhang_mm", overhang_mm_range) * units::mm;
    f.cap_assembly_mass_kg = t.number("cap_assembly_mass_g", mass_g_range) * units::g;
    f.tab_mass_kg = t.number("tab_mass_g", mass_g_range) * units::g;
    f.other_mass_kg = t.number("other_mass_g", mass_g_range) * units::g;
    f.source = t.string("source");
    f.line = t.where_table().line;
    t.reject_unknown_keys();
    cell.format = f;
  }

  void read_lumped(const TomlTable& t) {
    LumpedFormat f;
    f.electrode_area_m2 = t.number("electrode_area_cm2", Range::positive(1.0e7)) * 1e-4;
    f.mass_kg = t.number("mass_g", Range::positive(1.0e6)) * units::g;
    f.volume_m3 = t.number("volume_cm3", Range::positive(1.0e6)) * 1e-6;
    f.source = t.string("source");
    f.line = t.where_table().line;
    t.reject_unknown_keys();
    cell.format = f;
  }

  const TomlTable* pending_negative_ = nullptr;
};

}  // namespace

namespace {

// [degradation] and its sub-tables (docs/ageing.md). A value may carry "<key>_range = [low, high]", its
// uncertainty; the value must lie in it.
SolidStateDegradation read_degradation(const TomlTable& d, NegativeKind negative) {
  SolidStateDegradation g;
  g.line = d.where_table().line;
  auto value = [&g](const TomlTable& t, const std::string& key, const Range& range) {
    const double v = t.number(key, range);
    const std::string range_key = key + "_range";
    if (t.has(range_key)) {
      auto r = t.number_array(range_key, range);
      if (r.size() != 2 || !(r[0] <= r[1])) t.fail(range_key, "", "give [low, high] with low <= high, within " + range.describe());
      if (v < r[0] || v > r[1]) t.fail(key, io::format_number(v), fmt::format("outside its own uncertainty range [{}, {}] ({})", r[0], r[1], range_key));
      g.ranges[t.path().substr(t.path().find('.') + 1) + "." + key] = {r[0], r[1]};
    }
    return v;
  };
  const Range pressure_MPa = Range::positive(500.0);
  g.stack_pressure_Pa = value(d, "stack_pressure_MPa", pressure_MPa) * 1e6;
  g.source = d.string("source");

  const TomlTable cei = d.table("cei");
  g.cei_initial_thickness_m = value(cei, "initial_thickness_nm", Range::positive(1e3)) * 1e-9;
  g.cei_rate_constant_m2_per_s = value(cei, "rate_constant_m2_per_s", Range::non_negative(1e-12));
  g.cei_activation_energy_J_per_mol = value(cei, "activation_energy_J_per_mol", Range::non_negative(3e5));
  g.cei_onset_potential_V = value(cei, "onset_potential_V", Range{1.5, 5.0});
  g.cei_potential_factor = value(cei, "potential_factor", Range::non_negative(2.0));
  g.cei_resistivity_ohm_m = value(cei, "resistivity_ohm_m", Range::non_negative(1e10));
  g.cei_lithium_mol_per_m3 = value(cei, "lithium_mol_per_m3", Range::non_negative(1e5));
  g.cei_source = cei.string("source");
  cei.reject_unknown_keys();

  const TomlTable contact = d.table("contact");
  g.cam_volume_change = value(contact, "cam_volume_change", Range{0.0, 0.3});
  g.cam_shrink_onset_stoichiometry = value(contact, "shrink_onset_stoichiometry", Range::unit_interval());
  g.cam_shrink_end_stoichiometry = value(contact, "shrink_end_stoichiometry", Range::unit_interval());
  if (!(g.cam_shrink_end_stoichiometry < g.cam_shrink_onset_stoichiometry))
    contact.fail("shrink_end_stoichiometry", io::format_number(g.cam_shrink_end_stoichiometry),
                 fmt::format("must lie below shrink_onset_stoichiometry ({})", g.cam_shrink_onset_stoichiometry));
  g.contact_critical_strain = value(contact, "critical_strain", Range{0.0, 0.3});
  g.contact_loss_per_strain = value(contact, "loss_per_strain", Range::non_negative(100.0));
  g.contact_pressure_exponent = value(contact, "pressure_exponent", Range{0.0, 3.0});
  g.contact_reference_pressure_Pa = value(contact, "reference_pressure_MPa", pressure_MPa) * 1e6;
  g.contact_source = contact.string("source");
  contact.reject_unknown_keys();

  const TomlTable lithium = d.table("lithium");
  g.coulombic_efficiency = value(lithium, "coulombic_efficiency", Range{0.9, 1.0});
  g.lithium_source = lithium.string("source");
  lithium.reject_unknown_keys();

  // Voids and shorts belong to a planar lithium negative; an alloy or composite negative has neither table.
  const bool planar = negative != NegativeKind::composite;
  if (auto v = d.optional_table("voids")) {
    if (!planar) v->fail("", "", "voids need a lithium-metal or anode-free negative");
    g.void_critical_current_A_per_m2 = value(*v, "critical_stripping_current_mA_per_cm2", Range::positive(100.0)) * 10.0;
    g.void_reference_pressure_Pa = value(*v, "reference_pressure_MPa", pressure_MPa) * 1e6;
    g.void_pressure_exponent = value(*v, "pressure_exponent", Range{0.0, 4.0});
    g.void_loss_per_charge_m2_per_C = value(*v, "loss_per_mAh_per_cm2", Range::non_negative(10.0)) / 36000.0;  // 1 mAh/cm2 = 36 000 C/m2
    g.void_source = v->string("source");
    v->reject_unknown_keys();
  }
  if (auto sh = d.optional_table("short")) {
    if (!planar) sh->fail("", "", "a plating short needs a lithium-metal or anode-free negative");
    g.ccd_A_per_m2 = value(*sh, "critical_current_density_mA_per_cm2", Range::positive(100.0)) * 10.0;
    g.ccd_reference_pressure_Pa = value(*sh, "reference_pressure_MPa", pressure_MPa) * 1e6;
    g.ccd_pressure_exponent = value(*sh, "pressure_exponent", Range{0.0, 4.0});
    g.ccd_activation_energy_J_per_mol = value(*sh, "activation_energy_J_per_mol", Range::non_negative(3e5));
    g.short_source = sh->string("source");
    sh->reject_unknown_keys();
  }
  d.reject_unknown_keys();
  return g;
}

}  // namespace

Cell read_cell_toml(const toml::table& doc, const std::string& file, const materials::MaterialLibrary& library) {
  Cell cell;
  Reader r{file, library, {}, cell};
  TomlTable root(doc, file, "");

  if (auto mats = root.optional_table("materials")) {
    for (const auto& key : mats->keys()) r.local.add(materials::read_material(mats->table(key), key));
  }

  auto c = root.table("cell");
  cell.name = c.string("name");
  cell.chemistry = c.choice("chemistry", {"solid-state", "liquid"});
  auto format = c.choice("format", {"pouch", "cylindrical", "lumped"});
  cell.description = c.optional_string("description").value_or("");
  cell.voltage_min_V = c.number("voltage_min_V", Range{0.5, 6.0});
  cell.voltage_max_V = c.number("voltage_max_V", Range{0.5, 6.0});
  if (cell.voltage_max_V <= cell.voltage_min_V) {
    c.fail("voltage_max_V", io::format_number(cell.voltage_max_V),
           fmt::format("must exceed voltage_min_V = {}", io::format_number(cell.voltage_min_V)));
  }
  cell.nominal_capacity_Ah = c.optional_number("nominal_capacity_Ah", Range::positive(1e5));
  cell.source = c.string("source");
  c.reject_unknown_keys();

  auto positive = root.table("positive");
  auto separator = root.table("separator");
  auto negative = root.table("negative");
  r.read_positive(positive);
  r.read_separator(separator);
  r.read_negative(negative);
  r.finish_negative();
  if (format != "lumped" || root.has("current_collectors")) {
    r.read_collectors(root.table("current_collectors"));
  } else {
    // A lumped cell without collector data counts its foils in the housing-and-rest share.
    root.accept("current_collectors");
    cell.collectors.positive_thickness_m = 0.0;
    cell.collectors.negative_thickness_m = 0.0;
  }

  bool liquid = cell.chemistry == "liquid";
  bool needs_liquid = liquid || cell.separator.kind == SeparatorKind::porous_film;
  if (auto e = root.optional_table("electrolyte")) {
    r.read_electrolyte(*e);
  } else if (needs_liquid) {
    root.fail("electrolyte", "", "a liquid cell (or a porous_film separator) needs an [electrolyte] table");
  }
  if (!liquid && cell.separator.kind == SeparatorKind::porous_film) {
    separator.fail("kind", "\"porous_film\"", "a solid-state cell needs a solid_electrolyte separator");
  }

  if (format == "pouch") {
    r.read_pouch(root.table("pouch"));
  } else if (format == "cylindrical") {
    r.read_cylinder(root.table("cylinder"));
  } else {
    r.read_lumped(root.table("lumped"));
  }
  if (auto th = root.optional_table("thermal")) {
    ThermalProperties t;
    t.specific_heat_J_per_kg_K = th->number("specific_heat_J_per_kg_K", Range{100.0, 5000.0});
    t.heat_transfer_coefficient_W_per_m2_K = th->number("heat_transfer_coefficient_W_per_m2_K", Range::non_negative(1e5));
    if (auto a = th->optional_number("cooling_area_cm2", Range::positive(1e7))) t.cooling_area_m2 = *a * 1e-4;
    if (format == "lumped" && !t.cooling_area_m2) th->fail("cooling_area_cm2", "", "required for a lumped cell (its outer surface is unknown)");
    t.source = th->string("source");
    th->reject_unknown_keys();
    cell.thermal = t;
  }
  if (auto d = root.optional_table("degradation")) {
    if (liquid) d->fail("", "", "the [degradation] table holds solid-state fade; a liquid cell ages through [negative.sei]");
    cell.degradation = read_degradation(*d, cell.negative.kind);
  }
  root.reject_unknown_keys();
  return cell;
}

Cell read_cell_file(const std::filesystem::path& path, const materials::MaterialLibrary& library) {
  if (path.extension() == ".json") return import_bpx_file(path, library);
  auto doc = io::load_toml_file(path.string());
  return read_cell_toml(doc, path.string(), library);
}

std::vector<std::string> builtin_cell_names() {
  std::vector<std::string> names;
  auto dir = builtin_data_dir() / "cells";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::filesystem::path builtin_cell_path(const std::string& name) { return builtin_data_dir() / "cells" / (name + ".toml"); }

Cell load_cell(const std::string& name_or_path, const materials::MaterialLibrary& library) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(name_or_path, ec)) return read_cell_file(name_or_path, library);
  auto builtin = builtin_cell_path(name_or_path);
  bool plain_name = name_or_path.find('/') == std::string::npos && name_or_path.find('.') == std::string::npos;
  if (plain_name && std::filesystem::is_regular_file(builtin, ec)) return read_cell_file(builtin, library);
  std::string names;
  for (const auto& n : builtin_cell_names()) names += (names.empty() ? "" : ", ") + n;
  throw InputError(InputLocation{name_or_path, 0, ""}, "",
                   "no such file, and not a built-in cell (built-ins: " + names + ")");
}

Cell load_cell(const std::string& name_or_path) { return load_cell(name_or_path, materials::MaterialLibrary::builtin()); }

}  // namespace solidcell::cell
