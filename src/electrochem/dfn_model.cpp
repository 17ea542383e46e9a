#include "solidcell/electrochem/dfn_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/open_circuit_potential.hpp"

namespace solidcell::electrochem {
namespace {

constexpr double F = constants::faraday_C_per_mol;
constexpr double R = constants::gas_constant_J_per_mol_K;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Butler-Volmer with a film resistance in series: j = 2 j0 sinh(F (eta0 - j r) / (2RT)), solved for j by
// Newton on a function that increases monotonically in j (safe from any start).
double butler_volmer_with_film(double j0, double eta0, double film, double T) {
  const double k = F / (2.0 * R * T);
  if (film <= 0.0) return 2.0 * j0 * std::sinh(k * eta0);
  double j = 0.0;
  for (int it = 0; it < 60; ++it) {
    double arg = k * (eta0 - j * film);
    double g = j - 2.0 * j0 * std::sinh(arg);
    double dg = 1.0 + 2.0 * j0 * std::cosh(arg) * k * film;
    double step = g / dg;
    j -= step;
    if (std::abs(step) <= 1e-14 * (1.0 + std::abs(j))) break;
  }
  return j;
}

// The same law for a negative with its SEI film, written for speed (the film is never zero there): Newton from the
// linearised answer, sinh and cosh from one exponential. Also returns dj/d(eta0), for a first-order correction.
double butler_volmer_through_sei(double j0, double eta0, double film, double T, double* slope) {
  const double k = F / (2.0 * R * T);
  const double e0 = std::exp(k * eta0);
  const double no_film = j0 * (e0 - 1.0 / e0);
  double j = no_film / (1.0 + j0 * k * (e0 + 1.0 / e0) * film);
  double dj = 0.0;
  for (int it = 0; it < 60; ++it) {
    const double e = std::exp(k * (eta0 - j * film));
    const double two_j0_cosh = j0 * (e + 1.0 / e);
    const double g = j - j0 * (e - 1.0 / e);
    const double dg = 1.0 + two_j0_cosh * k * film;
    dj = two_j0_cosh * k / dg;
    const double step = g / dg;
    j -= step;
    if (std::abs(step) <= 1e-14 * (1.0 + std::abs(j))) break;
  }
  *slope = dj;
  return j;
}

std::string fmt_sei_option(SeiGrowth g) { return std::string("\"") + to_string(g) + "\""; }
std::string fmt_plating_option(LithiumPlating m) { return std::string("\"") + to_string(m) + "\""; }

}  // namespace

DfnModel::DfnModel(CellParameters parameters, Mesh mesh)
    : p_(std::move(parameters)), mesh_(mesh), liquid_(p_.electrolyte.has_value()), planar_negative_(p_.lithium_metal.has_value()) {
  temperature_ = p_.reference_temperature_K;
  if (p_.sei_growth != SeiGrowth::none) {
    // SEI growth is a liquid porous negative's side reaction, and needs the cell's [negative.sei] parameters.
    if (!liquid_ || planar_negative_ || !p_.negative)
      throw InputError(InputLocation{"", 0, "SEI"}, fmt_sei_option(p_.sei_growth), "SEI growth needs a liquid cell with a porous negative");
    if (!p_.sei)
      throw InputError(InputLocation{"", 0, "SEI"}, fmt_sei_option(p_.sei_growth), "the cell file has no [negative.sei] table");
    sei_ = true;
  }
  if (p_.lithium_plating != LithiumPlating::none) {
    // Plating is a liquid porous negative's side reaction too, and needs the cell's [negative.plating] parameters.
    if (!liquid_ || planar_negative_ || !p_.negative)
      throw InputError(InputLocation{"", 0, "lithium plating"}, fmt_plating_option(p_.lithium_plating),
                       "lithium plating needs a liquid cell with a porous negative");
    if (!p_.plating)
      throw InputError(InputLocation{"", 0, "lithium plating"}, fmt_plating_option(p_.lithium_plating),
                       "the cell file has no [negative.plating] table");
    plating_ = true;
  }
  if (p_.active_material_loss != ActiveMaterialLoss::none) {
    const std::string option = std::string("\"") + to_string(p_.active_material_loss) + "\"";
    const InputLocation where{"", 0, "loss of active material"};
    if (!liquid_ || planar_negative_ || !p_.negative)
      throw InputError(where, option, "loss of active material needs a liquid cell with porous electrodes");
    lam_negative_ = p_.negative->active_material_loss.has_value();
    lam_positive_ = p_.positive.active_material_loss.has_value();
    if (!lam_negative_ && !lam_positive_)
      throw InputError(where, option, "the cell file has no [negative.active_material_loss] or [positive.active_material_loss] table");
    if (p_.active_material_loss == ActiveMaterialLoss::reaction_driven && !sei_)
      throw InputError(where, option, "reaction-driven loss of active material follows the SEI reaction: it needs SEI growth");
  }
  std::size_t offset = 0;
  double x = 0.0;
  auto add_region = [&](Region region, int n, double thickness, const ElectrodeParameters* e) {
    double dx = thickness / n;
    for (int k = 0; k < n; ++k) {
      double fraction = e ? e->electrolyte_fraction : p_.separator.electrolyte_fraction;
      double b = e ? e->bruggeman : p_.separator.bruggeman;
      cells_.push_back(Cell{region, dx, x + (k + 0.5) * dx, offset, std::pow(fraction, b), e});
      offset += (liquid_ ? 2 : 1) + (e ? 1 + static_cast<std::size_t>(mesh_.particle) : 0) + (sei_ && region == Region::negative ? 1 : 0) +
                (plating_ && region == Region::negative ? 2 : 0) +
                ((region == Region::negative ? lam_negative_ : region == Region::positive && lam_positive_) ? 2 : 0);
    }
    x += thickness;
  };
  if (!planar_negative_) add_region(Region::negative, mesh_.negative, p_.negative->thickness_m, &*p_.negative);
  add_region(Region::separator, mesh_.separator, p_.separator.thickness_m, nullptr);
  add_region(Region::positive, mesh_.positive, p_.positive.thickness_m, &p_.positive);
  thermal_ = p_.thermal.has_value();
  if (thermal_) temperature_index_ = offset++;
  capacity_index_ = offset++;
  current_index_ = offset++;
  size_ = offset;

  // Uniform shells in r; their faces and volumes in units of the particle radius.
  const int nr = mesh_.particle;
  for (int k = 0; k <= nr; ++k) shell_face_.push_back(static_cast<double>(k) / nr);
  for (int k = 0; k < nr; ++k) shell_volume_.push_back((std::pow(shell_face_[k + 1], 3) - std::pow(shell_face_[k], 3)) / 3.0);

  // Couplings reach from one cell into its neighbours, and from the last cell to the tail unknowns.
  std::size_t band = 0;
  for (std::size_t i = 0; i + 1 < cells_.size(); ++i) {
    std::size_t end_next = (i + 2 < cells_.size() ? cells_[i + 2].offset : capacity_index_);
    band = std::max(band, end_next - cells_[i].offset);
  }
  band = std::max(band, size_ - cells_.back().offset);
  if (cells_.size() >= 2) band = std::max(band, size_ - cells_[cells_.size() - 2].offset);
  bandwidth_ = static_cast<int>(band);
  const std::size_t n = cells_.size();
  scratch_.reaction.assign(n, 0.0);
  scratch_.side_reaction.assign(n, 0.0);
  scratch_.plating_reaction.assign(n, 0.0);
  scratch_.salt_flux.assign(n + 1, 0.0);
  scratch_.ionic_current.assign(n + 1, 0.0);
  scratch_.coefficient_a.assign(n, 0.0);
  scratch_.coefficient_b.assign(n, 0.0);
  refresh();
}

void DfnModel::refresh() {
  // The constructor's arithmetic, region by region: a model refreshed after set_input() is bit for bit a fresh one.
  std::size_t i = 0;
  double x = 0.0;
  auto region = [&](int n, double thickness, const ElectrodeParameters* e) {
    const double dx = thickness / n;
    const double fraction = e ? e->electrolyte_fraction : p_.separator.electrolyte_fraction;
    const double b = e ? e->bruggeman : p_.separator.bruggeman;
    for (int k = 0; k < n; ++k, ++i) {
      cells_[i].dx = dx;
      cells_[i].x = x + (k + 0.5) * dx;
      cells_[i].tortuosity = std::pow(fraction, b);
      cells_[i].electrode = e;
    }
    x += thickness;
  };
  if (!planar_negative_) region(mesh_.negative, p_.negative->thickness_m, &*p_.negative);
  region(mesh_.separator, p_.separator.thickness_m, nullptr);
  region(mesh_.positive, p_.positive.thickness_m, &p_.positive);
}

double DfnModel::electrolyte_fraction(const Cell& c) const {
  return c.electrode ? c.electrode->electrolyte_fraction : p_.separator.electrolyte_fraction;
}

double DfnModel::bruggeman(const Cell& c) const { return c.electrode ? c.electrode->bruggeman : p_.separator.bruggeman; }

double DfnModel::surface_concentration(const Cell& c, const double* y) const {
  // Linear extrapolation from the two outermost shell centres to r = R.
  std::size_t i = static_cast<std::size_t>(&c - cells_.data());
  const int n = mesh_.particle;
  double outer = y[cs(i, n - 1)];
  double inner = n >= 2 ? y[cs(i, n - 2)] : outer;
  return outer + 0.5 * (outer - inner);
}

double DfnModel::plating_current(double eta, double c_e, double c_plated, double T) const {
  // O'Kane et al. 2020, 2022: Butler-Volmer between plated lithium and Li+ at the plating overpotential eta (vs Li/Li+),
  // j0_plating = F k c_e, j0_stripping = F k c_Li; irreversible plating has no stripping branch.
  const auto& pl = *p_.plating;
  const double k = pl.kinetic_rate_constant * arrhenius(pl.activation_energy, T, p_.reference_temperature_K);
  const double f = F / (R * T);
  const double plating = F * k * std::max(c_e, 0.0) * std::exp(-pl.transfer_coefficient * f * eta);
  if (p_.lithium_plating == LithiumPlating::irreversible) return -plating;
  return F * k * std::max(c_plated, 0.0) * std::exp((1.0 - pl.transfer_coefficient) * f * eta) - plating;
}

double DfnModel::plating_current_slope(double eta, double c_e, double c_plated, double T) const {
  const auto& pl = *p_.plating;
  const double k = pl.kinetic_rate_constant * arrhenius(pl.activation_energy, T, p_.reference_temperature_K);
  const double f = F / (R * T);
  const double a = pl.transfer_coefficient;
  double slope = F * k * std::max(c_e, 0.0) * a * f * std::exp(-a * f * eta);
  if (p_.lithium_plating != LithiumPlating::irreversible) slope += F * k * std::max(c_plated, 0.0) * (1.0 - a) * f * std::exp((1.0 - a) * f * eta);
  return slope;
}

bool DfnModel::reaction(const Cell& c, const double* y, double T, double* j, double* j_sei, double* j_plating) const {
  std::size_t i = static_cast<std::size_t>(&c - cells_.data());
  const auto& e = *c.electrode;
  const double x_surface = surface_concentration(c, y) / e.max_concentration;
  if (!std::isfinite(x_surface)) return false;
  // Near full or empty particles the exchange current vanishes; a floor keeps Newton's iterates finite
  // while the OCP barrier collapses the voltage towards the cut-off that ends the step.
  constexpr double floor = 1e-9;
  const double x = std::clamp(x_surface, floor, 1.0 - floor);
  double j0 = e.exchange_current_reference * arrhenius(e.exchange_current_activation_energy, T, p_.reference_temperature_K) * 2.0 *
              std::sqrt(x * (1.0 - x));
  if (liquid_) {
    double c_e = y[ce(i)];
    if (!std::isfinite(c_e)) return false;
    j0 *= std::sqrt(std::max(c_e, 1e-9 * p_.electrolyte->initial_concentration) / 1000.0);
  }
  double u = electrochem::open_circuit_potential(e.open_circuit_potential, x_surface, e.ocp_valid_from, e.ocp_valid_to);
  if (e.entropic_coefficient) u += (T - p_.reference_temperature_K) * (*e.entropic_coefficient)(x);
  double eta0 = y[phis(i)] - y[phie(i)] - u;
  const bool plating_here = plating_ && c.region == Region::negative;
  if (!(sei_ && c.region == Region::negative)) {
    *j = butler_volmer_with_film(j0, eta0, e.interface_resistance, T);
    // Without an SEI film the plating overpotential is phi_s - phi_e itself.
    if (plating_here) *j_plating = plating_current(y[phis(i)] - y[phie(i)], y[ce(i)], y[plated(i)], T);
    return std::isfinite(*j) && (!plating_here || std::isfinite(*j_plating));
  }
  // The SEI film carries the total interfacial current j + j_sei (PyBaMM's "distributed" film resistance);
  // the side current depends on the intercalation current through the film's drop, the intercalation current on
  // the side current likewise, by j_sei L rho (nanovolts).
  const double film = y[sei(i)] * p_.sei->resistivity;
  const double delta_phi = y[phis(i)] - y[phie(i)];
  double slope = 0.0;
  const double j_main = butler_volmer_through_sei(j0, eta0, e.interface_resistance + film, T, &slope);
  if (!sei_current(delta_phi, j_main, y[sei(i)], T, j_sei)) return false;
  if (!plating_here) {
    // The side current's own drop in the film shifts eta0 by -j_sei L rho (nanovolts): first order is exact enough.
    *j = j_main - slope * *j_sei * film;
    return std::isfinite(*j);
  }
  // Plating sees the film's drop of the total current too: eta_pl = delta_phi - L rho (j + j_sei + j_pl), with the
  // intercalation current corrected to first order for the side currents' drop, j = j_main - slope L rho (j_sei + j_pl).
  // Newton on j_pl: g(j_pl) = j_pl - P(eta_pl(j_pl)) increases monotonically (P increases in eta).
  const double c_e = y[ce(i)], c_pl = y[plated(i)];
  const double back = 1.0 - slope * film;  // d(j + j_pl)/d(j_pl)
  double jp = plating_current(delta_phi - film * (j_main + *j_sei), c_e, c_pl, T);
  for (int it = 0; it < 50; ++it) {
    const double eta = delta_phi - film * (j_main + back * (*j_sei + jp));
    const double g = jp - plating_current(eta, c_e, c_pl, T);
    const double dg = 1.0 + plating_current_slope(eta, c_e, c_pl, T) * film * back;
    const double step = g / dg;
    jp -= step;
    if (!std::isfinite(jp)) return false;
    if (std::abs(step) <= 1e-14 * (1.0 + std::abs(jp))) break;
  }
  *j_plating = jp;
  *j = j_main - slope * (*j_sei + jp) * film;
  return std::isfinite(*j);
}

bool DfnModel::sei_current(double delta_phi, double j_main, double thickness, double T, double* j_sei) const {
  const auto& s = *p_.sei;
  if (!(thickness > 0.0) || !std::isfinite(thickness)) return false;
  const double arr = arrhenius(s.activation_energy, T, p_.reference_temperature_K);
  switch (p_.sei_growth) {
    case SeiGrowth::reaction_limited: {
      // Cathodic Tafel law with the film's ohmic drop (Marquis 2020 thesis eq. 5.92, PyBaMM "reaction limited").
      const double eta_sei = delta_phi - s.open_circuit_potential - j_main * thickness * s.resistivity;
      *j_sei = -s.exchange_current_density * std::exp(-s.transfer_coefficient * F / (R * T) * eta_sei) * arr;
      break;
    }
    case SeiGrowth::solvent_diffusion_limited:
      // Solvent diffusing through the film to the particle (Marquis 2020 thesis eq. 5.91).
      *j_sei = -s.solvent_diffusivity * s.bulk_solvent_concentration * F / thickness * arr;
      break;
    case SeiGrowth::none: *j_sei = 0.0; break;
  }
  return std::isfinite(*j_sei);
}

bool DfnModel::lithium_interface_current(const double* y, double T, double* current_density) const {
  // The planar lithium sits at x = 0; its electrolyte potential phi_b lies half a cell from the first
  // centre. With phi_Li = 0: i = 2 j0 sinh(F (-phi_b - i R_film) / 2RT) and i = sigma (phi_b - phi_e0) / (dx/2).
  const Cell& c0 = cells_.front();
  const auto& li = *p_.lithium_metal;
  double sigma = 0.0;
  if (liquid_) {
    // Half cell: the liquid's conductivity in the first separator cell (its concentration gradient over the
    // half cell is left out of this local resistance; the salt flux below carries the concentration change).
    const auto& el = *p_.electrolyte;
    sigma = c0.tortuosity * el.conductivity(std::max(y[ce(0)], 10.0)) * arrhenius(el.conductivity_activation_energy, T, p_.reference_temperature_K);
  } else {
    sigma = p_.separator.ionic_conductivity * arrhenius(p_.separator.ionic_conductivity_activation_energy, T, p_.reference_temperature_K) *
            c0.tortuosity;
  }
  double half_cell_resistance = 0.5 * c0.dx / sigma;
  // phi_b = phi_e0 + i * half_cell_resistance, so the film absorbs that resistance too.
  *current_density = butler_volmer_with_film(li.exchange_current_density, -y[phie(0)] - li.open_circuit_potential,
                                             li.interface_resistance + half_cell_resistance, T);
  return std::isfinite(*current_density);
}

bool DfnModel::residual(double t, const double* y, const double* yp, double* r) const {
  const double T = thermal_ ? y[temperature_index_] : temperature_;
  if (!(T > 150.0 && T < 1000.0)) return false;
  const std::size_t n = cells_.size();
  // Scratch space reused between calls: a model is used by one thread at a time.
  auto& j = scratch_.reaction;  // intercalation current per active area
  auto& j_sei = scratch_.side_reaction;  // SEI formation current per active area (negative, with SEI growth)
  auto& j_pl = scratch_.plating_reaction;  // lithium stripping current per active area (negative: plating)
  std::fill(j.begin(), j.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i)
    if (cells_[i].electrode && !reaction(cells_[i], y, T, &j[i], &j_sei[i], &j_pl[i])) return false;

  // --- electrolyte: fluxes at faces between cells ------------------------------------------------
  auto& salt_flux = scratch_.salt_flux;          // mol/m2/s, +x direction
  auto& ionic_current = scratch_.ionic_current;  // A/m2, +x direction
  std::fill(salt_flux.begin(), salt_flux.end(), 0.0);
  std::fill(ionic_current.begin(), ionic_current.end(), 0.0);
  if (liquid_) {
    const auto& el = *p_.electrolyte;
    const double d_arr = arrhenius(el.diffusivity_activation_energy, T, p_.reference_temperature_K);
    const double k_arr = arrhenius(el.conductivity_activation_energy, T, p_.reference_temperature_K);
    auto& d_eff = scratch_.coefficient_a;
    auto& k_eff = scratch_.coefficient_b;
    for (std::size_t i = 0; i < n; ++i) {
      // Transport functions are fitted above 10 mol/m3; a depleted electrolyte keeps their value there.
      double c_e = std::max(y[ce(i)], 10.0);
      if (!std::isfinite(y[ce(i)])) return false;
      double tort = cells_[i].tortuosity;
      d_eff[i] = tort * el.diffusivity(c_e) * d_arr;
      k_eff[i] = tort * el.conductivity(c_e) * k_arr;
    }
    const double chi_RT_F = 2.0 * (1.0 - el.transference_number) * el.thermodynamic_factor * R * T / F;
    for (std::size_t f = 1; f < n; ++f) {
      const Cell& a = cells_[f - 1];
      const Cell& b = cells_[f];
      double h = 0.5 * (a.dx + b.dx);
      double beta = a.dx / (a.dx + b.dx);
      // Face values as PyBaMM's finite volumes take them (docs/pybamm-conventions.md, rule 3): a
      // coefficient of a bare gradient by the width-weighted harmonic mean, one multiplying a bracket
      // by linear interpolation.
      double d_face = 1.0 / (beta / d_eff[f - 1] + (1.0 - beta) / d_eff[f]);
      double k_face = (1.0 - beta) * k_eff[f - 1] + beta * k_eff[f];
      double c_a = y[ce(f - 1)], c_b = y[ce(f)];
      double c_harm = beta * std::max(c_a, 0.01) + (1.0 - beta) * std::max(c_b, 0.01);  // harmonic mean of 1/c_e
      salt_flux[f] = -d_face * (c_b - c_a) / h;
      ionic_current[f] = k_face * (chi_RT_F / c_harm * (c_b - c_a) / h - (y[phie(f)] - y[phie(f - 1)]) / h);
    }
  } else {
    auto& sigma = scratch_.coefficient_a;
    for (std::size_t i = 0; i < n; ++i) {
      const Cell& c = cells_[i];
      double s0 = c.electrode ? c.electrode->ionic_conductivity : p_.separator.ionic_conductivity;
      double ea = c.electrode ? c.electrode->ionic_conductivity_activation_energy : p_.separator.ionic_conductivity_activation_energy;
      sigma[i] = s0 * arrhenius(ea, T, p_.reference_temperature_K) * c.tortuosity;
    }
    for (std::size_t f = 1; f < n; ++f) {
      const Cell& a = cells_[f - 1];
      const Cell& b = cells_[f];
      double h = 0.5 * (a.dx + b.dx);
      double s_face = (a.dx + b.dx) / (a.dx / sigma[f - 1] + b.dx / sigma[f]);
      ionic_current[f] = -s_face * (y[phie(f)] - y[phie(f - 1)]) / h;
    }
  }
  if (planar_negative_) {
    if (!lithium_interface_current(y, T, &ionic_current[0])) return false;
    // Lithium dissolving at x = 0 brings Li+ into the electrolyte: the salt balance gains (1 - t+) i / F there.
    if (liquid_) salt_flux[0] = (1.0 - p_.electrolyte->transference_number) * ionic_current[0] / F;
  }

  const double current_density = y[current_index_] / p_.electrode_area_m2;
  for (std::size_t i = 0; i < n; ++i) {
    const Cell& c = cells_[i];
    // The charge and salt balances see the total interfacial current; the particle only the intercalation.
    double j_total = j[i];
    if (sei_ && c.region == Region::negative) j_total += j_sei[i];
    if (plating_ && c.region == Region::negative) j_total += j_pl[i];
    double aj = c.electrode ? area(i, y) * j_total : 0.0;
    // Charge: the divergence of the ionic current equals the reaction current.
    r[phie(i)] = (ionic_current[i + 1] - ionic_current[i]) / c.dx - aj;
    if (liquid_) {
      const auto& el = *p_.electrolyte;
      double eps = electrolyte_fraction(c);
      r[ce(i)] = eps * yp[ce(i)] + (salt_flux[i + 1] - salt_flux[i]) / c.dx - (1.0 - el.transference_number) * aj / F;
    }
    if (!c.electrode) continue;

    // Solid potential: Ohm's law in the electronic phase, current collectors at the outer faces.
    const auto& e = *c.electrode;
    double sigma = e.effective_conductivity();
    auto solid_current = [&](std::size_t face) -> double {
      // Faces of this electrode: inner faces by finite difference, boundaries by their conditions.
      bool left = face == i;
      std::size_t other = left ? i - 1 : i + 1;
      bool boundary = left ? (i == 0 || cells_[i - 1].region != c.region) : (i + 1 == n || cells_[i + 1].region != c.region);
      if (!boundary) {
        double h = 0.5 * (c.dx + cells_[other].dx);
        return left ? -sigma * (y[phis(i)] - y[phis(other)]) / h : -sigma * (y[phis(other)] - y[phis(i)]) / h;
      }
      if (c.region == Region::negative && left) return -sigma * (y[phis(i)] - 0.0) / (0.5 * c.dx);  // phi_s = 0 at x = 0
      if (c.region == Region::positive && !left) return current_density;                           // collector at x = L
      return 0.0;  // electrode | separator faces carry no electronic current
    };
    r[phis(i)] = (solid_current(i + 1) - solid_current(i)) / c.dx + aj;

    // Particles: Fick's law in spherical shells; the reaction draws lithium out through the surface.
    const int nr = mesh_.particle;
    const double rad = e.particle_radius_m;
    const double d = e.diffusivity * arrhenius(e.diffusivity_activation_energy, T, p_.reference_temperature_K);
    const double dr = rad / nr;
    // Stress-induced diffusion (stress-driven LAM only): D (1 + theta c) at the shells, harmonic mean on faces.
    double theta = 0.0;
    if (lam_in(i) && p_.stress_induced_diffusion && p_.active_material_loss != ActiveMaterialLoss::reaction_driven) {
      const auto& m = *e.active_material_loss;
      theta = 2.0 * m.partial_molar_volume * m.partial_molar_volume * m.youngs_modulus / (9.0 * (1.0 - m.poissons_ratio) * R * T);
    }
    double inflow_inner = 0.0;  // r^2 N at the inner face of shell k, in units of R^2 (N positive outwards)
    for (int k = 0; k < nr; ++k) {
      double outer_face_flux;  // r^2 N at the outer face of shell k
      if (k + 1 < nr) {
        double d_face = d;
        if (theta != 0.0) {
          const double d_in = d * (1.0 + theta * y[cs(i, k)]), d_out = d * (1.0 + theta * y[cs(i, k + 1)]);
          d_face = 2.0 / (1.0 / d_in + 1.0 / d_out);
        }
        double flux = -d_face * (y[cs(i, k + 1)] - y[cs(i, k)]) / dr;
        outer_face_flux = shell_face_[k + 1] * shell_face_[k + 1] * flux;
      } else {
        outer_face_flux = j[i] / F;  // at r = R
      }
      double dcdt = -(outer_face_flux - inflow_inner) / (shell_volume_[k] * rad);
      r[cs(i, k)] = yp[cs(i, k)] - dcdt;
      inflow_inner = outer_face_flux;
    }
    // SEI: each mole of SEI binds z electrons' worth of lithium, dL/dt = -V_bar j_sei / (z F).
    if (sei_ && c.region == Region::negative)
      r[sei(i)] = yp[sei(i)] + p_.sei->partial_molar_volume * j_sei[i] / (p_.sei->lithium_per_sei * F);
    // Plating: lithium leaves the electrolyte as metal at a j_pl / F (O'Kane 2022). Irreversible: all of it dead at
    // once; reversible: all of it strippable; partially reversible: the plated lithium dies at the rate
    // gamma = gamma_0 L_sei,0 / L_sei (thicker SEI isolates it faster; gamma_0 with a constant SEI).
    if (plating_ && c.region == Region::negative) {
      const double deposit = -area(i, y) * j_pl[i] / F;  // mol/m3/s
      switch (p_.lithium_plating) {
        case LithiumPlating::irreversible:
          r[plated(i)] = yp[plated(i)];
          r[dead(i)] = yp[dead(i)] - deposit;
          break;
        case LithiumPlating::reversible:
          r[plated(i)] = yp[plated(i)] - deposit;
          r[dead(i)] = yp[dead(i)];
          break;
        case LithiumPlating::partially_reversible: {
          double gamma = p_.plating->dead_lithium_decay_constant;
          if (sei_) gamma *= p_.sei->initial_thickness_m / y[sei(i)];
          const double dying = gamma * y[plated(i)];
          r[plated(i)] = yp[plated(i)] - deposit + dying;
          r[dead(i)] = yp[dead(i)] - dying;
          break;
        }
        case LithiumPlating::none: break;
      }
    }
    // Loss of active material (Reniers 2019, O'Kane 2022): stress-driven, d(eps)/dt = -beta (sigma_h+ / sigma_c)^m with the
    // hydrostatic surface stress of a swelling particle sigma_h = 2/3 sigma_t, sigma_t = Omega E (c_mean - c_surf) / (3 (1 - nu))
    // (Ai 2020; radial stress zero at the surface), tensile only; reaction-driven, d(eps)/dt = beta_sei a j_sei / F. The
    // lithium in the lost material (and, with SEI growth, in the SEI grown on it) leaves the particles' count for
    // lam_lithium, so the total is conserved.
    if (lam_in(i)) {
      const auto& lam_p = *e.active_material_loss;
      const double c_mean = mean_particle_concentration(i, y);
      double rate = 0.0;
      if (p_.active_material_loss != ActiveMaterialLoss::reaction_driven) {
        const double sigma_t = lam_p.partial_molar_volume * lam_p.youngs_modulus * (c_mean - surface_concentration(c, y)) / (3.0 * (1.0 - lam_p.poissons_ratio));
        const double sigma_h = 2.0 * sigma_t / 3.0;
        if (sigma_h > 0.0) rate -= lam_p.proportional_rate * std::pow(sigma_h / lam_p.critical_stress, lam_p.exponent);
      }
      if (p_.active_material_loss != ActiveMaterialLoss::stress_driven && sei_ && c.region == Region::negative)
        rate += lam_p.reaction_factor * area(i, y) * j_sei[i] / F;
      double held = c_mean;  // lithium per volume of the material lost
      if (sei_ && c.region == Region::negative)
        held += p_.sei->lithium_per_sei * (y[sei(i)] - p_.sei->initial_thickness_m) / p_.sei->partial_molar_volume * 3.0 / e.particle_radius_m;
      r[lam(i)] = yp[lam(i)] - rate;
      r[lam_lithium(i)] = yp[lam_lithium(i)] + held * rate;
    }
  }

  r[capacity_index_] = yp[capacity_index_] - y[current_index_] / constants::seconds_per_hour;
  if (thermal_) {
    // Lumped energy balance: the heat is I (U_ocv - V) (ohmic, reaction and concentration losses
    // together) plus the reversible heat where the materials give entropic coefficients.
    const auto& th = *p_.thermal;
    double heat = y[current_index_] * (open_circuit_voltage(y) - voltage(y));
    // Reversible heat a j T dU/dT, from each cell's surface stoichiometry (Bernardi's -I T dU_ocv/dT in total).
    for (std::size_t i = 0; i < n; ++i) {
      const Cell& c = cells_[i];
      if (!c.electrode || !c.electrode->entropic_coefficient) continue;
      double x = std::clamp(surface_concentration(c, y) / c.electrode->max_concentration, 0.0, 1.0);
      heat += area(i, y) * j[i] * T * (*c.electrode->entropic_coefficient)(x) * c.dx * p_.electrode_area_m2;
    }
    r[temperature_index_] = lumped_thermal_residual(th, yp[temperature_index_], heat, T, temperature_);
  }
  r[current_index_] = control_residual(control_, t, y[current_index_], voltage(y));
  return true;
}

std::vector<double> DfnModel::differential_mask() const {
  std::vector<double> id(size_, 0.0);
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (liquid_) id[ce(i)] = 1.0;
    if (cells_[i].electrode)
      for (int k = 0; k < mesh_.particle; ++k) id[cs(i, k)] = 1.0;
    if (sei_ && cells_[i].region == Region::negative) id[sei(i)] = 1.0;
    if (plating_ && cells_[i].region == Region::negative) id[plated(i)] = id[dead(i)] = 1.0;
    if (lam_in(i)) id[lam(i)] = id[lam_lithium(i)] = 1.0;
  }
  id[capacity_index_] = 1.0;
  if (thermal_) id[temperature_index_] = 1.0;
  return id;
}

