#pragma once
// A lumped cell heated by its surroundings, by its own runaway chemistry and by the currents that an abuse
// test drives through it: one progress variable per reaction (two for the SEI-limited negative-solvent
// reaction), the temperature, the state of charge, and three bookkeeping integrals (heat exchanged with the
// surroundings, electrical heat inside the cell, electrical energy through the terminals) that make the
// energy balance checkable.
//   C dT/dt = sum_k H_k m_k r_k + Q_el + h A (T_a - T) + eps sigma A (T_a^4 - T^4)
// The cell is an EMF U_ocv(SOC) behind its internal resistance R_int, whose current is capped smoothly at a
// transport-limited current I_lim; at its terminals sit the internal shorts (the network's separator short
// once it fails, and a nail or crush path), an external resistance and a charger (ElectricalLoad):
//   I = g((U_ocv - V) / R_int),  I + I_charger = V (G_internal + G_external),  g(x) = x / (1 + (x/I_lim)^4)^(1/4)
//   Q_el = (U_ocv - V) I + V^2 G_internal     (loss in the cell plus the shorts inside it)
// (with ModelFeatures::overcharge a side current I_s(V) at the positive joins the second equation and I_s (V - U_eq)
// the heat.)
// Reactions with an ignition threshold or a contact gate, and the short, switch on once and stay on; the
// driver (heating_test.hpp) finds the switching instants as events and restarts the integration there.
#include <functional>
#include <limits>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/numerics/dae_system.hpp"

namespace solidcell::abuse {

struct Surroundings {
  std::function<double(double t)> temperature_K;  // oven or room
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
};

// What an abuse test connects to the cell; each function must be smooth within a phase of the driver (a
// short that closes at a known instant starts a new phase). Empty functions: open, no charger.
struct ElectricalLoad {
  std::function<double(double t)> internal_short_ohm;  // a nail or crush path inside the cell; +inf: open
  std::function<double(double t)> external_ohm;        // across the terminals; +inf: open
  std::function<double(double t)> charger_A;           // current a charger drives in (charging positive)
  // The charger's compliance: above this terminal voltage it becomes a voltage source and its current falls
  // (a laboratory supply; what stops the charge when a shutdown separator cuts the ionic path).
  double charger_max_V = std::numeric_limits<double>::infinity();
};

// Physics that a test switches on; with none, the model is exactly the heating-test model above.
struct ModelFeatures {
  // Charging past full (overcharge_test.hpp): the EMF beyond 100 % SOC (CellInventory::electrodes), the network's
  // positive side reaction (a current I_s in parallel with intercalation: I + I_charger = V G + I_s, heat
  // I_s (V - U_eq)), reacting masses that follow the state (the delithiated positive of `scales_with_soc`
  // reactions as max(SOC_0, SOC); lithium metal with the lithium plated past a full host or deposited by the side
  // reaction, the lithiated host up to full; new material joins a reaction at its initial value, and the converted mass
// is a state of its own, so heat = H x converted mass stays exact), and
  // integrals for the charge and energy balances (side charge, side heat, side products' energy, EMF energy).
  bool overcharge = false;
};

class ThermalRunawayModel : public numerics::DaeSystem {
 public:
  ThermalRunawayModel(const CellInventory& cell, const ReactionNetwork& network, double initial_soc, Surroundings surroundings,
                      ElectricalLoad load = {}, ModelFeatures features = {});

  std::size_t size() const override { return size_; }
  bool residual(double t, const double* y, const double* yp, double* r) const override;
  std::vector<double> differential_mask() const override { return std::vector<double>(size_, 1.0); }
  int lower_bandwidth() const override { return static_cast<int>(size_) - 1; }
  int upper_bandwidth() const override { return static_cast<int>(size_) - 1; }
  std::vector<double> absolute_tolerances(double relative_tolerance) const override;

  std::vector<double> initial_state(double temperature_K) const;
  void set_surroundings(Surroundings s) { surroundings_ = std::move(s); }
  void set_load(ElectricalLoad load) { load_ = std::move(load); }
  const ElectricalLoad& load() const { return load_; }

  // Switches: a reaction runs once enabled (threshold reached, gate passed); the short once enabled.
  bool reaction_enabled(std::size_t k) const { return enabled_[k] != 0; }
  void enable_reaction(std::size_t k) { enabled_[k] = 1; }
  bool short_enabled() const { return short_on_; }
  void enable_short() { short_on_ = true; }
  bool shutdown_enabled() const { return shutdown_on_; }
  void enable_shutdown() { shutdown_on_ = true; }
  // R_int, raised while the separator is shut down and not yet melted.
  double internal_resistance_ohm() const;

