#include "solidcell/electrochem/spme_model.hpp"

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

[[noreturn]] void unsupported(const std::string& why) { throw InputError(InputLocation{"", 0, "model"}, "\"spme\"", why); }

}  // namespace

SpmeModel::SpmeModel(CellParameters parameters, Mesh mesh) : p_(std::move(parameters)), mesh_(mesh) {
  temperature_ = p_.reference_temperature_K;
  if (!p_.electrolyte)
    unsupported("the SPMe needs a liquid electrolyte; use \"spm\" or \"dfn\" for a solid-state cell");
  if (!p_.negative) unsupported("the SPMe needs a porous negative electrode; use \"spm\" or \"dfn\" for a lithium-metal negative");
  if (mesh_.particle < 2 || mesh_.negative < 2 || mesh_.separator < 1 || mesh_.positive < 2)
    unsupported("needs at least 2 shells per particle and 2 cells in each electrode");

  const auto nr = static_cast<std::size_t>(mesh_.particle);
  neg_ = 0;
  pos_ = nr;
  ce_ = 2 * nr;
  double x = 0.0;
  auto add_region = [&](Region region, int n, double thickness, double eps, double bruggeman) {
    double dx = thickness / n;
    for (int k = 0; k < n; ++k) cells_.push_back(Cell{region, dx, x + (k + 0.5) * dx, eps, std::pow(eps, bruggeman)});
    x += thickness;
  };
  const auto& ne = *p_.negative;
  const auto& pe = p_.positive;
  add_region(Region::negative, mesh_.negative, ne.thickness_m, ne.electrolyte_fraction, ne.bruggeman);
  add_region(Region::separator, mesh_.separator, p_.separator.thickness_m, p_.separator.electrolyte_fraction, p_.separator.bruggeman);
  add_region(Region::positive, mesh_.positive, pe.thickness_m, pe.electrolyte_fraction, pe.bruggeman);
  n_neg_ = static_cast<std::size_t>(mesh_.negative);
  n_sep_ = static_cast<std::size_t>(mesh_.separator);
  n_pos_ = static_cast<std::size_t>(mesh_.positive);
  voltage_index_ = ce_ + cells_.size();
  capacity_index_ = voltage_index_ + 1;
  current_index_ = capacity_index_ + 1;
  thermal_ = p_.thermal.has_value();
  if (thermal_) temperature_index_ = current_index_ + 1;
  size_ = (thermal_ ? temperature_index_ : current_index_) + 1;

  for (int k = 0; k <= mesh_.particle; ++k) shell_face_.push_back(static_cast<double>(k) / mesh_.particle);
  for (int k = 0; k < mesh_.particle; ++k) shell_volume_.push_back((std::pow(shell_face_[k + 1], 3) - std::pow(shell_face_[k], 3)) / 3.0);

  // Couplings: shells and x cells with their neighbours; the current drives the surface shells, every
  // electrolyte cell, the voltage and the capacity; the voltage reads the two outermost shells of each
  // particle and every electrolyte cell; the control reads the voltage and the current.
  lower_bandwidth_ = static_cast<int>(voltage_index_ - (neg_ + nr - 2));
  upper_bandwidth_ = static_cast<int>(current_index_ - (neg_ + nr - 1));
  if (thermal_) {  // the temperature, last, reaches the particle and voltage rows through the Arrhenius factors
    upper_bandwidth_ = std::max(upper_bandwidth_, static_cast<int>(temperature_index_ - neg_));
    lower_bandwidth_ = std::max(lower_bandwidth_, static_cast<int>(temperature_index_ - neg_));
  }
  refresh();
}

void SpmeModel::refresh() {
  // The constructor's arithmetic, region by region: a model refreshed after set_input() is bit for bit a fresh one.
  std::size_t i = 0;
  double x = 0.0;
  auto region = [&](std::size_t n, double thickness, double eps, double bruggeman) {
    const double dx = thickness / static_cast<double>(n);
    for (std::size_t k = 0; k < n; ++k, ++i)
      cells_[i] = Cell{cells_[i].region, dx, x + (static_cast<double>(k) + 0.5) * dx, eps, std::pow(eps, bruggeman)};
    x += thickness;
  };
  const auto& ne = *p_.negative;
  const auto& pe = p_.positive;
  region(n_neg_, ne.thickness_m, ne.electrolyte_fraction, ne.bruggeman);
  region(n_sep_, p_.separator.thickness_m, p_.separator.electrolyte_fraction, p_.separator.bruggeman);
  region(n_pos_, pe.thickness_m, pe.electrolyte_fraction, pe.bruggeman);
}