std::vector<double> DfnModel::absolute_tolerances(double rtol) const {
  std::vector<double> atol(size_, rtol);  // potentials [V]
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (liquid_) atol[ce(i)] = rtol * p_.electrolyte->initial_concentration;
    if (cells_[i].electrode)
      for (int k = 0; k < mesh_.particle; ++k) atol[cs(i, k)] = rtol * cells_[i].electrode->max_concentration;
    if (sei_ && cells_[i].region == Region::negative) atol[sei(i)] = rtol * p_.sei->initial_thickness_m;
    // Plated lithium: on the electrolyte's scale (PyBaMM's "Typical plated lithium concentration" is 1000 mol/m3).
    if (plating_ && cells_[i].region == Region::negative) atol[plated(i)] = atol[dead(i)] = rtol * p_.electrolyte->initial_concentration;
    if (lam_in(i)) {
      atol[lam(i)] = rtol * cells_[i].electrode->active_fraction;
      atol[lam_lithium(i)] = rtol * cells_[i].electrode->max_concentration;
    }
  }
  atol[capacity_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  if (thermal_) atol[temperature_index_] = rtol * 300.0;
  atol[current_index_] = rtol * std::max(1e-3, p_.nominal_capacity_Ah);
  return atol;
}

std::vector<double> DfnModel::initial_state(double soc) const {
  std::vector<double> y(size_, 0.0);
  auto sto = [&](const ElectrodeParameters& e) { return e.stoichiometry_at_0_soc + soc * (e.stoichiometry_at_100_soc - e.stoichiometry_at_0_soc); };
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const Cell& c = cells_[i];
    if (liquid_) y[ce(i)] = p_.electrolyte->initial_concentration;
    if (!c.electrode) continue;
    double conc = sto(*c.electrode) * c.electrode->max_concentration;
    for (int k = 0; k < mesh_.particle; ++k) y[cs(i, k)] = conc;
    if (sei_ && c.region == Region::negative) y[sei(i)] = p_.sei->initial_thickness_m;
    if (plating_ && c.region == Region::negative) {
      y[plated(i)] = p_.plating->initial_concentration;
      y[dead(i)] = 0.0;
    }
    if (lam_in(i)) {
      y[lam(i)] = c.electrode->active_fraction;
      y[lam_lithium(i)] = 0.0;
    }
  }
  y[capacity_index_] = 0.0;
  if (thermal_) y[temperature_index_] = temperature_;
  guess_current(y.data(), control_.kind == ControlKind::current ? control_.at(0.0) : 0.0);
  return y;
}

