#pragma once
// What every cell model (SPM, SPMe, DFN, solid-state DFN) offers the simulation driver: a DAE to
// integrate, a control to impose, and the outputs users ask for, computed from a state vector.
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/numerics/dae_system.hpp"

namespace solidcell::electrochem {

enum class ControlKind {
  current,     // value in A
  voltage,     // value in V
  power,       // value in W
  resistance,  // value in ohm: the cell discharges through an external resistor (an external short)
};

// What a step holds. Current and power are positive on discharge (PyBaMM's convention). A profile, when
// set, replaces the constant value (drive cycles).
struct Control {
  ControlKind kind = ControlKind::current;
  double value = 0.0;  // A, V or W
  std::function<double(double)> profile;

  double at(double t) const { return profile ? profile(t) : value; }
};

// The equation that closes every model's current unknown: I = I_set (current), V = V_set (hold),
// I = P / V (power) or V = I R (external resistor), at time t.
inline double control_residual(const Control& c, double t, double current, double voltage) {
  const double target = c.at(t);
  switch (c.kind) {
    case ControlKind::current: return current - target;
    case ControlKind::voltage: return voltage - target;
    case ControlKind::power: return current - target / voltage;
    case ControlKind::resistance: return voltage - target * current;
  }
  return current - target;
}

// The lumped energy balance every model closes its temperature with: C dT/dt = heat - G (T - T_amb).
inline double lumped_thermal_residual(const ThermalParameters& th, double dTdt, double heat_W, double T, double ambient) {
  return th.heat_capacity_J_per_K * dTdt - heat_W + th.cooling_conductance_W_per_K * (T - ambient);
}

// Spatial profiles along the cell's thickness at one instant (NaN where a quantity does not exist).
struct Profiles {
  std::vector<double> x_m;
  std::vector<double> electrolyte_concentration;  // mol/m3
  std::vector<double> electrolyte_potential;      // V
  std::vector<double> solid_potential;            // V
  std::vector<double> surface_stoichiometry;
};

class BatteryModel : public numerics::DaeSystem {
 public:
  virtual std::string name() const = 0;
  virtual const CellParameters& parameters() const = 0;
  virtual void set_control(const Control& control) = 0;
  virtual void set_temperature(double kelvin) = 0;
  virtual double temperature() const = 0;  // ambient
  // The cell's temperature in a state: the ambient one for isothermal models.
  virtual double cell_temperature(const double* /*y*/) const { return temperature(); }
  // A state at rest at the given state of charge (0-1); the integrator makes the algebraic part consistent.
  virtual std::vector<double> initial_state(double soc) const = 0;

  // Writes a starting guess of the current into a state, so that a new step's consistent-initial-value
  // solve starts near its answer (a power step from a voltage hold, say).
  virtual void guess_current(double* y, double amperes) const = 0;

  virtual double voltage(const double* y) const = 0;
  virtual double current(const double* y) const = 0;
  virtual double discharge_capacity_Ah(const double* y) const = 0;
  virtual double open_circuit_voltage(const double* y) const = 0;
  virtual double lithium_moles(const double* y) const = 0;
  // Degradation state (docs/ageing.md); models without SEI growth have none.
  virtual bool has_sei_growth() const { return false; }
  // Lithium bound in SEI grown since the start of the model's life [mol] (included in lithium_moles()).
  virtual double sei_lithium_moles(const double* /*y*/) const { return 0.0; }
  virtual double mean_sei_thickness(const double* /*y*/) const { return 0.0; }  // x-averaged [m]
  // Lithium plating (docs/ageing.md); models without it have none. Plated (reversible) and dead lithium in the
  // negative [mol], both included in lithium_moles(); PyBaMM's "Loss of lithium to negative lithium plating [mol]" is
  // their sum. initial_plated_lithium_moles() is the plated lithium of the fresh cell.
  virtual bool has_lithium_plating() const { return false; }
  virtual double plated_lithium_moles(const double* /*y*/) const { return 0.0; }
  virtual double dead_lithium_moles(const double* /*y*/) const { return 0.0; }
  virtual double initial_plated_lithium_moles() const { return 0.0; }
  // Loss of active material (docs/ageing.md): the x-averaged active material volume fraction of an electrode, and the
  // lithium [mol] held by the active material it lost (with SEI growth, with the SEI grown on that material; included in
  // lithium_moles()). Models without LAM keep their fixed fraction and lose none.
  virtual bool has_active_material_loss() const { return false; }
  virtual double active_material_fraction(const double* /*y*/, bool positive) const {
    return positive ? parameters().positive.active_fraction : (parameters().negative ? parameters().negative->active_fraction : 0.0);
  }
  virtual double lost_active_material_lithium_moles(const double* /*y*/, bool /*positive*/) const { return 0.0; }
  // Lithium taken by plating since the start of the model's life [mol]: plated + dead - initial plated.
  double plating_lithium_moles(const double* y) const { return plated_lithium_moles(y) + dead_lithium_moles(y) - initial_plated_lithium_moles(); }
  virtual Profiles profiles(const double* y) const = 0;
  // Lowest salt concentration in the cell [mol/m3]; infinite where the model has none to deplete.
  virtual double minimum_electrolyte_concentration(const double* /*y*/) const { return std::numeric_limits<double>::infinity(); }

  // Changes a parameter marked as an input (model_inputs.hpp) on the built model: solving afterwards gives what a
  // model built from the changed parameters gives. Throws std::invalid_argument for an unknown name, InputError for
  // a value out of range or an input that this cell lacks or this model does not read (the model is then unchanged).
  // "Ambient temperature [K]" is set_temperature(); run_experiment() keeps it unless its options give another.
  void set_input(const std::string& name, double value);
  std::vector<std::string> input_names() const;  // the inputs of this model and its cell

 protected:
  // For set_input(): the parameters the model was built from, and the recomputation of everything the model
  // cached from them (mesh geometry, transport factors). The number of unknowns never changes.
  virtual CellParameters& mutable_parameters() = 0;
  virtual void refresh() = 0;
};

}  // namespace solidcell::electrochem