double SpmeModel::surface(const double* y, std::size_t first) const {
  // Linear extrapolation from the two outermost shell centres to r = R (PyBaMM's boundary value).
  const auto n = static_cast<std::size_t>(mesh_.particle);
  return 1.5 * y[first + n - 1] - 0.5 * y[first + n - 2];
}

double SpmeModel::mean(const double* y, std::size_t first) const {
  double sum = 0.0;
  for (int k = 0; k < mesh_.particle; ++k) sum += y[first + static_cast<std::size_t>(k)] * shell_volume_[k] * 3.0;
  return sum;
}

double SpmeModel::negative_surface_stoichiometry(const double* y) const { return surface(y, neg_) / p_.negative->max_concentration; }
double SpmeModel::positive_surface_stoichiometry(const double* y) const { return surface(y, pos_) / p_.positive.max_concentration; }
double SpmeModel::negative_mean_stoichiometry(const double* y) const { return mean(y, neg_) / p_.negative->max_concentration; }
double SpmeModel::positive_mean_stoichiometry(const double* y) const { return mean(y, pos_) / p_.positive.max_concentration; }

double SpmeModel::exchange_current_factor(const ElectrodeParameters& e, double x, double T) const {
  // j0 = m c_e^1/2 c_s^1/2 (c_max - c_s)^1/2 with PyBaMM's SPMe regularisation: c_e at scale 1000, c_s and
  // c_max - c_s at scale 1 (in mol/m3, so practically exact). With m = 2 j0_ref / (sqrt(1000) c_max); this is
  // all of it but the c_e factor.
  if (!std::isfinite(x)) return nan;
  const double c_max = e.max_concentration;
  x = std::clamp(x, 0.0, 1.0);
  return e.exchange_current_reference * arrhenius(e.exchange_current_activation_energy, T, p_.reference_temperature_K) * 2.0 / c_max *
         regularised_sqrt(x * c_max) * regularised_sqrt((1.0 - x) * c_max);
}

double SpmeModel::overpotential_with_factor(const ElectrodeParameters& e, double factor, double c_e, double j, double T) const {
  if (!std::isfinite(factor) || !std::isfinite(c_e)) return nan;
  const double j0 = factor * regularised_sqrt(std::max(c_e, 0.0) / 1000.0);
  return inverse_butler_volmer(j, j0, T) + j * e.interface_resistance;
}