void DfnModel::guess_current(double* y, double amperes) const {
  // Potentials for a uniform reaction at this current over the present particle surfaces, ohmic drops
  // left out: close enough for the consistent-initial-value Newton to converge from any step change.
  const double T = thermal_ ? y[temperature_index_] : temperature_;
  const double i_density = amperes / p_.electrode_area_m2;
  y[current_index_] = amperes;
  auto overpotential = [&](std::size_t i, double j) {
    const auto& e = *cells_[i].electrode;
    double x = std::clamp(surface_concentration(cells_[i], y) / e.max_concentration, 1e-6, 1.0 - 1e-6);
    double j0 = e.exchange_current_reference * arrhenius(e.exchange_current_activation_energy, T, p_.reference_temperature_K) * 2.0 *
                std::sqrt(x * (1.0 - x));
    if (liquid_) j0 *= std::sqrt(std::max(y[ce(i)], 1.0) / 1000.0);
    return 2.0 * R * T / F * std::asinh(j / (2.0 * j0)) + j * e.interface_resistance +
           electrochem::open_circuit_potential(e.open_circuit_potential, x, e.ocp_valid_from, e.ocp_valid_to);
  };
  double phi_e = 0.0;
  if (planar_negative_) {
    const auto& li = *p_.lithium_metal;
    phi_e = -(li.open_circuit_potential + 2.0 * R * T / F * std::asinh(i_density / (2.0 * li.exchange_current_density)) +
              i_density * li.interface_resistance);
  } else {
    double j_n = i_density / (p_.negative->surface_area_per_volume * p_.negative->thickness_m);
    double sum = 0.0;
    int count = 0;
    for (std::size_t i = 0; i < cells_.size(); ++i)
      if (cells_[i].region == Region::negative) {
        y[phis(i)] = 0.0;
        sum += -overpotential(i, j_n);  // phi_e = phi_s - U - eta with phi_s = 0
        ++count;
      }
    phi_e = sum / count;
  }
  double j_p = -i_density / (p_.positive.surface_area_per_volume * p_.positive.thickness_m);
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    y[phie(i)] = phi_e;
    if (cells_[i].region == Region::positive) y[phis(i)] = phi_e + overpotential(i, j_p);
  }
}

