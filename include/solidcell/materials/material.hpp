#pragma once
// A material: what a layer of a cell is made of. Active materials carry their lithium capacity and
// open-circuit potential; every material carries its density and the source of its numbers.
#include <optional>
#include <string>

#include "solidcell/materials/stoichiometry_function.hpp"

namespace solidcell::materials {

enum class Role {
  positive_active,     // intercalation cathode (NCM, LFP, ...)
  negative_active,     // intercalation or alloy anode (graphite, Si, Li-In, ...)
  lithium_metal,       // lithium foil or plated lithium
  solid_electrolyte,   // inorganic single-ion conductor (Li6PS5Cl, LLZO, ...)
  liquid_electrolyte,  // salt in solvent, fills pores
  conductive_additive,
  binder,
  separator_film,      // porous polymer film
  current_collector,
  packaging,           // pouch laminate, can steel, ...
  test_fixture,        // not in the cell: an abuse test's nail, indenter or platen
};

const char* to_string(Role role);
std::optional<Role> role_from_string(const std::string& text);

// Lithium hosting of an active material. Stoichiometry x = c / c_max; the usable window is where the
// material is cycled between the cell's voltage limits.
struct ActiveCapacity {
  double maximum_concentration_mol_per_m3 = 0.0;
  double stoichiometry_min = 0.0;
  double stoichiometry_max = 1.0;
  std::string source;
};

struct TransportProperties {
  std::optional<double> diffusivity_m2_per_s;  // solid-state lithium diffusivity at the reference temperature
  std::optional<double> diffusivity_activation_energy_J_per_mol;
  std::optional<double> electronic_conductivity_S_per_m;
  std::optional<double> ionic_conductivity_S_per_m;  // solid electrolytes
  std::optional<double> conductivity_activation_energy_J_per_mol;
  std::string source;
};

// Butler-Volmer kinetics of an active material against its electrolyte. The exchange current density is
// given at a reference state (x = 0.5 and, for liquids, c_e = 1000 mol/m3) and scales as
// j0 = j0_ref * sqrt(c_e / 1000) * sqrt(x (1 - x)) / 0.5 * exp(-Ea/R (1/T - 1/T_ref)).
struct KineticProperties {
  std::optional<double> exchange_current_density_A_per_m2;
  double activation_energy_J_per_mol = 0.0;
  std::string source;
};

// Concentrated-solution transport of a liquid electrolyte; functions of the salt concentration in mol/m3.
struct ElectrolyteProperties {
  double transference_number = 0.0;
  StoichiometryFunction diffusivity_m2_per_s;  // of c_e [mol/m3]
  StoichiometryFunction conductivity_S_per_m;  // of c_e [mol/m3]
  double diffusivity_activation_energy_J_per_mol = 0.0;
  double conductivity_activation_energy_J_per_mol = 0.0;
  double thermodynamic_factor = 1.0;
  std::string source;
};

struct ThermalProperties {
  std::optional<double> specific_heat_J_per_kg_K;
  std::optional<double> thermal_conductivity_W_per_m_K;
  std::string source;
};

struct Material {
  std::string name;
  Role role = Role::binder;
  // Optional only because some exchange formats (BPX) do not carry it; every mass figure needs it.
  std::optional<double> density_kg_per_m3;
  std::string description;
  std::string source;

  std::optional<ActiveCapacity> capacity;  // active and lithium-metal materials
  StoichiometryFunction open_circuit_potential_V;  // vs Li/Li+; zero for lithium metal
  // Where the OCP fit holds. Models put a steep wall at these ends (0 and 1 unless the data says
  // otherwise), so that a particle is not filled or emptied beyond the measured curve.
  double ocp_valid_from = 0.0;
  double ocp_valid_to = 1.0;
  // dU/dT [V/K] against stoichiometry: the OCP's temperature shift and the reversible heat. Absent: zero.
  std::optional<StoichiometryFunction> entropic_coefficient_V_per_K;
  std::string open_circuit_potential_source;
  TransportProperties transport;
  KineticProperties kinetics;                   // active materials
  std::optional<ElectrolyteProperties> electrolyte;  // liquid electrolytes
  ThermalProperties thermal;

  bool is_active() const { return role == Role::positive_active || role == Role::negative_active; }
  // Charge per kg over the material's usable window, in mAh/g (0 without capacity or density).
  double usable_specific_capacity_mAh_per_g() const;
};

}  // namespace solidcell::materials