SpmeModel::Potentials SpmeModel::potentials(const double* y, bool all) const {
  // PyBaMM's composite conductivity and composite ohm (SUB/electrolyte_conductivity/composite_conductivity.py,
  // SUB/electrode/ohm/composite_ohm.py), evaluated at the x nodes exactly as PyBaMM discretises them: the
  // analytic profiles are averaged by the midpoint rule and phi_s,p(L) is the linear extrapolation of the
  // last two nodes, which gives the h^2 terms of docs/pybamm-conventions.md section 7.
  const double T = cell_temperature(y);
  const double RT_F = R * T / F;
  const auto& el = *p_.electrolyte;
  const auto& ne = *p_.negative;
  const auto& pe = p_.positive;
  const double i = y[current_index_] / p_.electrode_area_m2;
  const double L_n = ne.thickness_m, L_s = p_.separator.thickness_m, L_p = pe.thickness_m;
  const double L = L_n + L_s + L_p;
  const std::size_t n = cells_.size();

  // "X-averaged electrolyte concentration" as PyBaMM 26.10 computes it: x_average(eps c_e / eps) is
  // rewritten as x_average(eps c_e) * x_average(1 / eps) (docs/pybamm-conventions.md, section 4 item 6),
  // which is ~1036 mol/m3 on the LG M50 rather than ~1000. In the voltage it enters only kappa-bar (the ln
  // terms cancel it): 0.06 mV at 1C.
  double eps_c = 0.0, inv_eps = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    eps_c += cells_[k].eps * y[ce(k)] * cells_[k].dx;
    inv_eps += cells_[k].dx / cells_[k].eps;
  }
  const double c_av = (eps_c / L) * (inv_eps / L);
  const double kappa = el.conductivity(std::max(c_av, 10.0)) * arrhenius(el.conductivity_activation_energy, T, p_.reference_temperature_K);
  const double kap_n = kappa * cells_.front().tort;
  const double kap_s = kappa * cells_[n_neg_].tort;
  const double kap_p = kappa * cells_.back().tort;
  const double chi_RT_F = 2.0 * (1.0 - el.transference_number) * el.thermodynamic_factor * RT_F;
  auto macinnes = [&](std::size_t k) { return std::log(std::max(y[ce(k)] / c_av, 1e-15)); };

  const double x_n = negative_surface_stoichiometry(y);
  const double x_p = positive_surface_stoichiometry(y);
  const double j_n = i / (ne.surface_area_per_volume * L_n);
  const double j_p = -i / (pe.surface_area_per_volume * L_p);
  const double sig_n = ne.effective_conductivity();
  const double sig_p = pe.effective_conductivity();
  auto phi_s_n = [&](double x) { return (i / sig_n) * x * (x - 2.0 * L_n) / (2.0 * L_n); };
  auto phi_e_p_rel = [&](std::size_t k) {  // phi_e,p - phi_e_const
    double x = cells_[k].x;
    return chi_RT_F * macinnes(k) - (i / kap_p) * (x * (2.0 * L - x) + L_p * L_p - L * L) / (2.0 * L_p) - i * (L - L_p) / kap_s;
  };

  // x-averages over the negative (midpoint rule): overpotential with the local c_e, phi_s, MacInnes term.
  double eta_n = 0.0, phis_n = 0.0, mac_n = 0.0;
  const double factor_n = exchange_current_factor(ne, x_n, T);
  for (std::size_t k = 0; k < n_neg_; ++k) {
    const double w = cells_[k].dx / L_n;
    eta_n += w * overpotential_with_factor(ne, factor_n, y[ce(k)], j_n, T);
    phis_n += w * phi_s_n(cells_[k].x);
    mac_n += w * macinnes(k);
  }
  const double dphi_n = eta_n + ocp_at(ne, x_n, T - p_.reference_temperature_K);
  const double phi_e_const = -dphi_n + phis_n - chi_RT_F * mac_n - i * L_n * (1.0 / (3.0 * kap_n) - 1.0 / kap_s);

  double eta_p = 0.0, phie_p = 0.0;
  const double factor_p = exchange_current_factor(pe, x_p, T);
  for (std::size_t k = n_neg_ + n_sep_; k < n; ++k) {
    const double w = cells_[k].dx / L_p;
    eta_p += w * overpotential_with_factor(pe, factor_p, y[ce(k)], j_p, T);
    phie_p += w * (phi_e_const + phi_e_p_rel(k));
  }
  const double dphi_p = eta_p + ocp_at(pe, x_p, T - p_.reference_temperature_K);
  const double phi_s_const = dphi_p + phie_p + (i / sig_p) * (L - L_p / 3.0);
  auto phi_s_p = [&](double x) { return phi_s_const - (i / sig_p) * (x + (x - L) * (x - L) / (2.0 * L_p)); };

  Potentials out;
  out.voltage = 1.5 * phi_s_p(cells_[n - 1].x) - 0.5 * phi_s_p(cells_[n - 2].x);
  if (!all) return out;
  for (std::size_t k = 0; k < n; ++k) {
    const double x = cells_[k].x;
    switch (cells_[k].region) {
      case Region::negative:
        out.phi_e.push_back(phi_e_const + chi_RT_F * macinnes(k) - (i / kap_n) * (x * x - L_n * L_n) / (2.0 * L_n) - i * L_n / kap_s);
        out.phi_s.push_back(phi_s_n(x));
        break;
      case Region::separator:
        out.phi_e.push_back(phi_e_const + chi_RT_F * macinnes(k) - (i / kap_s) * x);
        out.phi_s.push_back(nan);
        break;
      case Region::positive:
        out.phi_e.push_back(phi_e_const + phi_e_p_rel(k));
        out.phi_s.push_back(phi_s_p(x));
        break;
    }
  }
  return out;
}