double DfnModel::voltage(const double* y) const {
  // phi_s at x = L by linear extrapolation from the last two cells (PyBaMM's boundary value), minus the
  // grounded negative collector (phi_s = 0 at x = 0; for a lithium-metal negative, the metal).
  std::size_t last = cells_.size() - 1;
  if (mesh_.positive >= 2) return 1.5 * y[phis(last)] - 0.5 * y[phis(last - 1)];
  // A one-cell positive has no second node: use the collector's current instead.
  return y[phis(last)] - y[current_index_] / p_.electrode_area_m2 * 0.5 * cells_[last].dx / p_.positive.effective_conductivity();
}

double DfnModel::open_circuit_voltage(const double* y) const {
  // From the volume-averaged particle stoichiometries of each electrode.
  auto mean_sto = [&](Region region) {
    double sum = 0.0, vol = 0.0;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      if (cells_[i].region != region) continue;
      for (int k = 0; k < mesh_.particle; ++k) {
        sum += y[cs(i, k)] * shell_volume_[k] * cells_[i].dx;
        vol += shell_volume_[k] * cells_[i].dx;
      }
    }
    return sum / vol;
  };
  const double x_pos = mean_sto(Region::positive) / p_.positive.max_concentration;
  double u_pos = p_.positive.open_circuit_potential(x_pos);
  const double dT = cell_temperature(y) - p_.reference_temperature_K;
  if (p_.positive.entropic_coefficient) u_pos += dT * (*p_.positive.entropic_coefficient)(x_pos);
  double u_neg = p_.lithium_metal ? p_.lithium_metal->open_circuit_potential : 0.0;
  if (!planar_negative_) {
    const double x_neg = mean_sto(Region::negative) / p_.negative->max_concentration;
    u_neg = p_.negative->open_circuit_potential(x_neg);
    if (p_.negative->entropic_coefficient) u_neg += dT * (*p_.negative->entropic_coefficient)(x_neg);
  }
  return u_pos - u_neg;
}

