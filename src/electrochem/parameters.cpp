#include "solidcell/electrochem/parameters.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/cell/electrode_loading.hpp"

namespace solidcell::electrochem {
namespace {

using materials::Role;

[[noreturn]] void missing(const std::string& file, const std::string& field, const std::string& why) {
  throw InputError(InputLocation{file, 0, field}, "", why);
}

// Volume fraction of the layer taken by solid electrolyte (the ion path of a solid-state composite).
double solid_electrolyte_fraction(const cell::CompositeLayer& layer, const cell::Cell& c, double* conductivity, double* activation) {
  double fraction = 0.0;
  for (const auto& s : layer.solids) {
    const auto& m = c.material(s.material);
    if (m.role != Role::solid_electrolyte) continue;
    fraction += (1.0 - layer.porosity) * s.volume_fraction;
    if (m.transport.ionic_conductivity_S_per_m) {
      *conductivity = *m.transport.ionic_conductivity_S_per_m;
      *activation = m.transport.conductivity_activation_energy_J_per_mol.value_or(0.0);
    }
  }
  return fraction;
}

ElectrodeParameters electrode(const cell::CompositeLayer& layer, const cell::Cell& c, bool solid_state, const std::string& file,
                              const std::string& table) {
  ElectrodeParameters p;
  const auto& m = c.material(layer.active_material);
  p.thickness_m = layer.thickness_m;
  p.porosity = layer.porosity;
  p.active_fraction = cell::active_volume_fraction(layer);
  if (!layer.particle_radius_m) missing(file, table + ".particle_radius_um", "required by the electrochemical models");
  p.particle_radius_m = *layer.particle_radius_m;
  p.surface_area_per_volume = 3.0 * p.active_fraction / p.particle_radius_m;
  p.max_concentration = m.capacity->maximum_concentration_mol_per_m3;
  p.stoichiometry_at_0_soc = layer.stoichiometry_at_0_soc;
  p.stoichiometry_at_100_soc = layer.stoichiometry_at_100_soc;
  p.open_circuit_potential = m.open_circuit_potential_V;
  p.entropic_coefficient = m.entropic_coefficient_V_per_K;
  p.ocp_valid_from = m.ocp_valid_from;
  p.ocp_valid_to = m.ocp_valid_to;
  if (!m.transport.diffusivity_m2_per_s)
    missing(file, "materials." + m.name + ".transport.diffusivity_m2_per_s", "required by the electrochemical models");
  p.diffusivity = *m.transport.diffusivity_m2_per_s;
  p.diffusivity_activation_energy = m.transport.diffusivity_activation_energy_J_per_mol.value_or(0.0);
  if (layer.exchange_current_density_A_per_m2) {
    p.exchange_current_reference = *layer.exchange_current_density_A_per_m2;
  } else if (m.kinetics.exchange_current_density_A_per_m2) {
    p.exchange_current_reference = *m.kinetics.exchange_current_density_A_per_m2;
  } else {
    missing(file, table + ".exchange_current_density_A_per_m2",
            "required by the electrochemical models (here or in the material's [kinetics])");
  }
  p.exchange_current_activation_energy = m.kinetics.activation_energy_J_per_mol;
  if (!m.transport.electronic_conductivity_S_per_m)
    missing(file, "materials." + m.name + ".transport.electronic_conductivity_S_per_m", "required by the electrochemical models");
  p.conductivity = *m.transport.electronic_conductivity_S_per_m;
  p.bruggeman = layer.bruggeman_exponent;
  p.electrode_bruggeman = layer.electrode_bruggeman_exponent;
  p.interface_resistance = layer.interface_resistance_ohm_m2;
  if (layer.active_material_loss) {
    const auto& in = *layer.active_material_loss;
    ActiveMaterialLossParameters a;
    a.youngs_modulus = in.youngs_modulus_Pa;
    a.poissons_ratio = in.poissons_ratio;
    a.partial_molar_volume = in.partial_molar_volume_m3_per_mol;
    a.critical_stress = in.critical_stress_Pa;
    a.proportional_rate = in.proportional_rate_per_s;
    a.exponent = in.exponent;
    a.reaction_factor = in.reaction_factor_m3_per_mol;
    p.active_material_loss = a;
  }
  if (solid_state) {
    p.electrolyte_fraction = solid_electrolyte_fraction(layer, c, &p.ionic_conductivity, &p.ionic_conductivity_activation_energy);
    if (p.electrolyte_fraction <= 0.0 || p.ionic_conductivity <= 0.0)
      missing(file, table + ".mass_fractions", "a solid-state electrode needs a solid electrolyte with transport.ionic_conductivity_S_per_m");
  } else {
    p.electrolyte_fraction = layer.porosity;
  }
  return p;
}

// Tabulates an expression over the range the models evaluate it on, so that the solver's hot path does not run
// muparser (see StoichiometryFunction::tabulate). An expression singular at an end (log(x) at 0) has no finite
// node there: retry just inside the ends; the expression still answers outside the table.
void tabulate_for_models(materials::StoichiometryFunction& f, double lo, double hi) {
  if (f.kind() != materials::StoichiometryFunction::Kind::expression || f.tabulate(lo, hi)) return;
  const double inset = 1e-6 * (hi - lo);
  f.tabulate(lo + inset, hi - inset);
}

void tabulate_for_models(ElectrodeParameters& e) {
  tabulate_for_models(e.open_circuit_potential, e.ocp_valid_from, e.ocp_valid_to);  // the OCP's walls
  if (e.entropic_coefficient) tabulate_for_models(*e.entropic_coefficient, 0.0, 1.0);
}

}  // namespace

double ElectrodeParameters::effective_conductivity() const { return conductivity * std::pow(1.0 - porosity, electrode_bruggeman); }

double arrhenius(double activation_energy, double temperature, double reference_temperature) {
  if (activation_energy == 0.0) return 1.0;
  return std::exp(activation_energy / constants::gas_constant_J_per_mol_K * (1.0 / reference_temperature - 1.0 / temperature));
}

const char* to_string(SeiGrowth growth) {
  switch (growth) {
    case SeiGrowth::none: return "none";
    case SeiGrowth::reaction_limited: return "reaction limited";
    case SeiGrowth::solvent_diffusion_limited: return "solvent-diffusion limited";
  }
  return "none";
}

const char* to_string(ActiveMaterialLoss loss) {
  switch (loss) {
    case ActiveMaterialLoss::none: return "none";
    case ActiveMaterialLoss::stress_driven: return "stress-driven";
    case ActiveMaterialLoss::reaction_driven: return "reaction-driven";
    case ActiveMaterialLoss::stress_and_reaction_driven: return "stress and reaction-driven";
  }
  return "none";
}

ActiveMaterialLoss parse_active_material_loss(const std::string& text) {
  for (ActiveMaterialLoss m : {ActiveMaterialLoss::none, ActiveMaterialLoss::stress_driven, ActiveMaterialLoss::reaction_driven,
                               ActiveMaterialLoss::stress_and_reaction_driven}) {
    std::string words = to_string(m), snake = words;
    for (char& ch : snake)
      if (ch == ' ' || ch == '-') ch = '_';
    if (text == words || text == snake) return m;
  }
  throw InputError(InputLocation{"", 0, "loss of active material"}, "\"" + text + "\"",
                   "must be one of \"none\", \"stress-driven\", \"reaction-driven\", \"stress and reaction-driven\" (or stress_driven, ...)");
}

const char* to_string(LithiumPlating plating) {
  switch (plating) {
    case LithiumPlating::none: return "none";
    case LithiumPlating::irreversible: return "irreversible";
    case LithiumPlating::reversible: return "reversible";
    case LithiumPlating::partially_reversible: return "partially reversible";
  }
  return "none";
}

LithiumPlating parse_lithium_plating(const std::string& text) {
  for (LithiumPlating m : {LithiumPlating::none, LithiumPlating::irreversible, LithiumPlating::reversible, LithiumPlating::partially_reversible}) {
    std::string words = to_string(m), snake = words, kebab = words;
    for (char& ch : snake)
      if (ch == ' ') ch = '_';
    for (char& ch : kebab)
      if (ch == ' ') ch = '-';
    if (text == words || text == snake || text == kebab) return m;
  }
  throw InputError(InputLocation{"", 0, "lithium plating"}, "\"" + text + "\"",
                   "must be one of \"none\", \"irreversible\", \"reversible\", \"partially reversible\" (or partially_reversible, partially-reversible)");
}

SeiGrowth parse_sei_growth(const std::string& text) {
  for (SeiGrowth g : {SeiGrowth::none, SeiGrowth::reaction_limited, SeiGrowth::solvent_diffusion_limited}) {
    std::string words = to_string(g), snake = words;
    for (char& ch : snake)
      if (ch == ' ' || ch == '-') ch = '_';
    if (text == words || text == snake) return g;
  }
  throw InputError(InputLocation{"", 0, "SEI"}, "\"" + text + "\"",
                   "must be one of \"none\", \"reaction limited\", \"solvent-diffusion limited\" (or reaction_limited, solvent_diffusion_limited)");
}

CellParameters model_parameters(const cell::Cell& c, const std::string& file) {
  CellParameters p;
  p.name = c.name;
  p.solid_state = c.chemistry == "solid-state";
  p.voltage_min_V = c.voltage_min_V;
  p.voltage_max_V = c.voltage_max_V;
  auto design = cell::compute_design(c, file);
  p.electrode_area_m2 = design.cathode_area_m2;
  p.nominal_capacity_Ah = c.nominal_capacity_Ah.value_or(design.capacity_Ah);
  p.positive = electrode(c.positive, c, p.solid_state, file, "positive");
  if (c.thermal) {
    ThermalParameters th;
    th.heat_capacity_J_per_K = design.mass_kg * c.thermal->specific_heat_J_per_kg_K;
    th.cooling_conductance_W_per_K = c.thermal->heat_transfer_coefficient_W_per_m2_K * c.thermal->cooling_area_m2.value_or(design.outer_surface_m2);
    p.thermal = th;
  }

  bool dense_foil = false;  // a solid-state composite negative without solid electrolyte: an alloy foil
  if (c.negative.kind == cell::NegativeKind::composite && p.solid_state) {
    double unused_conductivity = 0.0, unused_activation = 0.0;
    dense_foil = solid_electrolyte_fraction(*c.negative.composite, c, &unused_conductivity, &unused_activation) <= 0.0;
  }
  if (dense_foil) {
    // Li-In and similar foils: a planar interface at their plateau potential over a lithium reservoir
    // (shared notes assb-physics.md 1.6); the foil's own capacity counts in the design figures.
    const auto& layer = *c.negative.composite;
    const auto& m = c.material(layer.active_material);
    LithiumMetalParameters foil;
    if (layer.exchange_current_density_A_per_m2) {
      foil.exchange_current_density = *layer.exchange_current_density_A_per_m2;
    } else if (m.kinetics.exchange_current_density_A_per_m2) {
      foil.exchange_current_density = *m.kinetics.exchange_current_density_A_per_m2;
    } else {
      missing(file, "negative.exchange_current_density_A_per_m2", "required by the models for an alloy-foil negative");
    }
    foil.interface_resistance = layer.interface_resistance_ohm_m2;
    foil.open_circuit_potential = m.open_circuit_potential_V(0.5 * (layer.stoichiometry_at_0_soc + layer.stoichiometry_at_100_soc));
    p.lithium_metal = foil;
  } else if (c.negative.kind == cell::NegativeKind::composite) {
    p.negative = electrode(*c.negative.composite, c, p.solid_state, file, "negative");
  } else {
    LithiumMetalParameters li;
    if (!c.negative.lithium_exchange_current_density_A_per_m2)
      missing(file, "negative.lithium_exchange_current_density_A_per_m2", "required by the models for a lithium negative");
    li.exchange_current_density = *c.negative.lithium_exchange_current_density_A_per_m2;
    li.interface_resistance = c.negative.lithium_interface_resistance_ohm_m2;
    p.lithium_metal = li;
  }

  const auto& sep = c.separator.layer;
  p.separator.thickness_m = sep.thickness_m;
  p.separator.porosity = sep.porosity;
  p.separator.bruggeman = sep.bruggeman_exponent;
  if (p.solid_state) {
    p.separator.electrolyte_fraction =
        solid_electrolyte_fraction(sep, c, &p.separator.ionic_conductivity, &p.separator.ionic_conductivity_activation_energy);
    if (p.separator.ionic_conductivity <= 0.0)
      missing(file, "separator.mass_fractions", "the solid electrolyte needs transport.ionic_conductivity_S_per_m");
  } else {
    p.separator.electrolyte_fraction = sep.porosity;
    if (!c.electrolyte) missing(file, "electrolyte", "a liquid cell needs an [electrolyte] table");
    const auto& m = c.material(c.electrolyte->material);
    if (!m.electrolyte)
      missing(file, "materials." + m.name + ".electrolyte", "the liquid electrolyte needs its transport properties for the models");
    LiquidElectrolyteParameters e;
    e.initial_concentration = c.electrolyte->initial_concentration_mol_per_m3;
    e.transference_number = m.electrolyte->transference_number;
    e.thermodynamic_factor = m.electrolyte->thermodynamic_factor;
    e.diffusivity = m.electrolyte->diffusivity_m2_per_s;
    e.conductivity = m.electrolyte->conductivity_S_per_m;
    e.diffusivity_activation_energy = m.electrolyte->diffusivity_activation_energy_J_per_mol;
    e.conductivity_activation_energy = m.electrolyte->conductivity_activation_energy_J_per_mol;
    p.electrolyte = e;
  }

  if (c.negative.sei && p.negative) {
    const auto& in = *c.negative.sei;
    SeiParameters sei;
    sei.initial_thickness_m = in.initial_thickness_m;
    sei.partial_molar_volume = in.partial_molar_volume_m3_per_mol;
    sei.exchange_current_density = in.exchange_current_density_A_per_m2;
    sei.resistivity = in.resistivity_ohm_m;
    sei.solvent_diffusivity = in.solvent_diffusivity_m2_per_s;
    sei.bulk_solvent_concentration = in.bulk_solvent_concentration_mol_per_m3;
    sei.open_circuit_potential = in.open_circuit_potential_V;
    sei.activation_energy = in.activation_energy_J_per_mol;
    sei.transfer_coefficient = in.transfer_coefficient;
    sei.lithium_per_sei = in.lithium_per_sei;
    p.sei = sei;
  }

  if (c.negative.plating && p.negative) {
    const auto& in = *c.negative.plating;
    PlatingParameters pl;
    pl.kinetic_rate_constant = in.kinetic_rate_constant_m_per_s;
    pl.transfer_coefficient = in.transfer_coefficient;
    pl.lithium_partial_molar_volume = in.lithium_partial_molar_volume_m3_per_mol;
    pl.initial_concentration = in.initial_concentration_mol_per_m3;
    pl.dead_lithium_decay_constant = in.dead_lithium_decay_constant_per_s;
    pl.activation_energy = in.activation_energy_J_per_mol;
    p.plating = pl;
  }

  tabulate_for_models(p.positive);
  if (p.negative) tabulate_for_models(*p.negative);
  if (p.electrolyte) {
    // Functions of c_e: the models clamp it at 10 mol/m3 from below; well above any concentration reached.
    const double ce_max = std::max(4000.0, 4.0 * p.electrolyte->initial_concentration);
    tabulate_for_models(p.electrolyte->diffusivity, 10.0, ce_max);
    tabulate_for_models(p.electrolyte->conductivity, 10.0, ce_max);
  }
  return p;
}

}  // namespace solidcell::electrochem