bool SpmeModel::residual(double t, const double* y, const double* yp, double* r) const {
  const double T = cell_temperature(y);
  const auto& el = *p_.electrolyte;
  const auto& ne = *p_.negative;
  const auto& pe = p_.positive;
  const double i = y[current_index_] / p_.electrode_area_m2;
  if (!std::isfinite(i)) return false;

  // Particles: as the SPM, a uniform reaction current a j L = +-i through the surface of each particle.
  const int nr = mesh_.particle;
  auto particle = [&](const ElectrodeParameters& e, std::size_t first, double j) {
    const double rad = e.particle_radius_m;
    const double d = e.diffusivity * arrhenius(e.diffusivity_activation_energy, T, p_.reference_temperature_K);
    const double dr = rad / nr;
    double inflow_inner = 0.0;  // r^2 N at the inner face of shell k, in units of R^2
    for (int k = 0; k < nr; ++k) {
      const std::size_t s = first + static_cast<std::size_t>(k);
      double outer_face_flux = k + 1 < nr ? shell_face_[k + 1] * shell_face_[k + 1] * (-d * (y[s + 1] - y[s]) / dr) : j / F;
      r[s] = yp[s] + (outer_face_flux - inflow_inner) / (shell_volume_[k] * rad);
      inflow_inner = outer_face_flux;
    }
  };
  particle(ne, neg_, i / (ne.surface_area_per_volume * ne.thickness_m));
  particle(pe, pos_, -i / (pe.surface_area_per_volume * pe.thickness_m));

  // Electrolyte: eps dc_e/dt = -div N_e + s/F, N_e = -[B D_e]_harmonic dc_e/dx + t+ i_e / F, no flux at
  // x = 0 and L. PyBaMM's i_e is analytic at the nodes (i x/L_n, i, i (L - x)/L_p) and reaches the faces
  // by linear interpolation, so at the electrode | separator faces it is not exactly i.
  const std::size_t n = cells_.size();
  const double L = ne.thickness_m + p_.separator.thickness_m + pe.thickness_m;
  const double d_arr = arrhenius(el.diffusivity_activation_energy, T, p_.reference_temperature_K);
  auto& d_eff = scratch_.d_eff;
  auto& i_e = scratch_.i_e;
  auto& source = scratch_.source;
  d_eff.resize(n);
  i_e.resize(n);
  source.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Cell& c = cells_[k];
    if (!std::isfinite(y[ce(k)])) return false;
    // Transport functions are fitted above 10 mol/m3; a depleted electrolyte keeps their value there.
    d_eff[k] = c.tort * el.diffusivity(std::max(y[ce(k)], 10.0)) * d_arr;
    switch (c.region) {
      case Region::negative: i_e[k] = i * c.x / ne.thickness_m; source[k] = i / ne.thickness_m; break;
      case Region::separator: i_e[k] = i; source[k] = 0.0; break;
      case Region::positive: i_e[k] = i * (L - c.x) / pe.thickness_m; source[k] = -i / pe.thickness_m; break;
    }
  }
  auto& flux = scratch_.flux;
  flux.assign(n + 1, 0.0);
  for (std::size_t f = 1; f < n; ++f) {
    const Cell& a = cells_[f - 1];
    const Cell& b = cells_[f];
    const double h = 0.5 * (a.dx + b.dx);
    const double beta = a.dx / (a.dx + b.dx);
    const double d_face = 1.0 / (beta / d_eff[f - 1] + (1.0 - beta) / d_eff[f]);
    const double i_face = (1.0 - beta) * i_e[f - 1] + beta * i_e[f];
    flux[f] = -d_face * (y[ce(f)] - y[ce(f - 1)]) / h + el.transference_number * i_face / F;
  }
  for (std::size_t k = 0; k < n; ++k)
    r[ce(k)] = cells_[k].eps * yp[ce(k)] + (flux[k + 1] - flux[k]) / cells_[k].dx - source[k] / F;

  r[voltage_index_] = y[voltage_index_] - voltage(y);
  r[capacity_index_] = yp[capacity_index_] - y[current_index_] / constants::seconds_per_hour;
  if (thermal_) {
    // Lumped energy balance, as the DFN's: I (U_ocv - V) plus the reversible heat -I T (dU_p/dT - dU_n/dT) at
    // the particles' surfaces (the DFN's sum of a j T dU/dT with a uniform reaction), less the cooling.
    const auto& th = *p_.thermal;
    double heat = y[current_index_] * (open_circuit_voltage(y) - y[voltage_index_]);
    heat -= y[current_index_] * T *
            (entropic_coefficient(pe, positive_surface_stoichiometry(y)) - entropic_coefficient(ne, negative_surface_stoichiometry(y)));
    r[temperature_index_] = lumped_thermal_residual(th, yp[temperature_index_], heat, T, temperature_);
  }
  r[current_index_] = control_residual(control_, t, y[current_index_], y[voltage_index_]);
  return std::isfinite(r[voltage_index_]) && std::isfinite(r[current_index_]);
}

