#pragma once
// The Doyle-Fuller-Newman model, discretised once by finite volumes:
//  - liquid cells: concentrated-solution electrolyte (c_e and phi_e), porous negative and positive;
//  - solid-state cells: single-ion solid electrolyte (t+ = 1, uniform Li+, Ohm's law for phi_e), a porous
//    composite positive, and either a porous composite negative or a planar lithium negative at x = 0.
// Unknowns are ordered by x-cell (electrolyte, solid potential, particle shells), then the discharged
// capacity and the cell current, so the Jacobian is banded. Equations: docs/models.md.
#include <vector>

#include "solidcell/electrochem/battery_model.hpp"

namespace solidcell::electrochem {

struct Mesh {
  int negative = 10;   // finite volumes in each region
  int separator = 10;
  int positive = 10;
  int particle = 10;   // shells per particle
};

class DfnModel : public BatteryModel {
 public:
  DfnModel(CellParameters parameters, Mesh mesh);

  // DaeSystem
  std::size_t size() const override { return size_; }
  bool residual(double t, const double* y, const double* yp, double* r) const override;
  std::vector<double> differential_mask() const override;
  int lower_bandwidth() const override { return bandwidth_; }
  int upper_bandwidth() const override { return bandwidth_; }
  std::vector<double> absolute_tolerances(double relative_tolerance) const override;
  // Which unknowns each residual reads (dfn_jacobian_pattern.cpp), for every control kind.
  numerics::SparsityPattern jacobian_pattern() const override;

  // A state at rest at the given state of charge (0-1): uniform concentrations and potentials estimated
  // from the open-circuit voltage; the integrator makes the algebraic part consistent.
  std::vector<double> initial_state(double soc) const override;

  std::string name() const override { return liquid_ ? "DFN" : "solid-state DFN"; }
  void set_control(const Control& control) override { control_ = control; }
  const Control& control() const { return control_; }
  void set_temperature(double kelvin) override { temperature_ = kelvin; }
  double temperature() const override { return temperature_; }
  const CellParameters& parameters() const override { return p_; }
  const Mesh& mesh() const { return mesh_; }

  // Outputs from a state vector.
  double voltage(const double* y) const override;
  double current(const double* y) const override { return y[current_index_]; }
  void guess_current(double* y, double amperes) const override;
  double discharge_capacity_Ah(const double* y) const override { return y[capacity_index_]; }
  double lithium_moles(const double* y) const override;  // particles, electrolyte and SEI grown (less stripped metal)
  bool has_sei_growth() const override { return sei_; }
  double sei_lithium_moles(const double* y) const override;
  double mean_sei_thickness(const double* y) const override;
  bool has_lithium_plating() const override { return plating_; }
  bool has_active_material_loss() const override { return lam_negative_ || lam_positive_; }
  double active_material_fraction(const double* y, bool positive) const override;
  double lost_active_material_lithium_moles(const double* y, bool positive) const override;
  double plated_lithium_moles(const double* y) const override;
  double dead_lithium_moles(const double* y) const override;
  double initial_plated_lithium_moles() const override;
  // Lithium plating current density per active area of each negative cell [A/m2] (negative: plating; PyBaMM's
  // "Negative electrode lithium plating interfacial current density [A.m-2]"); empty without plating.
  std::vector<double> plating_current_density(const double* y) const;
  // Plated (reversible) and dead lithium concentration of each negative cell [mol/m3 of electrode]; empty without plating.
  std::vector<double> plated_lithium_concentration(const double* y) const;
  std::vector<double> dead_lithium_concentration(const double* y) const;
  double open_circuit_voltage(const double* y) const override;
  Profiles profiles(const double* y) const override;
  double minimum_electrolyte_concentration(const double* y) const override;
  double cell_temperature(const double* y) const override { return thermal_ ? y[temperature_index_] : temperature_; }
  std::vector<double> x_centres() const;       // cell centres [m]
  std::vector<double> electrolyte_concentration(const double* y) const;
  std::vector<double> electrolyte_potential(const double* y) const;
  std::vector<double> solid_potential(const double* y) const;  // NaN in the separator
  std::vector<double> surface_stoichiometry(const double* y) const;  // NaN in the separator
  std::size_t capacity_index() const { return capacity_index_; }
  std::size_t current_index() const { return current_index_; }

 private:
  enum class Region { negative, separator, positive };
  struct Cell {
    Region region;
    double dx;
    double x;
    std::size_t offset;  // first unknown of the cell
    double tortuosity;   // (ion-carrying fraction)^Bruggeman, fixed by the mesh and the parameters
    const ElectrodeParameters* electrode;  // null in the separator
  };