double DfnModel::lithium_moles(const double* y) const {
  double total = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const Cell& c = cells_[i];
    if (liquid_) total += electrolyte_fraction(c) * y[ce(i)] * c.dx;
    if (!c.electrode) continue;
    double per_particle = 0.0;  // mean concentration of the particle
    for (int k = 0; k < mesh_.particle; ++k) per_particle += y[cs(i, k)] * shell_volume_[k] * 3.0;
    if (lam_in(i)) total += (y[lam(i)] * per_particle + y[lam_lithium(i)]) * c.dx;
    else total += c.electrode->active_fraction * per_particle * c.dx;
  }
  total *= p_.electrode_area_m2;
  total += sei_lithium_moles(y);
  total += plated_lithium_moles(y) + dead_lithium_moles(y);
  if (planar_negative_) {
    // Lithium stripped from the metal (positive on discharge) left the negative: count what remains
    // relative to the start, so the total is conserved when the particles take it up.
    total -= y[capacity_index_] * constants::seconds_per_hour / F;
  }
  return total;
}

double DfnModel::sei_lithium_moles(const double* y) const {
  // PyBaMM's "Loss of lithium to negative SEI [mol]": z (c_sei - c_sei,0) over the electrode, with the SEI's
  // bulk concentration c_sei = a L / V_bar. The film present at the start was formed before it.
  if (!sei_) return 0.0;
  const auto& s = *p_.sei;
  double total = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const Cell& c = cells_[i];
    if (c.region != Region::negative) continue;
    total += area(i, y) * (y[sei(i)] - s.initial_thickness_m) * c.dx;
  }
  return total * s.lithium_per_sei / s.partial_molar_volume * p_.electrode_area_m2;
}

