#pragma once
// A cell design: the layer stack, the format that packages it, and the materials it is made of.
// Everything is in SI units; the readers convert the units written in the file's keys once, at load.
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "solidcell/materials/material.hpp"

namespace solidcell::cell {

// One solid ingredient of a composite layer, as a fraction of the layer's solid volume.
struct SolidComponent {
  std::string material;
  double volume_fraction = 0.0;  // of the solids (pores excluded); fractions of a layer sum to 1
};

// Loss of active material of a liquid cell's porous electrode (the [positive.active_material_loss] and
// [negative.active_material_loss] tables; docs/ageing.md): the particles' swelling stress (Ai et al. 2020) and the
// LAM laws of Reniers et al. 2019 and O'Kane et al. 2022. Which law applies is a model option.
struct ActiveMaterialLossProperties {
  double youngs_modulus_Pa = 0.0;
  double poissons_ratio = 0.0;
  double partial_molar_volume_m3_per_mol = 0.0;   // Omega: the particle's volume change per mole of lithium
  double critical_stress_Pa = 0.0;
  double proportional_rate_per_s = 0.0;           // beta: stress-driven LAM rate at the critical stress
  double exponent = 2.0;                          // m
  double reaction_factor_m3_per_mol = 0.0;        // beta_sei: reaction-driven LAM per mole of SEI reaction (negative)
  std::string source;
  int line = 0;
};

// A porous composite: cathode, composite anode, Li-In foil (porosity 0) or a separator.
struct CompositeLayer {
  std::vector<SolidComponent> solids;
  double thickness_m = 0.0;
  double porosity = 0.0;          // volume fraction of pores; liquid-filled in liquid cells, void in solid-state
  std::string active_material;    // empty for separators
  double stoichiometry_at_0_soc = 0.0;    // electrode stoichiometry when the cell is fully discharged
  double stoichiometry_at_100_soc = 0.0;  // ... and fully charged
  // Electrochemistry (electrodes only; optional for design figures, needed by the models).
  std::optional<double> particle_radius_m;
  double bruggeman_exponent = 1.5;             // ionic path: kappa_eff = kappa * phase_fraction^b
  double electrode_bruggeman_exponent = 0.0;   // electronic path; 0 means the conductivity given is effective
  double interface_resistance_ohm_m2 = 0.0;    // film at the active/electrolyte interface, per active area
  // Exchange current of this electrode's interface when it differs from the material's own (kinetics
  // belong to the active material and electrolyte pair: NCM against a sulfide is not NCM against LP57).
  std::optional<double> exchange_current_density_A_per_m2;
  std::optional<ActiveMaterialLossProperties> active_material_loss;  // liquid cells' porous electrodes only
  std::string source;
};

enum class NegativeKind { lithium_metal, anode_free, composite };

// The solid-electrolyte interphase on a liquid cell's composite negative: what its growth laws need (the
// [negative.sei] table; docs/ageing.md). Which law applies is a model option, not a property of the cell.
struct SeiProperties {
  double initial_thickness_m = 0.0;
  double partial_molar_volume_m3_per_mol = 0.0;
  double exchange_current_density_A_per_m2 = 0.0;  // reaction-limited growth
  double resistivity_ohm_m = 0.0;                   // film resistance = thickness x resistivity per active area
  double solvent_diffusivity_m2_per_s = 0.0;        // solvent-diffusion-limited growth
  double bulk_solvent_concentration_mol_per_m3 = 0.0;
  double open_circuit_potential_V = 0.0;
  double activation_energy_J_per_mol = 0.0;         // of every growth law
  double transfer_coefficient = 0.5;                // cathodic, reaction-limited growth
  double lithium_per_sei = 2.0;                     // mol Li bound per mol SEI
  std::string source;
  int line = 0;  // of the [negative.sei] table
};
// Lithium plating on a liquid cell's composite negative (the [negative.plating] table; docs/ageing.md): the
// plating/stripping kinetics of O'Kane et al. 2020, 2022. Which model applies is a model option.
struct PlatingProperties {
  double kinetic_rate_constant_m_per_s = 0.0;            // k_Li: j0_plating = F k c_e, j0_stripping = F k c_Li
  double transfer_coefficient = 0.65;                    // alpha_plating
  double lithium_partial_molar_volume_m3_per_mol = 1.3e-5;
  double initial_concentration_mol_per_m3 = 0.0;         // plated lithium per electrode volume at the start
  double dead_lithium_decay_constant_per_s = 0.0;        // gamma_0 (partially reversible plating)
  double activation_energy_J_per_mol = 0.0;              // of k_Li
  std::string source;
  int line = 0;  // of the [negative.plating] table
};
enum class SeparatorKind { solid_electrolyte, porous_film };

struct Negative {
  NegativeKind kind = NegativeKind::lithium_metal;
  double lithium_foil_thickness_m = 0.0;  // excess lithium per coated face (lithium_metal)
  // Share of the positive's capacity that the first charge binds for good in the negative's interphase
  // (SEI on graphite, plating losses); excess lithium metal pays it first.
  double first_cycle_loss_fraction = 0.0;
  std::string lithium_material = "lithium";
  // Planar lithium|electrolyte interface (lithium_metal, anode_free): Butler-Volmer plus a film.
  std::optional<double> lithium_exchange_current_density_A_per_m2;
  double lithium_interface_resistance_ohm_m2 = 0.0;
  std::optional<CompositeLayer> composite;  // composite kind only
  std::optional<SeiProperties> sei;         // [negative.sei]: liquid composite negatives only
  std::optional<PlatingProperties> plating; // [negative.plating]: liquid composite negatives only
  std::string source;
};

struct Separator {
  SeparatorKind kind = SeparatorKind::solid_electrolyte;
  CompositeLayer layer;
};

struct CurrentCollectors {
  std::string positive_material = "aluminium";
  double positive_thickness_m = 0.0;
  std::string negative_material = "copper";
  double negative_thickness_m = 0.0;
  std::string source;
};

// Liquid electrolyte filling every pore, with the excess a real cell carries (wetting, gas pocket).
struct LiquidElectrolyte {
  std::string material;
  double pore_fill_factor = 1.0;  // electrolyte volume / pore volume
  double initial_concentration_mol_per_m3 = 1000.0;
  std::string source;
};

struct PouchFormat {
  double electrode_length_m = 0.0;   // cathode coating, along the tab direction
  double electrode_width_m = 0.0;
  int unit_cells = 0;                // cathode coatings facing an anode (two per double-sided cathode)
  double separator_overhang_m = 0.0; // beyond the anode on each edge
  double negative_overhang_m = 0.0;  // anode beyond the cathode on each edge
  std::string laminate_material = "pouch_laminate";
  double laminate_thickness_m = 0.0;
  double side_seal_width_m = 0.0;
  double end_seal_width_m = 0.0;
  double tab_mass_kg = 0.0;
  double other_mass_kg = 0.0;        // tape, insulation
  std::string source;
  int line = 0;                      // of the [pouch] table, for consistency errors
};

struct CylindricalFormat {
  double outer_diameter_m = 0.0;
  double height_m = 0.0;
  std::string can_material = "nickel_plated_steel";
  double can_wall_thickness_m = 0.0;
  double can_bottom_thickness_m = 0.0;
  double headspace_m = 0.0;          // top cap, vent, gasket, tab bends: no jelly roll here
  double mandrel_diameter_m = 0.0;   // hollow core of the winding
  double electrode_length_m = 0.0;   // length of the double-sided cathode strip
  double cathode_height_m = 0.0;     // coated width of the cathode strip (along the cell axis)
  double negative_overhang_m = 0.0;
  double separator_overhang_m = 0.0;
  double cap_assembly_mass_kg = 0.0; // top cap, CID, vent, gasket
  double tab_mass_kg = 0.0;
  double other_mass_kg = 0.0;
  std::string source;
  int line = 0;                      // of the [cylinder] table, for consistency errors
};

// A cell whose housing is known only by its measured mass and volume (datasheets, BPX files): the stack
// is computed from its layers, and the housing is the rest.
struct LumpedFormat {
  double electrode_area_m2 = 0.0;  // total cathode coating area facing an anode, all layers
  double mass_kg = 0.0;
  double volume_m3 = 0.0;
  std::string source;
  int line = 0;                    // of the [lumped] table, for consistency errors
};

using Format = std::variant<PouchFormat, CylindricalFormat, LumpedFormat>;

// The cell as one thermal mass cooled through its outer surface (the lumped thermal model).
struct ThermalProperties {
  double specific_heat_J_per_kg_K = 0.0;
  double heat_transfer_coefficient_W_per_m2_K = 0.0;
  std::optional<double> cooling_area_m2;  // the format's outer surface when absent
  std::string source;
};

// Solid-state fade (the [degradation] table and its sub-tables; docs/ageing.md): the rates of the cathode
// interphase, the contact loss, the lithium lost per plating, the voids and the critical current density. The
// literature pins several only loosely: each of those carries its uncertainty range from the file.
struct SolidStateDegradation {
  double stack_pressure_Pa = 0.0;
  std::string source;
  int line = 0;
  // [degradation.cei]: parabolic growth d(delta^2)/dt = 2 k0 arrh(Ea, T) max(0, exp(beta F (U_p - U_ox)/RT) - 1).
  double cei_initial_thickness_m = 0.0;
  double cei_rate_constant_m2_per_s = 0.0;
  double cei_activation_energy_J_per_mol = 0.0;
  double cei_onset_potential_V = 0.0;       // U_ox vs Li
  double cei_potential_factor = 0.0;        // beta
  double cei_resistivity_ohm_m = 0.0;       // film resistance per CAM area = resistivity x thickness
  double cei_lithium_mol_per_m3 = 0.0;      // lithium bound per interphase volume
  std::string cei_source;
  // [degradation.contact]: CAM shrinkage eps(x) and the contact fraction it costs per cycle.
  double cam_volume_change = 0.0;           // at x <= shrink_end
  double cam_shrink_onset_stoichiometry = 0.0;
  double cam_shrink_end_stoichiometry = 0.0;
  double contact_critical_strain = 0.0;
  double contact_loss_per_strain = 0.0;     // fraction of the remaining contact per cycle per unit excess strain
  double contact_pressure_exponent = 0.0;   // g(P) = (P_ref / P)^n
  double contact_reference_pressure_Pa = 0.0;
  std::string contact_source;
  // [degradation.lithium]: lithium lost per plated lithium (dead lithium, anode-side interphase).
  double coulombic_efficiency = 1.0;
  std::string lithium_source;
  // [degradation.voids]: stripping faster than lithium reaches the interface opens voids.
  double void_critical_current_A_per_m2 = 0.0;  // at the reference pressure
  double void_reference_pressure_Pa = 0.0;
  double void_pressure_exponent = 0.0;
  double void_loss_per_charge_m2_per_C = 0.0;   // contact fraction lost per stripped charge per area, per unit excess
  std::string void_source;
  // [degradation.short]: critical current density for plating, CCD(P, T).
  double ccd_A_per_m2 = 0.0;                    // at the reference pressure and 25 C
  double ccd_reference_pressure_Pa = 0.0;
  double ccd_pressure_exponent = 0.0;
  double ccd_activation_energy_J_per_mol = 0.0;
  std::string short_source;
  // The uncertainty ranges the file gives ("<key>_range = [low, high]"), by key: "cei.rate_constant_m2_per_s".
  std::map<std::string, std::pair<double, double>> ranges;
};

struct Cell {
  std::string name;
  std::string chemistry;  // "solid-state" or "liquid"
  std::string description;
  std::string source;
  double voltage_min_V = 0.0;
  double voltage_max_V = 0.0;
  std::optional<double> nominal_capacity_Ah;  // rating that defines 1C; the design capacity when absent

  CompositeLayer positive;
  Separator separator;
  Negative negative;
  CurrentCollectors collectors;
  std::optional<LiquidElectrolyte> electrolyte;
  Format format;
  std::optional<ThermalProperties> thermal;
  std::optional<SolidStateDegradation> degradation;  // [degradation]: solid-state cells only

  std::map<std::string, materials::Material> materials;  // every material the cell names, resolved

  const materials::Material& material(const std::string& name) const;
  bool is_pouch() const { return std::holds_alternative<PouchFormat>(format); }
};

const char* to_string(NegativeKind kind);
const char* to_string(SeparatorKind kind);

}  // namespace solidcell::cell
