#include "solidcell/electrochem/spm_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/kinetics.hpp"

namespace solidcell::electrochem {
namespace {

constexpr double F = constants::faraday_C_per_mol;
constexpr double R = constants::gas_constant_J_per_mol_K;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// dU/dT of an electrode [V/K] at a stoichiometry (zero without entropic data).
double entropic_coefficient(const ElectrodeParameters& e, double x) {
  return e.entropic_coefficient ? (*e.entropic_coefficient)(std::clamp(x, 0.0, 1.0)) : 0.0;
}

// The OCP at T = T_ref + dT, shifted by dT dU/dT as the DFN's.
double ocp_at(const ElectrodeParameters& e, double x, double dT) { return electrode_ocp(e, x) + dT * entropic_coefficient(e, x); }

}  // namespace

SpmModel::SpmModel(CellParameters parameters, Mesh mesh)
    : p_(std::move(parameters)), mesh_(mesh), liquid_(p_.electrolyte.has_value()), planar_negative_(p_.lithium_metal.has_value()) {
  temperature_ = p_.reference_temperature_K;
  if (mesh_.particle < 2) throw InputError(InputLocation{"", 0, "model"}, "\"spm\"", "needs at least 2 shells per particle");
  if (!planar_negative_ && !p_.negative)
    throw InputError(InputLocation{"", 0, "model"}, "\"spm\"", "the cell has neither a porous nor a lithium-metal negative");
  const auto nr = static_cast<std::size_t>(mesh_.particle);
  std::size_t offset = 0;
  if (!planar_negative_) {
    neg_ = offset;
    offset += nr;
  }
  pos_ = offset;
  offset += nr;
  voltage_index_ = offset++;
  capacity_index_ = offset++;
  current_index_ = offset++;
  thermal_ = p_.thermal.has_value();
  if (thermal_) temperature_index_ = offset++;
  size_ = offset;

  for (int k = 0; k <= mesh_.particle; ++k) shell_face_.push_back(static_cast<double>(k) / mesh_.particle);
  for (int k = 0; k < mesh_.particle; ++k) shell_volume_.push_back((std::pow(shell_face_[k + 1], 3) - std::pow(shell_face_[k], 3)) / 3.0);

  // Couplings: shells with their neighbours; the current drives the two surface shells, the voltage and the
  // capacity; the voltage reads the two outermost shells of each particle; the control reads both.
  const std::size_t first_shell = planar_negative_ ? pos_ : neg_;
  lower_bandwidth_ = static_cast<int>(voltage_index_ - (first_shell + nr - 2));
  upper_bandwidth_ = static_cast<int>(current_index_ - (first_shell + nr - 1));
  if (thermal_) {  // the temperature, last, reaches every row through the Arrhenius factors
    upper_bandwidth_ = static_cast<int>(temperature_index_ - first_shell);
    lower_bandwidth_ = static_cast<int>(temperature_index_ - first_shell);
  }
}

double SpmModel::surface(const double* y, std::size_t first) const {
  // Linear extrapolation from the two outermost shell centres to r = R (PyBaMM's boundary value; the flux
  // condition is not used).
  const auto n = static_cast<std::size_t>(mesh_.particle);
  return 1.5 * y[first + n - 1] - 0.5 * y[first + n - 2];
}

double SpmModel::mean(const double* y, std::size_t first) const {
  double sum = 0.0;
  for (int k = 0; k < mesh_.particle; ++k) sum += y[first + static_cast<std::size_t>(k)] * shell_volume_[k] * 3.0;
  return sum;
}

double SpmModel::negative_surface_stoichiometry(const double* y) const {
  return planar_negative_ ? nan : surface(y, neg_) / p_.negative->max_concentration;
}
double SpmModel::positive_surface_stoichiometry(const double* y) const { return surface(y, pos_) / p_.positive.max_concentration; }
double SpmModel::negative_mean_stoichiometry(const double* y) const {
  return planar_negative_ ? nan : mean(y, neg_) / p_.negative->max_concentration;
}
double SpmModel::positive_mean_stoichiometry(const double* y) const { return mean(y, pos_) / p_.positive.max_concentration; }

double SpmModel::particle_overpotential(const ElectrodeParameters& e, double x, double j, double T) const {
  if (!std::isfinite(x)) return nan;
  // j0 = m c_e^1/2 c_s^1/2 (c_max - c_s)^1/2. PyBaMM's SPM takes the root of the (constant) c_e exactly and
  // regularises the other two at scale c_max: sqrt(c_s) -> c_max^1/2 * regularised_sqrt(x).
  x = std::clamp(x, 0.0, 1.0);
  double j0 = e.exchange_current_reference * arrhenius(e.exchange_current_activation_energy, T, p_.reference_temperature_K) * 2.0 *
              regularised_sqrt(x) * regularised_sqrt(1.0 - x);
  if (liquid_) j0 *= std::sqrt(p_.electrolyte->initial_concentration / 1000.0);
  return inverse_butler_volmer(j, j0, T) + j * e.interface_resistance;
}

double SpmModel::lithium_overpotential(double current_density, double T) const {
  // phi_neg - phi_e at the planar negative (lithium, or an alloy foil at its plateau potential): the
  // plateau plus the overpotential (positive when it strips, on discharge), as the DFN's interface
  // without the electrolyte's resistance.
  const auto& li = *p_.lithium_metal;
  return li.open_circuit_potential + inverse_butler_volmer(current_density, li.exchange_current_density, T) +
         current_density * li.interface_resistance;
}

bool SpmModel::residual(double t, const double* y, const double* yp, double* r) const {
  const double T = cell_temperature(y);
  const double current_density = y[current_index_] / p_.electrode_area_m2;
  if (!std::isfinite(current_density)) return false;

  // Particles: Fick's law in spherical shells; the uniform reaction current a j L = +-i leaves through
  // the surface (j > 0 in the negative on discharge).
  const int nr = mesh_.particle;
  auto particle = [&](const ElectrodeParameters& e, std::size_t first, double j) {
    const double rad = e.particle_radius_m;
    const double d = e.diffusivity * arrhenius(e.diffusivity_activation_energy, T, p_.reference_temperature_K);
    const double dr = rad / nr;
    double inflow_inner = 0.0;  // r^2 N at the inner face of shell k, in units of R^2
    for (int k = 0; k < nr; ++k) {
      const std::size_t i = first + static_cast<std::size_t>(k);
      double outer_face_flux = k + 1 < nr ? shell_face_[k + 1] * shell_face_[k + 1] * (-d * (y[i + 1] - y[i]) / dr) : j / F;
      r[i] = yp[i] + (outer_face_flux - inflow_inner) / (shell_volume_[k] * rad);
      inflow_inner = outer_face_flux;
    }
  };
  if (!planar_negative_) {
    const auto& e = *p_.negative;
    particle(e, neg_, current_density / (e.surface_area_per_volume * e.thickness_m));
  }
  particle(p_.positive, pos_, -current_density / (p_.positive.surface_area_per_volume * p_.positive.thickness_m));

  r[voltage_index_] = y[voltage_index_] - voltage(y);
  r[capacity_index_] = yp[capacity_index_] - y[current_index_] / constants::seconds_per_hour;
  if (thermal_) {
    // Lumped energy balance, as the DFN's: I (U_ocv - V) plus the reversible heat, less the cooling. The DFN's
    // sum of a j T dU/dT over the cells, with the uniform reaction a j L = +-i at the particles' surfaces, is
    // Bernardi's -I T (dU_p/dT - dU_n/dT).
    const auto& th = *p_.thermal;
    double heat = y[current_index_] * (open_circuit_voltage(y) - y[voltage_index_]);
    double dUdT = entropic_coefficient(p_.positive, positive_surface_stoichiometry(y));
    if (!planar_negative_) dUdT -= entropic_coefficient(*p_.negative, negative_surface_stoichiometry(y));
    heat -= y[current_index_] * T * dUdT;
    r[temperature_index_] = lumped_thermal_residual(th, yp[temperature_index_], heat, T, temperature_);
  }
  r[current_index_] = control_residual(control_, t, y[current_index_], y[voltage_index_]);
  return std::isfinite(r[voltage_index_]) && std::isfinite(r[current_index_]);
}

std::vector<double> SpmModel::differential_mask() const {
  std::vector<double> id(size_, 1.0);
  id[voltage_index_] = 0.0;
  id[current_index_] = 0.0;
  if (thermal_) id[temperature_index_] = 1.0;
  return id;
}

std::vector<double> SpmModel::absolute_tolerances(double rtol) const {
  std::vector<double> atol(size_, rtol);
  const auto nr = static_cast<std::size_t>(mesh_.particle);
  if (!planar_negative_)
    for (std::size_t k = 0; k < nr; ++k) atol[neg_ + k] = rtol * p_.negative->max_concentration;
  for (std::size_t k = 0; k < nr; ++k) atol[pos_ + k] = rtol * p_.positive.max_concentration;
  atol[capacity_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  if (thermal_) atol[temperature_index_] = rtol * 300.0;
  atol[current_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  return atol;
}

std::vector<double> SpmModel::initial_state(double soc) const {
  std::vector<double> y(size_, 0.0);
  auto sto = [&](const ElectrodeParameters& e) { return e.stoichiometry_at_0_soc + soc * (e.stoichiometry_at_100_soc - e.stoichiometry_at_0_soc); };
  const auto nr = static_cast<std::size_t>(mesh_.particle);
  if (!planar_negative_)
    for (std::size_t k = 0; k < nr; ++k) y[neg_ + k] = sto(*p_.negative) * p_.negative->max_concentration;
  for (std::size_t k = 0; k < nr; ++k) y[pos_ + k] = sto(p_.positive) * p_.positive.max_concentration;
  // The voltage starts at the open-circuit value: off by the overpotentials unless the cell rests, so the
  // consistent-initial-value solve corrects it and computes y' with it.
  y[voltage_index_] = open_circuit_voltage(y.data());
  y[capacity_index_] = 0.0;
  if (thermal_) y[temperature_index_] = temperature_;
  switch (control_.kind) {
    case ControlKind::current: y[current_index_] = control_.at(0.0); break;
    case ControlKind::power: y[current_index_] = control_.at(0.0) / open_circuit_voltage(y.data()); break;
    case ControlKind::voltage: y[current_index_] = 0.0; break;
    case ControlKind::resistance: y[current_index_] = open_circuit_voltage(y.data()) / control_.at(0.0); break;
  }
  return y;
}

double SpmModel::voltage(const double* y) const {
  // V = U_p(x_surf,p) - U_n(x_surf,n) + eta_p - eta_n (PyBaMM's leading-order ohm and conductivity: no
  // electrolyte or solid ohmic terms).
  const double T = cell_temperature(y);
  const double current_density = y[current_index_] / p_.electrode_area_m2;
  const auto& pe = p_.positive;
  double x_p = positive_surface_stoichiometry(y);
  double eta_p = particle_overpotential(pe, x_p, -current_density / (pe.surface_area_per_volume * pe.thickness_m), T);
  const double dT = T - p_.reference_temperature_K;
  double v = ocp_at(pe, x_p, dT) + eta_p;
  if (planar_negative_) return v - lithium_overpotential(current_density, T);
  const auto& ne = *p_.negative;
  double x_n = negative_surface_stoichiometry(y);
  double eta_n = particle_overpotential(ne, x_n, current_density / (ne.surface_area_per_volume * ne.thickness_m), T);
  return v - ocp_at(ne, x_n, dT) - eta_n;
}

double SpmModel::open_circuit_voltage(const double* y) const {
  const double dT = cell_temperature(y) - p_.reference_temperature_K;
  double u_pos = ocp_at(p_.positive, positive_mean_stoichiometry(y), dT);
  double u_neg = planar_negative_ ? p_.lithium_metal->open_circuit_potential : ocp_at(*p_.negative, negative_mean_stoichiometry(y), dT);
  return u_pos - u_neg;
}

double SpmModel::lithium_moles(const double* y) const {
  // The x-averaged particle stands for every particle of its electrode; the electrolyte keeps its initial
  // concentration.
  double total = p_.positive.active_fraction * mean(y, pos_) * p_.positive.thickness_m;
  if (!planar_negative_) total += p_.negative->active_fraction * mean(y, neg_) * p_.negative->thickness_m;
  if (liquid_) {
    double c0 = p_.electrolyte->initial_concentration;
    total += c0 * (p_.negative->electrolyte_fraction * p_.negative->thickness_m + p_.separator.electrolyte_fraction * p_.separator.thickness_m +
                   p_.positive.electrolyte_fraction * p_.positive.thickness_m);
  }
  total *= p_.electrode_area_m2;
  if (planar_negative_) total -= y[capacity_index_] * constants::seconds_per_hour / F;  // stripped from the metal
  return total;
}

Profiles SpmModel::profiles(const double* y) const {
  // Uniform in x: phi_s = 0 in the negative and V in the positive, phi_e = -(U_n + eta_n).
  Profiles out;
  const double T = cell_temperature(y);
  const double current_density = y[current_index_] / p_.electrode_area_m2;
  const double v = voltage(y);
  double phi_e = 0.0;
  double x_n = nan;
  if (planar_negative_) {
    phi_e = -lithium_overpotential(current_density, T);
  } else {
    const auto& ne = *p_.negative;
    x_n = negative_surface_stoichiometry(y);
    phi_e = -ocp_at(ne, x_n, T - p_.reference_temperature_K) -
            particle_overpotential(ne, x_n, current_density / (ne.surface_area_per_volume * ne.thickness_m), T);
  }
  const double x_p = positive_surface_stoichiometry(y);
  const double c_e = liquid_ ? p_.electrolyte->initial_concentration : nan;
  double x0 = 0.0;
  auto region = [&](int n, double thickness, double phi_s, double sto) {
    double dx = thickness / n;
    for (int k = 0; k < n; ++k) {
      out.x_m.push_back(x0 + (k + 0.5) * dx);
      out.electrolyte_concentration.push_back(c_e);
      out.electrolyte_potential.push_back(phi_e);
      out.solid_potential.push_back(phi_s);
      out.surface_stoichiometry.push_back(sto);
    }
    x0 += thickness;
  };
  if (!planar_negative_) region(mesh_.negative, p_.negative->thickness_m, 0.0, x_n);
  region(mesh_.separator, p_.separator.thickness_m, nan, nan);
  region(mesh_.positive, p_.positive.thickness_m, v, x_p);
  return out;
}

}  // namespace solidcell::electrochem