double DfnModel::mean_particle_concentration(std::size_t i, const double* y) const {
  double mean = 0.0;
  for (int k = 0; k < mesh_.particle; ++k) mean += y[cs(i, k)] * shell_volume_[k] * 3.0;
  return mean;
}

double DfnModel::active_material_fraction(const double* y, bool positive) const {
  const Region region = positive ? Region::positive : Region::negative;
  double sum = 0.0, width = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (cells_[i].region != region) continue;
    sum += (lam_in(i) ? y[lam(i)] : cells_[i].electrode->active_fraction) * cells_[i].dx;
    width += cells_[i].dx;
  }
  return width > 0.0 ? sum / width : 0.0;
}

double DfnModel::lost_active_material_lithium_moles(const double* y, bool positive) const {
  const Region region = positive ? Region::positive : Region::negative;
  double total = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[i].region == region && lam_in(i)) total += y[lam_lithium(i)] * cells_[i].dx;
  return total * p_.electrode_area_m2;
}

double DfnModel::plated_lithium_moles(const double* y) const {
  // PyBaMM's plated part of "Loss of lithium to negative lithium plating [mol]": the concentration per electrode volume.
  if (!plating_) return 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[i].region == Region::negative) total += y[plated(i)] * cells_[i].dx;
  return total * p_.electrode_area_m2;
}

