#pragma once
// The single-particle model with electrolyte (SPMe) as PyBaMM discretises it (docs/pybamm-conventions.md,
// sections 5 and 7), for liquid cells with a porous negative:
//  - one x-averaged particle per electrode with a uniform reaction current (as the SPM);
//  - the electrolyte concentration on the x mesh, driven by PyBaMM's analytic electrolyte current;
//  - inverse Butler-Volmer with the local electrolyte concentration, the x-average of the overpotential,
//    and PyBaMM's composite expressions for the electrolyte and solid potentials (closed voltage formula).
// Unknowns: negative particle shells, positive particle shells, the electrolyte concentration at the x
// cells (negative, separator, positive), then the terminal voltage (algebraic; see spm_model.hpp for why),
// the discharged capacity and the cell current (algebraic, carrying the DFN's control equation).
#include <vector>

#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/electrochem/dfn_model.hpp"  // Mesh

namespace solidcell::electrochem {

class SpmeModel : public BatteryModel {
 public:
  // Throws InputError (field "model") for a cell without a liquid electrolyte or a porous negative.
  SpmeModel(CellParameters parameters, Mesh mesh);

  // DaeSystem
  std::size_t size() const override { return size_; }
  bool residual(double t, const double* y, const double* yp, double* r) const override;
  std::vector<double> differential_mask() const override;
  int lower_bandwidth() const override { return lower_bandwidth_; }
  int upper_bandwidth() const override { return upper_bandwidth_; }
  std::vector<double> absolute_tolerances(double relative_tolerance) const override;

  std::vector<double> initial_state(double soc) const override;

  std::string name() const override { return "SPMe"; }
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
  double lithium_moles(const double* y) const override;  // particles and electrolyte
  double open_circuit_voltage(const double* y) const override;
  Profiles profiles(const double* y) const override;

  std::vector<double> x_centres() const;  // cell centres [m]
  std::vector<double> electrolyte_concentration(const double* y) const;
  double negative_surface_stoichiometry(const double* y) const;
  double positive_surface_stoichiometry(const double* y) const;
  double negative_mean_stoichiometry(const double* y) const;
  double positive_mean_stoichiometry(const double* y) const;
  std::size_t voltage_index() const { return voltage_index_; }
  std::size_t capacity_index() const { return capacity_index_; }
  std::size_t current_index() const { return current_index_; }

 private:
  enum class Region { negative, separator, positive };
  struct Cell {
    Region region;
    double dx;
    double x;
    double eps;     // electrolyte volume fraction
    double tort;    // transport efficiency eps^b
  };
  struct Potentials {
    double voltage;
    std::vector<double> phi_e;  // at every x cell
    std::vector<double> phi_s;  // at every x cell (NaN in the separator)
  };
  // PyBaMM's composite potentials; with `all` false only the voltage is computed.
  Potentials potentials(const double* y, bool all) const;
  double surface(const double* y, std::size_t first) const;
  double mean(const double* y, std::size_t first) const;
  // The exchange current density's factors that do not depend on c_e (one surface stoichiometry per electrode
  // in the SPMe), so the x-loops over c_e evaluate only sqrt(c_e) per cell.
  double exchange_current_factor(const ElectrodeParameters& e, double surface_stoichiometry, double T) const;
  double overpotential_with_factor(const ElectrodeParameters& e, double factor, double c_e, double j, double T) const;
  // set_input(): the x cells' widths, centres, fractions and transport factors follow the parameters; the
  // constructor uses refresh() too, so a refreshed model matches a freshly built one exactly.
  CellParameters& mutable_parameters() override { return p_; }
  void refresh() override;
  std::size_t ce(std::size_t i) const { return ce_ + i; }

  CellParameters p_;
  Mesh mesh_;
  std::vector<Cell> cells_;
  std::size_t neg_ = 0;  // first negative shell
  std::size_t pos_ = 0;  // first positive shell
  std::size_t ce_ = 0;   // first electrolyte unknown
  std::size_t n_neg_ = 0, n_sep_ = 0, n_pos_ = 0;
  std::vector<double> shell_face_;
  std::vector<double> shell_volume_;
  std::size_t size_ = 0;
  std::size_t voltage_index_ = 0;
  std::size_t capacity_index_ = 0;
  std::size_t current_index_ = 0;
  // Per-call work arrays of residual(), kept to avoid allocating on the hot path (one thread per model, as the DFN's).
  struct Scratch {
    std::vector<double> d_eff, i_e, source, flux;
  };
  mutable Scratch scratch_;
  int lower_bandwidth_ = 0;
  int upper_bandwidth_ = 0;
  Control control_;
  double temperature_ = 298.15;
  bool thermal_ = false;  // lumped thermal model: the cell temperature is the last unknown
  std::size_t temperature_index_ = 0;
};

}  // namespace solidcell::electrochem
