#include "solidcell/abuse/transport_limit.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "solidcell/base/constants.hpp"

namespace solidcell::abuse {
namespace {

constexpr double F = constants::faraday_C_per_mol;

// Quasi-steady solid diffusion under a constant surface flux q: c_surf - c_avg = q R / (5 D) (the parabolic
// profile of a sphere). The surface may move from the full-charge stoichiometry to the OCP's wall.
double particle_limit_A(const electrochem::ElectrodeParameters& e, double area_m2, bool fills) {
  if (e.particle_radius_m <= 0.0 || e.diffusivity <= 0.0 || e.max_concentration <= 0.0) return TransportLimits::none;
  const double theta_full = e.stoichiometry_at_100_soc;
  const double room = fills ? e.ocp_valid_to - theta_full : theta_full - e.ocp_valid_from;
  if (room <= 0.0) return 0.0;
  const double R = e.particle_radius_m;
  return 15.0 * F * area_m2 * e.thickness_m * e.active_fraction * e.max_concentration * e.diffusivity * room / (R * R);
}

// Steady salt profile with a uniform reaction in each electrode (Kirchhoff transform for D(c)):
//   N(x) = k s(x),  k = (1 - t+) i / F,  s = x/L_n (negative), 1 (separator), (L - x)/L_p (positive);
//   -eps^b D(c) dc/dx = N  =>  Phi(c(x)) = Phi(c(0)) - k G(x),  Phi(c) = int_0^c D,  G(x) = int_0^x s / eps^b;
// at the limit c(L) = 0, so Phi(c(x)) = k (G(L) - G(x)), and the salt is conserved: int eps c = c0 int eps.
double electrolyte_limit_A(const electrochem::CellParameters& p) {
  const auto& el = *p.electrolyte;
  const double c0 = el.initial_concentration;
  const double t_plus = el.transference_number;
  if (t_plus >= 1.0 || c0 <= 0.0) return TransportLimits::none;
  struct Region {
    double L, eps, b;
    int kind;  // 0 negative, 1 separator, 2 positive
  };
  std::vector<Region> regions;
  if (p.negative) regions.push_back({p.negative->thickness_m, p.negative->electrolyte_fraction, p.negative->bruggeman, 0});
  regions.push_back({p.separator.thickness_m, p.separator.electrolyte_fraction, p.separator.bruggeman, 1});
  regions.push_back({p.positive.thickness_m, p.positive.electrolyte_fraction, p.positive.bruggeman, 2});
  // Midpoints of a fine grid: eps and G at each.
  constexpr int per_region = 400;
  std::vector<double> eps, G, dx;
  double g = 0.0;
  for (const auto& r : regions) {
    const double h = r.L / per_region;
    for (int k = 0; k < per_region; ++k) {
      const double xi = (k + 0.5) / per_region;  // position within the region, 0..1
      const double s = r.kind == 0 ? xi : (r.kind == 1 ? 1.0 : 1.0 - xi);
      const double w = s / std::pow(r.eps, r.b);
      // G at the midpoint: the integral up to the cell's left face plus half of this cell (s linear inside).
      const double s_left = r.kind == 0 ? k / double(per_region) : (r.kind == 1 ? 1.0 : 1.0 - k / double(per_region));
      const double g_mid = g + 0.5 * h * 0.5 * (s_left + s) / std::pow(r.eps, r.b);
      eps.push_back(r.eps);
      G.push_back(g_mid);
      dx.push_back(h);
      g += h * w;
    }
  }
  const double G_L = g;
  // Phi(c) tabulated on [0, 10 c0] (trapezoid); D kept positive for polynomial fits outside their range.
  const double D0 = std::max(el.diffusivity(c0), 1e-15);
  constexpr int nt = 4000;
  const double c_top = 10.0 * c0;
  std::vector<double> phi(nt + 1, 0.0);
  auto D = [&](double c) { return std::max(el.diffusivity(c), 1e-3 * D0); };
  for (int k = 1; k <= nt; ++k) {
    const double ca = c_top * (k - 1) / nt, cb = c_top * k / nt;
    phi[k] = phi[k - 1] + 0.5 * (D(ca) + D(cb)) * (cb - ca);
  }
  auto inverse_phi = [&](double v) {
    if (v >= phi.back()) return c_top;
    const auto it = std::upper_bound(phi.begin(), phi.end(), v);
    const std::size_t k = static_cast<std::size_t>(it - phi.begin());
    const double w = (v - phi[k - 1]) / (phi[k] - phi[k - 1]);
    return c_top * (static_cast<double>(k) - 1.0 + w) / nt;
  };
  double eps_total = 0.0;
  for (std::size_t i = 0; i < eps.size(); ++i) eps_total += eps[i] * dx[i];
  auto excess_salt = [&](double k) {
    double m = 0.0;
    for (std::size_t i = 0; i < eps.size(); ++i) m += eps[i] * dx[i] * inverse_phi(k * (G_L - G[i]));
    return m - c0 * eps_total;
  };
  // Bracket and bisect k (mol/(m2 s)); the salt held at the limit grows with k.
  double lo = 0.0, hi = D0 * c0 / G_L;
  while (excess_salt(hi) < 0.0 && hi < 1e6) hi *= 2.0;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (excess_salt(mid) < 0.0 ? lo : hi) = mid;
  }
  const double k = 0.5 * (lo + hi);
  return F * k / (1.0 - t_plus) * p.electrode_area_m2;
}

}  // namespace

double TransportLimits::limiting_A() const { return std::min({electrolyte_A, positive_particles_A, negative_particles_A}); }

std::string TransportLimits::limited_by() const {
  const double m = limiting_A();
  if (!std::isfinite(m)) return "none";
  if (m == electrolyte_A) return "electrolyte";
  if (m == positive_particles_A) return "positive particles";
  return "negative particles";
}

TransportLimits transport_limits(const electrochem::CellParameters& p) {
  TransportLimits t;
  if (p.electrolyte && !p.solid_state) t.electrolyte_A = electrolyte_limit_A(p);
  t.positive_particles_A = particle_limit_A(p.positive, p.electrode_area_m2, true);
  if (p.negative) t.negative_particles_A = particle_limit_A(*p.negative, p.electrode_area_m2, false);
  return t;
}

}  // namespace solidcell::abuse