  // set_input(): the cells' widths, centres and transport factors follow the parameters; the constructor uses
  // refresh() too, so a model refreshed after an input matches a freshly built one exactly.
  CellParameters& mutable_parameters() override { return p_; }
  void refresh() override;
  double surface_concentration(const Cell& c, const double* y) const;
  // Reaction current density per active area [A/m2]; false outside the kinetics' domain.
  // With SEI growth, j_sei receives the side reaction's current density in a negative cell (else untouched).
  // With lithium plating, j_plating receives the plating/stripping current density in a negative cell (else untouched).
  bool reaction(const Cell& c, const double* y, double T, double* j, double* j_sei, double* j_plating) const;
  // Net stripping current density [A/m2] (negative: plating) at the plating overpotential eta = delta_phi - film drop.
  double plating_current(double eta, double c_e, double c_plated, double T) const;
  // And its derivative in eta.
  double plating_current_slope(double eta, double c_e, double c_plated, double T) const;
  // The SEI formation current density [A/m2] (negative: it takes electrons) by the chosen growth law.
  bool sei_current(double delta_phi, double j_main, double thickness, double T, double* j_sei) const;
  double electrolyte_fraction(const Cell& c) const;
  double bruggeman(const Cell& c) const;
  std::size_t ce(std::size_t i) const { return cells_[i].offset; }
  std::size_t phie(std::size_t i) const { return cells_[i].offset + (liquid_ ? 1 : 0); }
  std::size_t phis(std::size_t i) const { return phie(i) + 1; }
  std::size_t cs(std::size_t i, int k) const { return phis(i) + 1 + static_cast<std::size_t>(k); }
  // SEI thickness of a negative cell, after its particle shells (only with SEI growth).
  std::size_t sei(std::size_t i) const { return cs(i, mesh_.particle); }
  // Plated and dead lithium concentrations of a negative cell, after the SEI thickness (only with plating).
  std::size_t plated(std::size_t i) const { return cs(i, mesh_.particle) + (sei_ ? 1 : 0); }
  std::size_t dead(std::size_t i) const { return plated(i) + 1; }
  // With loss of active material in this cell's electrode: its active material volume fraction and the lithium per
  // electrode volume held by the material lost, after the negative's SEI and plating unknowns.
  bool lam_in(std::size_t i) const {
    return cells_[i].region == Region::negative ? lam_negative_ : cells_[i].region == Region::positive && lam_positive_;
  }
  std::size_t lam(std::size_t i) const {
    return cs(i, mesh_.particle) + (cells_[i].region == Region::negative ? (sei_ ? 1 : 0) + (plating_ ? 2 : 0) : 0);
  }
  std::size_t lam_lithium(std::size_t i) const { return lam(i) + 1; }
  // Active surface per electrode volume of an electrode cell: 3 eps / R, eps the unknown with LAM, else fixed.
  double area(std::size_t i, const double* y) const {
    return lam_in(i) ? 3.0 * y[lam(i)] / cells_[i].electrode->particle_radius_m : cells_[i].electrode->surface_area_per_volume;
  }
  // Particle-averaged concentration of an electrode cell [mol/m3].
  double mean_particle_concentration(std::size_t i, const double* y) const;
  // Electrolyte current entering the first cell through a planar lithium negative, from the kinetics there.
  bool lithium_interface_current(const double* y, double T, double* current_density) const;

  CellParameters p_;
  Mesh mesh_;
  bool liquid_;
  bool planar_negative_;
  bool sei_ = false;  // SEI growth on: one thickness unknown per negative cell
  bool plating_ = false;  // lithium plating on: plated and dead lithium concentrations per negative cell
  bool lam_negative_ = false, lam_positive_ = false;  // loss of active material: two unknowns per cell of that electrode
  std::vector<Cell> cells_;
  std::vector<double> shell_face_;    // r/R at shell faces, 0..1
  std::vector<double> shell_volume_;  // (r_{k+1/2}^3 - r_{k-1/2}^3)/3 in units of R^3
  std::size_t size_ = 0;
  bool thermal_ = false;
  std::size_t temperature_index_ = 0;
  std::size_t capacity_index_ = 0;
  std::size_t current_index_ = 0;
  int bandwidth_ = 0;
  Control control_;
  double temperature_ = 298.15;
  // Per-call work arrays of residual(), kept to avoid allocating on the hot path (one thread per model).
  struct Scratch {
    std::vector<double> reaction, side_reaction, plating_reaction, salt_flux, ionic_current, coefficient_a, coefficient_b;
  };
  mutable Scratch scratch_;
};

}  // namespace solidcell::electrochem
