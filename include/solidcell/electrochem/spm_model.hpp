#pragma once
// The single-particle model (SPM) as PyBaMM discretises it (docs/pybamm-conventions.md, sections 5 and 6):
// one x-averaged particle per electrode with a uniform reaction current, inverse Butler-Volmer kinetics at
// the initial electrolyte concentration, and V = U_p - U_n + eta_p - eta_n (no ohmic or electrolyte terms).
//  - liquid cells: porous negative and positive;
//  - solid-state cells: the same without the electrolyte factor in j0, with a porous negative or a planar
//    lithium negative (Butler-Volmer at the metal, no particle there, zero electrolyte resistance).
// Unknowns: negative particle shells (centre to surface), positive particle shells, then the terminal
// voltage (algebraic), the discharged capacity and the cell current (algebraic, carrying the DFN's control
// equation). The voltage is an unknown so that the consistent-initial-value solve always has an algebraic
// residual to correct after a change of current: with the current alone exactly guessed, IDACalcIC accepts
// the state at once and keeps the previous step's y' (a wrong start that IDA's error test can reject).
#include <vector>

#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/electrochem/dfn_model.hpp"  // Mesh

namespace solidcell::electrochem {

class SpmModel : public BatteryModel {
 public:
  SpmModel(CellParameters parameters, Mesh mesh);

  // DaeSystem
  std::size_t size() const override { return size_; }
  bool residual(double t, const double* y, const double* yp, double* r) const override;
  std::vector<double> differential_mask() const override;
  int lower_bandwidth() const override { return lower_bandwidth_; }
  int upper_bandwidth() const override { return upper_bandwidth_; }
  std::vector<double> absolute_tolerances(double relative_tolerance) const override;

  std::vector<double> initial_state(double soc) const override;

  std::string name() const override { return "SPM"; }
  void set_control(const Control& control) override { control_ = control; }
  const Control& control() const { return control_; }
  void set_temperature(double kelvin) override { temperature_ = kelvin; }
  double temperature() const override { return temperature_; }
  double cell_temperature(const double* y) const override { return thermal_ ? y[temperature_index_] : temperature_; }
  const CellParameters& parameters() const override { return p_; }
  const Mesh& mesh() const { return mesh_; }

  double voltage(const double* y) const override;
  double current(const double* y) const override { return y[current_index_]; }
  void guess_current(double* y, double amperes) const override { y[current_index_] = amperes; }
  double discharge_capacity_Ah(const double* y) const override { return y[capacity_index_]; }
  double lithium_moles(const double* y) const override;  // particles and electrolyte (less stripped metal)
  double open_circuit_voltage(const double* y) const override;
  Profiles profiles(const double* y) const override;

  // Surface stoichiometry of the x-averaged particle (negative: NaN for a planar lithium negative).
  double negative_surface_stoichiometry(const double* y) const;
  double positive_surface_stoichiometry(const double* y) const;
  // Volume-averaged stoichiometry of the particle (negative: NaN for a planar lithium negative).
  double negative_mean_stoichiometry(const double* y) const;
  double positive_mean_stoichiometry(const double* y) const;
  std::size_t voltage_index() const { return voltage_index_; }
  std::size_t capacity_index() const { return capacity_index_; }
  std::size_t current_index() const { return current_index_; }

 private:
  // Overpotential of an electrode's particle surface for its uniform reaction current [V]; NaN outside
  // the kinetics' domain.
  double particle_overpotential(const ElectrodeParameters& e, double surface_stoichiometry, double j, double T) const;
  double lithium_overpotential(double current_density, double T) const;
  // set_input(): the SPM caches nothing computed from its parameters, so there is nothing to refresh.
  CellParameters& mutable_parameters() override { return p_; }
  void refresh() override {}
  double surface(const double* y, std::size_t first) const;
  double mean(const double* y, std::size_t first) const;

  CellParameters p_;
  Mesh mesh_;
  bool liquid_;
  bool planar_negative_;
  std::size_t neg_ = 0;  // first negative shell
  std::size_t pos_ = 0;  // first positive shell
  std::vector<double> shell_face_;    // r/R at shell faces, 0..1
  std::vector<double> shell_volume_;  // (r_{k+1/2}^3 - r_{k-1/2}^3)/3 in units of R^3
  std::size_t size_ = 0;
  std::size_t voltage_index_ = 0;
  std::size_t capacity_index_ = 0;
  std::size_t current_index_ = 0;
  int lower_bandwidth_ = 0;
  int upper_bandwidth_ = 0;
  Control control_;
  double temperature_ = 298.15;
  bool thermal_ = false;  // lumped thermal model: the cell temperature is the last unknown
  std::size_t temperature_index_ = 0;
};

}  // namespace solidcell::electrochem
