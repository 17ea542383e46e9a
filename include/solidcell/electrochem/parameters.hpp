#pragma once
// The numbers an electrochemical model needs, taken from a Cell once and checked before any solve.
// SI units throughout; functions of stoichiometry or concentration stay as StoichiometryFunction.
#include <optional>
#include <string>

#include "solidcell/cell/cell.hpp"
#include "solidcell/materials/stoichiometry_function.hpp"

namespace solidcell::electrochem {

// Loss of active material (docs/ageing.md): swelling stress at the particle surface (Ai et al. 2020) and the LAM laws
// (Reniers et al. 2019, O'Kane et al. 2022), per porous electrode of a liquid cell.
struct ActiveMaterialLossParameters {
  double youngs_modulus = 0.0;          // E [Pa]
  double poissons_ratio = 0.0;          // nu
  double partial_molar_volume = 0.0;    // Omega [m3/mol]
  double critical_stress = 0.0;         // sigma_c [Pa]
  double proportional_rate = 0.0;       // beta [1/s]
  double exponent = 2.0;                // m
  double reaction_factor = 0.0;         // beta_sei [m3/mol] (reaction-driven, negative with SEI growth)
};

struct ElectrodeParameters {
  double thickness_m = 0.0;
  double porosity = 0.0;                 // electrolyte-filled (liquid) or void (solid-state)
  double electrolyte_fraction = 0.0;     // volume fraction carrying ions: porosity (liquid) or solid electrolyte
  double active_fraction = 0.0;          // epsilon_AM
  double particle_radius_m = 0.0;
  double surface_area_per_volume = 0.0;  // a = 3 epsilon_AM / R
  double max_concentration = 0.0;        // c_max [mol/m3]
  double stoichiometry_at_0_soc = 0.0;
  double stoichiometry_at_100_soc = 0.0;
  materials::StoichiometryFunction open_circuit_potential;
  std::optional<materials::StoichiometryFunction> entropic_coefficient;  // dU/dT [V/K]
  double ocp_valid_from = 0.0;  // walls of the OCP (see open_circuit_potential.hpp)
  double ocp_valid_to = 1.0;
  double diffusivity = 0.0;              // [m2/s] at the reference temperature
  double diffusivity_activation_energy = 0.0;
  double exchange_current_reference = 0.0;  // j0 at x = 0.5 and c_e = 1000 mol/m3 [A/m2]
  double exchange_current_activation_energy = 0.0;
  double conductivity = 0.0;             // electronic [S/m], as given
  double bruggeman = 1.5;                // ionic path
  double electrode_bruggeman = 0.0;      // electronic path
  double interface_resistance = 0.0;     // [Ohm m2] per active area
  double ionic_conductivity = 0.0;       // solid electrolyte phase [S/m] (solid-state only)
  double ionic_conductivity_activation_energy = 0.0;
  std::optional<ActiveMaterialLossParameters> active_material_loss;  // when the cell file gives it