double DfnModel::dead_lithium_moles(const double* y) const {
  if (!plating_) return 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[i].region == Region::negative) total += y[dead(i)] * cells_[i].dx;
  return total * p_.electrode_area_m2;
}

double DfnModel::initial_plated_lithium_moles() const {
  if (!plating_) return 0.0;
  return p_.plating->initial_concentration * p_.negative->thickness_m * p_.electrode_area_m2;
}

std::vector<double> DfnModel::plating_current_density(const double* y) const {
  std::vector<double> out;
  if (!plating_) return out;
  const double T = thermal_ ? y[temperature_index_] : temperature_;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (cells_[i].region != Region::negative) continue;
    double j = 0.0, j_sei = 0.0, j_pl = nan;
    if (!reaction(cells_[i], y, T, &j, &j_sei, &j_pl)) j_pl = nan;
    out.push_back(j_pl);
  }
  return out;
}

std::vector<double> DfnModel::plated_lithium_concentration(const double* y) const {
  std::vector<double> out;
  if (!plating_) return out;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[i].region == Region::negative) out.push_back(y[plated(i)]);
  return out;
}

std::vector<double> DfnModel::dead_lithium_concentration(const double* y) const {
  std::vector<double> out;
  if (!plating_) return out;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    if (cells_[i].region == Region::negative) out.push_back(y[dead(i)]);
  return out;
}