std::vector<double> SpmeModel::differential_mask() const {
  std::vector<double> id(size_, 1.0);
  id[voltage_index_] = 0.0;
  id[current_index_] = 0.0;
  if (thermal_) id[temperature_index_] = 1.0;
  return id;
}

std::vector<double> SpmeModel::absolute_tolerances(double rtol) const {
  std::vector<double> atol(size_, rtol);
  const auto nr = static_cast<std::size_t>(mesh_.particle);
  for (std::size_t k = 0; k < nr; ++k) {
    atol[neg_ + k] = rtol * p_.negative->max_concentration;
    atol[pos_ + k] = rtol * p_.positive.max_concentration;
  }
  for (std::size_t k = 0; k < cells_.size(); ++k) atol[ce(k)] = rtol * p_.electrolyte->initial_concentration;
  atol[capacity_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  if (thermal_) atol[temperature_index_] = rtol * 300.0;
  atol[current_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  return atol;
}

std::vector<double> SpmeModel::initial_state(double soc) const {
  std::vector<double> y(size_, 0.0);
  auto sto = [&](const ElectrodeParameters& e) { return e.stoichiometry_at_0_soc + soc * (e.stoichiometry_at_100_soc - e.stoichiometry_at_0_soc); };
  const auto nr = static_cast<std::size_t>(mesh_.particle);
  for (std::size_t k = 0; k < nr; ++k) {
    y[neg_ + k] = sto(*p_.negative) * p_.negative->max_concentration;
    y[pos_ + k] = sto(p_.positive) * p_.positive.max_concentration;
  }
  for (std::size_t k = 0; k < cells_.size(); ++k) y[ce(k)] = p_.electrolyte->initial_concentration;
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

double SpmeModel::voltage(const double* y) const { return potentials(y, false).voltage; }

double SpmeModel::open_circuit_voltage(const double* y) const {
  const double dT = cell_temperature(y) - p_.reference_temperature_K;
  return ocp_at(p_.positive, positive_mean_stoichiometry(y), dT) - ocp_at(*p_.negative, negative_mean_stoichiometry(y), dT);
}

double SpmeModel::lithium_moles(const double* y) const {
  double total = p_.positive.active_fraction * mean(y, pos_) * p_.positive.thickness_m +
                 p_.negative->active_fraction * mean(y, neg_) * p_.negative->thickness_m;
  for (std::size_t k = 0; k < cells_.size(); ++k) total += cells_[k].eps * y[ce(k)] * cells_[k].dx;
  return total * p_.electrode_area_m2;
}

std::vector<double> SpmeModel::x_centres() const {
  std::vector<double> x;
  for (const auto& c : cells_) x.push_back(c.x);
  return x;
}

std::vector<double> SpmeModel::electrolyte_concentration(const double* y) const {
  std::vector<double> out;
  for (std::size_t k = 0; k < cells_.size(); ++k) out.push_back(y[ce(k)]);
  return out;
}

Profiles SpmeModel::profiles(const double* y) const {
  Potentials pot = potentials(y, true);
  Profiles out{x_centres(), electrolyte_concentration(y), pot.phi_e, pot.phi_s, {}};
  const double x_n = negative_surface_stoichiometry(y), x_p = positive_surface_stoichiometry(y);
  for (const auto& c : cells_)
    out.surface_stoichiometry.push_back(c.region == Region::negative ? x_n : c.region == Region::positive ? x_p : nan);
  return out;
}

}  // namespace solidcell::electrochem
