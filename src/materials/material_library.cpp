#include "solidcell/materials/material_library.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/data_paths.hpp"

namespace solidcell::materials {
namespace {

using io::Range;
using io::TomlTable;

// Ranges wide enough for every real battery material, narrow enough to catch unit mistakes
// (e.g. a density typed in g/cm3 instead of kg/m3).
const Range density_range{100.0, 25000.0};
const Range concentration_range = Range::positive(2.0e5);
const Range specific_capacity_range = Range::positive(4000.0);  // lithium metal: 3861 mAh/g
const Range potential_range{-0.5, 6.0};

ActiveCapacity read_capacity(const TomlTable& t, double density) {
  ActiveCapacity c;
  c.stoichiometry_min = t.number("stoichiometry_min", Range::unit_interval());
  c.stoichiometry_max = t.number("stoichiometry_max", Range::unit_interval());
  if (c.stoichiometry_max <= c.stoichiometry_min) {
    t.fail("stoichiometry_max", io::format_number(c.stoichiometry_max),
           fmt::format("must exceed stoichiometry_min = {}", io::format_number(c.stoichiometry_min)));
  }
  bool has_cmax = t.has("maximum_concentration_mol_per_m3");
  bool has_q = t.has("usable_specific_capacity_mAh_per_g");
  if (has_cmax == has_q) {
    t.fail(has_cmax ? "usable_specific_capacity_mAh_per_g" : "maximum_concentration_mol_per_m3", "",
           "give exactly one of maximum_concentration_mol_per_m3 and usable_specific_capacity_mAh_per_g");
  }
  if (has_cmax) {
    c.maximum_concentration_mol_per_m3 = t.number("maximum_concentration_mol_per_m3", concentration_range);
  } else {
    // The usable capacity is spread over the stoichiometry window: c_max = q rho / (F dx).
    double q = t.number("usable_specific_capacity_mAh_per_g", specific_capacity_range);
    double charge_per_m3 = q * units::mAh_per_g * density;
    c.maximum_concentration_mol_per_m3 =
        charge_per_m3 / constants::faraday_C_per_mol / (c.stoichiometry_max - c.stoichiometry_min);
  }
  c.source = t.string("source");
  t.reject_unknown_keys();
  return c;
}

StoichiometryFunction read_potential(const TomlTable& t) {
  int forms = int(t.has("expression_V")) + int(t.has("value_V")) + int(t.has("voltage_V"));
  if (forms != 1) {
    t.fail("expression_V", "", "give exactly one of expression_V (in x), value_V, or stoichiometry + voltage_V");
  }
  if (t.has("value_V")) return StoichiometryFunction::constant(t.number("value_V", potential_range));
  if (t.has("expression_V")) {
    auto text = t.string("expression_V");
    StoichiometryFunction f;
    try {
      f = StoichiometryFunction::expression(text);
    } catch (const std::invalid_argument& e) {
      t.fail("expression_V", "\"" + text + "\"", e.what());
    }
    for (double x : {0.05, 0.5, 0.95}) {
      double u = f(x);
      if (!potential_range.contains(u)) {
        t.fail("expression_V", "\"" + text + "\"",
               fmt::format("evaluates to {} V at x = {}; {}", io::format_number(u), x, potential_range.describe()));
      }
    }
    return f;
  }
  auto x = t.number_array("stoichiometry", Range::unit_interval());
  auto v = t.number_array("voltage_V", potential_range);
  try {
    return StoichiometryFunction::table(std::move(x), std::move(v));
  } catch (const std::invalid_argument& e) {
    t.fail("stoichiometry", "", e.what());
  }
}

// A property of the salt concentration: a number, or an expression in x = c_e [mol/m3], checked over
// 100-3000 mol/m3, the range a cell's electrolyte visits.
StoichiometryFunction read_concentration_function(const TomlTable& t, const std::string& key, const Range& range) {
  const auto* n = t.node(key);
  if (!n) t.fail(key, "", "required field is missing (a number or an expression in x = concentration in mol/m3)");
  StoichiometryFunction f;
  if (n->is_string()) {
    auto text = t.string(key);
    try {
      f = StoichiometryFunction::expression(text);
    } catch (const std::invalid_argument& e) {
      t.fail(key, "\"" + text + "\"", e.what());
    }
  } else {
    f = StoichiometryFunction::constant(t.number(key, range));
  }
  for (double c : {100.0, 1000.0, 3000.0}) {
    double v = f(c);
    if (!range.contains(v)) {
      t.fail(key, io::format_number(v) + " at x = " + io::format_number(c) + " mol/m3", range.describe());
    }
  }
  return f;
}

}  // namespace

Material read_material(const TomlTable& t, const std::string& name) {
  Material m;
  m.name = name;
  if (auto declared = t.optional_string("name"); declared && *declared != name) {
    t.fail("name", "\"" + *declared + "\"", fmt::format("must match the material's file or table name \"{}\"", name));
  }
  std::vector<std::string> roles;
  for (const char* r : {"positive_active", "negative_active", "lithium_metal", "solid_electrolyte", "liquid_electrolyte",
                        "conductive_additive", "binder", "separator_film", "current_collector", "packaging", "test_fixture"})
    roles.emplace_back(r);
  m.role = *role_from_string(t.choice("role", roles));
  m.density_kg_per_m3 = t.optional_number("density_kg_per_m3", density_range);
  if (!m.density_kg_per_m3 && (m.role == Role::lithium_metal ||
                                 (t.has("capacity") && t.table("capacity").has("usable_specific_capacity_mAh_per_g")))) {
    t.fail("density_kg_per_m3", "", "required: the capacity of this material is defined per mass");
  }
  m.source = t.string("source");
  m.description = t.optional_string("description").value_or("");

  if (m.is_active()) {
    m.capacity = read_capacity(t.table("capacity"), m.density_kg_per_m3.value_or(0.0));
    auto ocp = t.table("open_circuit_potential");
    m.open_circuit_potential_V = read_potential(ocp);
    m.ocp_valid_from = ocp.optional_number("valid_from_stoichiometry", Range::unit_interval()).value_or(0.0);
    m.ocp_valid_to = ocp.optional_number("valid_to_stoichiometry", Range::unit_interval()).value_or(1.0);
    if (m.ocp_valid_to <= m.ocp_valid_from)
      ocp.fail("valid_to_stoichiometry", io::format_number(m.ocp_valid_to), "must exceed valid_from_stoichiometry");
    if (const auto* n = ocp.node("entropic_coefficient_V_per_K")) {
      if (n->is_string()) {
        auto text = ocp.string("entropic_coefficient_V_per_K");
        try {
          m.entropic_coefficient_V_per_K = StoichiometryFunction::expression(text);
        } catch (const std::invalid_argument& e) {
          ocp.fail("entropic_coefficient_V_per_K", "\"" + text + "\"", e.what());
        }
      } else {
        m.entropic_coefficient_V_per_K = StoichiometryFunction::constant(ocp.number("entropic_coefficient_V_per_K", Range{-0.01, 0.01}));
      }
      for (double x : {0.05, 0.5, 0.95}) {
        double v = (*m.entropic_coefficient_V_per_K)(x);
        if (!(v > -0.01 && v < 0.01))
          ocp.fail("entropic_coefficient_V_per_K", fmt::format("{} V/K at x = {}", v, x), "allowed range (-0.01, 0.01) V/K");
      }
    }
    m.open_circuit_potential_source = ocp.string("source");
    ocp.reject_unknown_keys();
  } else if (m.role == Role::lithium_metal) {
    // Lithium is its own reference: U = 0, and every atom is cyclable (x from 0 to 1 of the metal).
    ActiveCapacity c;
    c.maximum_concentration_mol_per_m3 = *m.density_kg_per_m3 / constants::lithium_molar_mass_kg_per_mol;
    c.stoichiometry_min = 0.0;
    c.stoichiometry_max = 1.0;
    c.source = "molar mass of lithium (IUPAC) and the density above";
    m.capacity = c;
    m.open_circuit_potential_V = StoichiometryFunction::constant(0.0);
    m.open_circuit_potential_source = "lithium metal is the reference electrode";
  } else {
    for (const char* key : {"capacity", "open_circuit_potential"})
      if (t.has(key)) t.fail(key, "", fmt::format("only active materials have [{}] (role is {})", key, to_string(m.role)));
  }

  if (auto tr = t.optional_table("transport")) {
    m.transport.diffusivity_m2_per_s = tr->optional_number("diffusivity_m2_per_s", Range::positive(1e-6));
    m.transport.diffusivity_activation_energy_J_per_mol =
        tr->optional_number("diffusivity_activation_energy_J_per_mol", Range::non_negative(3e5));
    m.transport.electronic_conductivity_S_per_m =
        tr->optional_number("electronic_conductivity_S_per_m", Range::positive(1e9));
    m.transport.ionic_conductivity_S_per_m = tr->optional_number("ionic_conductivity_S_per_m", Range::positive(1e3));
    m.transport.conductivity_activation_energy_J_per_mol =
        tr->optional_number("conductivity_activation_energy_J_per_mol", Range::non_negative(3e5));
    m.transport.source = tr->string("source");
    tr->reject_unknown_keys();
  }
  if (auto k = t.optional_table("kinetics")) {
    if (!m.is_active()) t.fail("kinetics", "", fmt::format("only active materials have [kinetics] (role is {})", to_string(m.role)));
    m.kinetics.exchange_current_density_A_per_m2 = k->number("exchange_current_density_A_per_m2", Range::positive(1e5));
    m.kinetics.activation_energy_J_per_mol = k->optional_number("activation_energy_J_per_mol", Range::non_negative(3e5)).value_or(0.0);
    m.kinetics.source = k->string("source");
    k->reject_unknown_keys();
  }
  if (auto e = t.optional_table("electrolyte")) {
    if (m.role != Role::liquid_electrolyte) {
      t.fail("electrolyte", "", fmt::format("only liquid electrolytes have [electrolyte] (role is {})", to_string(m.role)));
    }
    ElectrolyteProperties p;
    p.transference_number = e->number("transference_number", Range{0.0, 1.0, false, true});
    p.diffusivity_m2_per_s = read_concentration_function(*e, "diffusivity_m2_per_s", Range::positive(1e-6));
    p.conductivity_S_per_m = read_concentration_function(*e, "conductivity_S_per_m", Range::positive(100.0));
    p.diffusivity_activation_energy_J_per_mol =
        e->optional_number("diffusivity_activation_energy_J_per_mol", Range::non_negative(3e5)).value_or(0.0);
    p.conductivity_activation_energy_J_per_mol =
        e->optional_number("conductivity_activation_energy_J_per_mol", Range::non_negative(3e5)).value_or(0.0);
    p.thermodynamic_factor = e->optional_number("thermodynamic_factor", Range::positive(20.0)).value_or(1.0);
    p.source = e->string("source");
    e->reject_unknown_keys();
    m.electrolyte = std::move(p);
  }
  if (auto th = t.optional_table("thermal")) {
    m.thermal.specific_heat_J_per_kg_K = th->optional_number("specific_heat_J_per_kg_K", Range::positive(2e4));
    m.thermal.thermal_conductivity_W_per_m_K =
        th->optional_number("thermal_conductivity_W_per_m_K", Range{0.01, 2500.0});  // aerogel to diamond: catches unit slips
    m.thermal.source = th->string("source");
    th->accept("uncertainty");
    th->reject_unknown_keys();
  }
  t.reject_unknown_keys();
  return m;
}

MaterialLibrary MaterialLibrary::load_directory(const std::filesystem::path& dir) {
  MaterialLibrary lib;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw InputError(InputLocation{dir.string(), 0, ""}, "", "materials folder not found");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto doc = io::load_toml_file(f.string());
    lib.add(read_material(TomlTable(doc, f.string(), ""), f.stem().string()));
  }
  return lib;
}

MaterialLibrary MaterialLibrary::builtin() { return load_directory(builtin_data_dir() / "materials"); }

void MaterialLibrary::add(Material material) {
  auto name = material.name;
  materials_.insert_or_assign(std::move(name), std::move(material));
}

const Material* MaterialLibrary::find(const std::string& name) const {
  auto it = materials_.find(name);
  return it == materials_.end() ? nullptr : &it->second;
}

std::vector<std::string> MaterialLibrary::names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : materials_) out.push_back(k);
  return out;
}

}  // namespace solidcell::materials
