#pragma once
// Thermal-runaway chemistry as data: Arrhenius reactions with their heats, the cell component each one
// consumes, optional ignition thresholds and contact gating, an optional separator-failure short, and how
// the cell's contents burn (data/abuse/*.toml; the schema is in data/abuse/README.md).
#include <optional>
#include <string>
#include <vector>

namespace solidcell::abuse {

enum class RateLaw {
  nth_order,      // r = A exp(-Ea/RT) c^m,                dc/dt = -r
  sei_limited,    // r = A exp(-Ea/RT) exp(-z/z_ref) c^m,  dc/dt = -r, dz/dt = +r (Kim 2007's negative-solvent)
  autocatalytic,  // r = A exp(-Ea/RT) a^m1 (1-a)^m2,      da/dt = +r
  melting,        // x: 0 -> 1 at (1-x) max(0, T - T_m) per K s; heat is the latent heat
};

enum class Reactant { negative_active, positive_active, electrolyte, solid_electrolyte, lithium_metal };

struct Reaction {
  std::string name;
  RateLaw law = RateLaw::nth_order;
  double frequency_factor_per_s = 0.0;
  double activation_energy_J_per_mol = 0.0;
  double order = 1.0;    // m; autocatalytic: on a
  double order_2 = 1.0;  // autocatalytic: on (1 - a)
  double heat_J_per_kg = 0.0;  // per kg of reactant converted; negative: endothermic
  Reactant reactant = Reactant::negative_active;
  double reactant_mass_fraction = 1.0;
  bool scales_with_soc = false;           // the reacting mass is proportional to the state of charge (lithiated
                                          // anode, delithiated cathode)
  double initial_value = 0.0;             // c0, a0 or x0
  std::optional<double> onset_K;          // no reaction below (an ignition threshold; once reached it stays on)
  double gas_mol_per_kg = 0.0;
  int enabled_after = -1;                 // index of a reaction that must be half complete first
  double sei_thickness_initial = 0.0;     // sei_limited
  double sei_thickness_reference = 1.0;   // sei_limited
  double melting_K = 0.0;                 // melting
  std::string source;
  std::string uncertainty;
};

struct InternalShort {
  double onset_K = 0.0;  // separator meltdown or collapse
  double resistance_ohm = 0.0;
  std::string source;
};

// A polyolefin separator's pores close when it softens (shutdown): the ionic path through it is cut, the
// cell's internal resistance jumps, and the current of a short outside the separator (external short,
// overcharge) collapses, until the separator melts down (the internal short), where the electrodes touch.
struct SeparatorShutdown {
  double onset_K = 0.0;
  double resistance_factor = 1.0;  // internal resistance after shutdown / before
  std::string source;
};

struct HazardProperties {
  bool flammable_electrolyte = false;
  double vent_gas_mol = 0.0;  // gas per cell above which the housing opens
  std::string source;
};

// Overcharge side reaction at the positive (electrolyte oxidation), a Tafel current on the positive's
// equilibrium potential U_p (vs Li) per m2 of cathode coating facing an anode:
//   i = i_ref 10^((U_p - U_ref) / b) exp(-Ea/R (1/T - 1/T_ref))
// It runs in parallel with (de)intercalation, so it takes part of a charger's current and discharges the cell at
// rest; its heat is I (V - U_eq), and I U_eq stays in its products. The counter-reaction at the negative
// deposits `lithium_per_electron` lithium atoms per electron (the Li+ a sulfide electrolyte gives up) and the
// whole reaction gives `gas_mol_per_mol_electrons` of gas (CO2 and H2 of a carbonate solvent). It does not run out
// (the electrolyte it oxidises is not counted down).
struct PositiveSideReaction {
  std::string name;
  double reference_potential_V = 4.8;
  double reference_current_A_per_m2 = 0.1;
  double tafel_slope_V_per_decade = 0.12;
  double activation_energy_J_per_mol = 0.0;
  double reference_temperature_K = 298.15;
  double equilibrium_potential_V = 0.0;
  double gas_mol_per_mol_electrons = 0.0;
  double lithium_per_electron = 0.0;
  std::string source;
};

struct ReactionNetwork {
  std::string name;
  std::string description;
  std::string chemistry;  // "liquid" or "solid-state"
  std::string source;
  std::string file;
  std::vector<Reaction> reactions;
  std::optional<InternalShort> internal_short;
  std::optional<SeparatorShutdown> separator_shutdown;
  HazardProperties hazard;
  std::optional<PositiveSideReaction> overcharge;  // [overcharge] table
};

// A built-in network name (data/abuse/<name>.toml) or a path. Throws InputError naming file, line and field.
ReactionNetwork load_reaction_network(const std::string& name_or_path);
// The built-in network for a cell's chemistry: "liquid-ncm-graphite" or "sulfide-assb".
std::string default_network_name(const std::string& chemistry);
const char* reactant_name(Reactant r);

// A reaction's variable as the lumped and the 3D models both read it: does it grow (conversion a, melt
// fraction x) or shrink (remaining reactant c); how much has converted from the initial value; and the
// progress from 0 (start) to 1 (run its course).
inline bool grows(RateLaw law) { return law == RateLaw::autocatalytic || law == RateLaw::melting; }
inline double converted(const Reaction& r, double value) { return grows(r.law) ? value - r.initial_value : r.initial_value - value; }
inline double convertible(const Reaction& r) { return grows(r.law) ? 1.0 - r.initial_value : r.initial_value; }
inline double progress(const Reaction& r, double value) {
  if (r.law == RateLaw::melting) return value;
  const double span = convertible(r);
  return span > 0.0 ? converted(r, value) / span : (grows(r.law) ? 1.0 : 0.0);
}

}  // namespace solidcell::abuse