  double effective_conductivity() const;  // sigma * (1 - porosity)^b_electrode
};

struct SeparatorParameters {
  double thickness_m = 0.0;
  double porosity = 0.0;
  double electrolyte_fraction = 0.0;
  double bruggeman = 1.5;
  double ionic_conductivity = 0.0;  // solid electrolyte [S/m] (solid-state only)
  double ionic_conductivity_activation_energy = 0.0;
};

struct LiquidElectrolyteParameters {
  double initial_concentration = 1000.0;
  double transference_number = 0.0;
  double thermodynamic_factor = 1.0;
  materials::StoichiometryFunction diffusivity;   // of c_e
  materials::StoichiometryFunction conductivity;  // of c_e
  double diffusivity_activation_energy = 0.0;
  double conductivity_activation_energy = 0.0;
};

// The planar negative of lithium-metal and anode-free cells.
// Also a dense alloy foil (Li-In), which behaves as a planar electrode at its plateau potential.
struct LithiumMetalParameters {
  double exchange_current_density = 0.0;  // [A/m2]
  double interface_resistance = 0.0;      // [Ohm m2]
  double open_circuit_potential = 0.0;    // [V vs Li]: 0 for lithium, about 0.62 for Li-In
};

// Lumped thermal model: one temperature for the whole cell.
struct ThermalParameters {
  double heat_capacity_J_per_K = 0.0;  // mass x specific heat
  double cooling_conductance_W_per_K = 0.0;  // h x cooling area
};

// Growth of the solid-electrolyte interphase on the negative's particles (docs/ageing.md), as PyBaMM's
// "SEI" option names the laws. none: the models solve exactly what they solve without SEI parameters.
enum class SeiGrowth { none, reaction_limited, solvent_diffusion_limited };
const char* to_string(SeiGrowth growth);  // PyBaMM's words: "none", "reaction limited", ...
// Throws InputError (field "SEI") for other text; accepts PyBaMM's words and their snake_case.
SeiGrowth parse_sei_growth(const std::string& text);

struct SeiParameters {
  double initial_thickness_m = 0.0;                   // L_sei,0
  double partial_molar_volume = 0.0;                  // V_bar [m3/mol]
  double exchange_current_density = 0.0;              // j0_sei [A/m2]
  double resistivity = 0.0;                           // rho_sei [Ohm m]
  double solvent_diffusivity = 0.0;                   // D_sol [m2/s]
  double bulk_solvent_concentration = 0.0;            // c_sol [mol/m3]
  double open_circuit_potential = 0.0;                // U_sei [V]
  double activation_energy = 0.0;                     // E_sei [J/mol]
  double transfer_coefficient = 0.5;                  // alpha_sei
  double lithium_per_sei = 2.0;                       // z_sei
};

// Lithium plating on the negative's particles (docs/ageing.md), as PyBaMM's "lithium plating" option names the
// models (O'Kane et al. 2020, 2022). none: the models solve exactly what they solve without plating parameters.
enum class LithiumPlating { none, irreversible, reversible, partially_reversible };
const char* to_string(LithiumPlating plating);  // PyBaMM's words: "none", "irreversible", "reversible", "partially reversible"
// Throws InputError (field "lithium plating") for other text; accepts PyBaMM's words, snake_case and kebab-case.
LithiumPlating parse_lithium_plating(const std::string& text);

// Loss of active material, as PyBaMM's "loss of active material" option names the laws (with "particle mechanics":
// "swelling only" for the stress-driven ones). none: the models solve exactly what they solve without LAM parameters.
enum class ActiveMaterialLoss { none, stress_driven, reaction_driven, stress_and_reaction_driven };
// PyBaMM's words: "none", "stress-driven", "reaction-driven", "stress and reaction-driven"
const char* to_string(ActiveMaterialLoss loss);
// Throws InputError (field "loss of active material") for other text; accepts PyBaMM's words and snake_case.
ActiveMaterialLoss parse_active_material_loss(const std::string& text);

struct PlatingParameters {
  double kinetic_rate_constant = 0.0;          // k_Li [m/s]: j0_plating = F k c_e, j0_stripping = F k c_Li
  double transfer_coefficient = 0.65;          // alpha_plating (stripping: 1 - alpha_plating)
  double lithium_partial_molar_volume = 1.3e-5;  // V_bar_Li [m3/mol] (plated-layer thickness)
  double initial_concentration = 0.0;          // c_Li,0 [mol/m3 of electrode]
  double dead_lithium_decay_constant = 0.0;    // gamma_0 [1/s] (partially reversible)
  double activation_energy = 0.0;              // of k_Li [J/mol]
};

struct CellParameters {
  std::string name;
  bool solid_state = false;
  ElectrodeParameters positive;
  std::optional<ElectrodeParameters> negative;       // porous negative
  std::optional<LithiumMetalParameters> lithium_metal;  // planar lithium negative
  SeparatorParameters separator;
  std::optional<LiquidElectrolyteParameters> electrolyte;  // liquid cells
  double electrode_area_m2 = 0.0;  // facing area
  double nominal_capacity_Ah = 0.0;
  double voltage_min_V = 0.0;
  double voltage_max_V = 0.0;
  double reference_temperature_K = 298.15;
  std::optional<ThermalParameters> thermal;  // absent: isothermal at the ambient temperature
  std::optional<SeiParameters> sei;          // the negative's interphase, when the cell file gives it
  SeiGrowth sei_growth = SeiGrowth::none;    // model option: which growth law the DFN solves (needs sei)
  std::optional<PlatingParameters> plating;  // [negative.plating], when the cell file gives it
  LithiumPlating lithium_plating = LithiumPlating::none;  // model option: which plating model the DFN solves (needs plating)
  // Model option: LAM in every porous electrode whose ElectrodeParameters::active_material_loss is set (needs one).
  ActiveMaterialLoss active_material_loss = ActiveMaterialLoss::none;
  // With stress-driven LAM, the swelling stress also speeds diffusion in those particles (Ai 2020 eq. 12; PyBaMM's
  // "stress-induced diffusion", on by default with "particle mechanics"): D (1 + theta c), theta = 2 Omega^2 E / (9 (1 - nu) R T).
  bool stress_induced_diffusion = true;
};

// Throws InputError naming the cell file's field when a value a model needs is missing or unphysical.
CellParameters model_parameters(const cell::Cell& cell, const std::string& file = "");

// Arrhenius factor exp(Ea/R (1/T_ref - 1/T)).
double arrhenius(double activation_energy, double temperature, double reference_temperature);

}  // namespace solidcell::electrochem