  // Readings from a state.
  double temperature(const double* y) const { return y[temperature_index_]; }
  double temperature_rate(const double* yp) const { return yp[temperature_index_]; }
  double state_of_charge(const double* y) const { return y[soc_index_]; }
  // The circuit at time t and state y: terminal voltage, the cell's discharge current (negative while
  // charging), the current through the shorts inside, and the electrical heat Q_el.
  struct Circuit {
    double voltage_V = 0.0;
    double current_A = 0.0;
    double internal_short_A = 0.0;
    double external_A = 0.0;
    double heat_W = 0.0;       // includes side_heat_W
    double emf_V = 0.0;
    double side_A = 0.0;       // positive side reaction (overcharge feature)
    double side_heat_W = 0.0;
    double charger_A = 0.0;    // what the charger delivers (below its set current at the compliance voltage)
  };
  Circuit circuit(double t, const double* y) const;
  double terminal_voltage(double t, const double* y) const { return circuit(t, y).voltage_V; }
  // 0 at the start, 1 when a reaction has run its course (consumed fraction, conversion or melt fraction).
  double progress(std::size_t k, const double* y) const;
  double reaction_heat_J(std::size_t k, const double* y) const;  // released so far (negative: absorbed)
  double reaction_heat_rate_W(std::size_t k, const double* y) const;
  double reaction_heat_available_J(std::size_t k) const;  // at full conversion from the start
  double reaction_heat_available_J(std::size_t k, const double* y) const;  // ... of the reactant present in y (overcharge)
  double gas_mol(const double* y) const;
  double reaction_gas_mol(std::size_t k, const double* y) const;  // released by reaction k so far
  double heat_exchanged_J(const double* y) const { return y[exchanged_index_]; }  // from the surroundings
  double electrical_heat_J(const double* y) const { return y[electrical_heat_index_]; }  // inside the cell
  double terminal_energy_J(const double* y) const { return y[terminal_energy_index_]; }
  double charger_charge_C(const double* y) const { return y[charger_charge_index_]; }  // delivered by the charger  // delivered out (negative: charged in)
  double heat_capacity_J_per_K() const { return cell_.heat_capacity_J_per_K; }
  const ReactionNetwork& network() const { return network_; }
  double reactant_kg(std::size_t k) const { return reactant_kg_[k]; }
  // Overcharge feature (zero without it).
  const ModelFeatures& features() const { return features_; }
  double reacting_mass_kg(std::size_t k, const double* y) const;  // reactant_kg(k) unless it follows the state
  double lithium_metal_kg(const double* y) const;                 // before any reaction took it
  double side_charge_C(const double* y) const { return features_.overcharge ? y[side_charge_index_] : 0.0; }
  double side_heat_J(const double* y) const { return features_.overcharge ? y[side_heat_index_] : 0.0; }
  double side_products_energy_J(const double* y) const { return features_.overcharge ? y[side_stored_index_] : 0.0; }
  double emf_energy_J(const double* y) const { return features_.overcharge ? y[emf_energy_index_] : 0.0; }  // charged into the EMF
  // The side reaction's current at the positive's potential U_p(soc) + overpotential_V.
  double side_current_A(double soc, double T, double overpotential_V = 0.0) const;

 private:
  double rate(std::size_t k, const double* y, double T) const;
  double surroundings_heat_W(double t, double T) const;
  double internal_conductance_S(double t) const;
  double mass_rate_kg_per_s(std::size_t k, const double* y, const double* yp) const;  // d/dt reacting_mass_kg
  double lithium_mass_kg(double soc, double side_C) const;

  ModelFeatures features_;
  std::vector<char> follows_;  // reaction k's mass follows the state: 1 delithiated positive, 2 lithium metal, 3 lithiated host
  std::vector<std::size_t> converted_index_;  // converted mass [kg] of a following reaction
  std::size_t side_charge_index_ = 0, side_heat_index_ = 0, side_stored_index_ = 0, emf_energy_index_ = 0;

  CellInventory cell_;
  ReactionNetwork network_;
  Surroundings surroundings_;
  ElectricalLoad load_;
  std::vector<std::size_t> index_;      // progress variable of reaction k
  std::vector<std::size_t> sei_index_;  // SEI thickness of an sei_limited reaction (else unused)
  std::vector<double> reactant_kg_;     // reacting mass of reaction k
  std::vector<char> enabled_;
  bool short_on_ = false;
  bool shutdown_on_ = false;
  double initial_soc_ = 1.0;
  std::size_t temperature_index_ = 0, soc_index_ = 0, exchanged_index_ = 0, electrical_heat_index_ = 0, terminal_energy_index_ = 0, charger_charge_index_ = 0,
              size_ = 0;
};

}  // namespace solidcell::abuse