double DfnModel::mean_sei_thickness(const double* y) const {
  if (!sei_) return 0.0;
  double sum = 0.0, width = 0.0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (cells_[i].region != Region::negative) continue;
    sum += y[sei(i)] * cells_[i].dx;
    width += cells_[i].dx;
  }
  return sum / width;
}

double DfnModel::minimum_electrolyte_concentration(const double* y) const {
  if (!liquid_) return std::numeric_limits<double>::infinity();
  double lowest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < cells_.size(); ++i) lowest = std::min(lowest, y[ce(i)]);
  return lowest;
}

std::vector<double> DfnModel::x_centres() const {
  std::vector<double> x;
  for (const auto& c : cells_) x.push_back(c.x);
  return x;
}

std::vector<double> DfnModel::electrolyte_concentration(const double* y) const {
  std::vector<double> out;
  for (std::size_t i = 0; i < cells_.size(); ++i) out.push_back(liquid_ ? y[ce(i)] : 0.0);
  return out;
}

std::vector<double> DfnModel::electrolyte_potential(const double* y) const {
  std::vector<double> out;
  for (std::size_t i = 0; i < cells_.size(); ++i) out.push_back(y[phie(i)]);
  return out;
}

std::vector<double> DfnModel::solid_potential(const double* y) const {
  std::vector<double> out;
  for (std::size_t i = 0; i < cells_.size(); ++i) out.push_back(cells_[i].electrode ? y[phis(i)] : nan);
  return out;
}

std::vector<double> DfnModel::surface_stoichiometry(const double* y) const {
  std::vector<double> out;
  for (std::size_t i = 0; i < cells_.size(); ++i)
    out.push_back(cells_[i].electrode ? surface_concentration(cells_[i], y) / cells_[i].electrode->max_concentration : nan);
  return out;
}

}  // namespace solidcell::electrochem

namespace solidcell::electrochem {

Profiles DfnModel::profiles(const double* y) const {
  return Profiles{x_centres(), electrolyte_concentration(y), electrolyte_potential(y), solid_potential(y), surface_stoichiometry(y)};
}

}  // namespace solidcell::electrochem
