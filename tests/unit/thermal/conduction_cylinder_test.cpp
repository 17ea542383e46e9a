// The 3D conduction solver on a cylinder grid (r, theta, z) against analytic solutions, each with a stated
// tolerance and an observed order: steady radial conduction with uniform heat generation in a solid and in
// a hollow cylinder, the cooling of an infinite cylinder (Bessel J0 series, eigenvalues from the Biot number,
// and with a fixed surface temperature), the theta direction against the 1D slab, the z direction against
// the box solver, energy conservation with every kind of heat, and bad input that names its field.
#include <cmath>
#include <functional>
#include <iostream>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "solidcell/thermal/conduction_3d.hpp"

namespace solidcell::thermal {
namespace {

constexpr double pi = std::numbers::pi;

double order(double coarse_error, double fine_error) { return std::log2(coarse_error / fine_error); }

// --- 1. Steady radial conduction with uniform generation q -----------------------------------------------
// Solid (r_inner = 0): T = T_s + q (R^2 - r^2) / (4 k_r). Hollow, inner face adiabatic:
// T = T_s + q (R^2 - r^2) / (4 k_r) - q a^2 ln(R / r) / (2 k_r).
constexpr double q_gen = 2e6, k_r = 0.5, T_surface = 320.0, R_out = 0.01;

double steady_radial_exact(double r, double a) {
  return T_surface + q_gen * (R_out * R_out - r * r) / (4.0 * k_r) - (a > 0.0 ? q_gen * a * a * std::log(R_out / r) / (2.0 * k_r) : 0.0);
}

// The largest error over the rings (relative to the centre's rise).
double steady_radial_error(int nr, double inner_radius) {
  Conduction3d c(Conduction3dGrid::cylinder(nr, 3, 2, inner_radius, R_out, pi, 0.05));
  c.set_conductivity(k_r, 30.0, 30.0);  // along the layers: irrelevant, nothing varies there
  c.set_heat_capacity(2e6);
  c.set_face(cylinder_face::outer, FaceCondition::fixed_temperature(T_surface));
  c.set_heat_source([](double, std::size_t, double) { return q_gen; }, [](double, std::size_t, double) { return 0.0; });
  c.set_initial_temperature(T_surface);
  c.solve_steady_state(0.0);
  const auto& g = c.grid();
  const double rise = steady_radial_exact(inner_radius, inner_radius) - T_surface;
  double error = 0.0;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        error = std::max(error, std::abs(c.temperature_K(i, j, k) - steady_radial_exact(g.centre_radius_m(i), inner_radius)) / rise);
  // The steady state balances the source against the surface.
  const double source = q_gen * g.domain_volume_m3();
  EXPECT_NEAR(c.heat_flow_in_W(cylinder_face::outer), -source, 1e-6 * source);
  return error;
}

TEST(ConductionCylinder, SteadySolidCylinderWithGenerationSecondOrder) {
  const double e10 = steady_radial_error(10, 0.0), e20 = steady_radial_error(20, 0.0), e40 = steady_radial_error(40, 0.0);
  std::cout << "solid cylinder, steady: error / rise " << e10 << ", " << e20 << ", " << e40 << " (orders " << order(e10, e20) << ", "
            << order(e20, e40) << ")\n";
  // The control volume on the axis converges a little slower (observed orders 1.84, 1.79 at 10-20-40).
  EXPECT_LT(e20, 3e-3);
  EXPECT_GT(order(e20, e40), 1.7);
}

TEST(ConductionCylinder, SteadyHollowCylinderWithGenerationSecondOrder) {
  const double a = 0.3 * R_out;
  const double e10 = steady_radial_error(10, a), e20 = steady_radial_error(20, a), e40 = steady_radial_error(40, a);
  std::cout << "hollow cylinder, steady: error / rise " << e10 << ", " << e20 << ", " << e40 << " (orders " << order(e10, e20) << ", "
            << order(e20, e40) << ")\n";
  EXPECT_LT(e20, 2e-3);
  EXPECT_GT(order(e20, e40), 1.8);
}

TEST(ConductionCylinder, RingWithoutGenerationIsExact) {
  // Steady conduction through a ring between two fixed temperatures: T = T_a + (T_b - T_a) ln(r/a) / ln(b/a),
  // which the logarithmic radial conductances reproduce to round-off on any grid.
  const double a = 0.002, b = 0.01;
  Conduction3d c(Conduction3dGrid::cylinder(7, 2, 1, a, b, 0.5 * pi, 0.01));
  c.set_conductivity(0.8, 1.0, 1.0);
  c.set_face(cylinder_face::inner, FaceCondition::fixed_temperature(400.0));
  c.set_face(cylinder_face::outer, FaceCondition::fixed_temperature(300.0));
  c.set_options([] {
    Conduction3dOptions o;
    o.relative_tolerance = 1e-10;
    o.absolute_tolerance_K = 1e-10;
    return o;
  }());
  c.set_initial_temperature(350.0);
  c.solve_steady_state(0.0);
  for (int i = 0; i < 7; ++i) {
    const double r = c.grid().centre_radius_m(i);
    EXPECT_NEAR(c.temperature_K(i, 0, 0), 400.0 - 100.0 * std::log(r / a) / std::log(b / a), 1e-8) << i;
  }
  const double flow = 2.0 * pi * 0.8 * 0.01 * 100.0 / std::log(b / a) / 4.0;  // a quarter ring
  EXPECT_NEAR(c.heat_flow_in_W(cylinder_face::inner), flow, 1e-9 * flow);
  EXPECT_NEAR(c.heat_flow_in_W(cylinder_face::outer), -flow, 1e-9 * flow);
}

// --- 2. Cooling of an infinite cylinder: theta = sum C_n exp(-lambda_n^2 Fo) J0(lambda_n r / R) ----------
// Convection: lambda J1(lambda) = Bi J0(lambda), C_n = 2 J1 / (lambda (J0^2 + J1^2)); a fixed surface
// temperature: J0(lambda) = 0, C_n = 2 / (lambda J1(lambda)) (the Bi -> infinity limit of the same).
constexpr double cyl_k = 1.0, cyl_rho_cp = 1e6, cyl_T0 = 400.0, cyl_T_inf = 300.0;  // R^2 / alpha = 100 s

std::vector<double> find_eigenvalues(double biot, int count) {
  auto g = [biot](double x) { return std::isinf(biot) ? std::cyl_bessel_j(0.0, x) : x * std::cyl_bessel_j(1.0, x) - biot * std::cyl_bessel_j(0.0, x); };
  std::vector<double> roots;
  double x = 1e-6, gx = g(x);
  while (static_cast<int>(roots.size()) < count) {
    const double y = x + 1e-3, gy = g(y);
    if ((gx > 0.0) != (gy > 0.0)) {
      double lo = x, hi = y;
      for (int it = 0; it < 80; ++it) {
        const double mid = 0.5 * (lo + hi);
        ((g(mid) > 0.0) == (g(lo) > 0.0) ? lo : hi) = mid;
      }
      roots.push_back(0.5 * (lo + hi));
    }
    x = y;
    gx = gy;
  }
  return roots;
}

const std::vector<double>& eigenvalues(double biot) {
  static const std::vector<double> convection = find_eigenvalues(2.0, 60), fixed = find_eigenvalues(INFINITY, 60);
  if (biot == 2.0) return convection;
  if (std::isinf(biot)) return fixed;
  throw std::logic_error("eigenvalues: Bi = 2 or infinity");
}

double cylinder_cooling_exact(double r, double t, double biot) {
  const double fo = cyl_k / cyl_rho_cp * t / (R_out * R_out);
  double sum = 0.0;
  for (double l : eigenvalues(biot)) {
    const double j0 = std::cyl_bessel_j(0.0, l), j1 = std::cyl_bessel_j(1.0, l);
    const double coefficient = std::isinf(biot) ? 2.0 / (l * j1) : 2.0 * j1 / (l * (j0 * j0 + j1 * j1));
    sum += coefficient * std::exp(-l * l * fo) * std::cyl_bessel_j(0.0, l * r / R_out);
  }
  return cyl_T_inf + (cyl_T0 - cyl_T_inf) * sum;
}

// Largest error at t over the rings, relative to T0 - T_inf. Half a cylinder with 2 angular and 1 axial
// control volumes, adiabatic ends: an infinite cylinder.
double cylinder_cooling_error(int nr, double biot, double t, double step_s = 0.005) {
  Conduction3d c(Conduction3dGrid::cylinder(nr, 2, 1, 0.0, R_out, pi, 0.02));
  c.set_conductivity(cyl_k, 5.0, 5.0);
  c.set_heat_capacity(cyl_rho_cp);
  if (std::isinf(biot)) {
    c.set_face(cylinder_face::outer, FaceCondition::fixed_temperature(cyl_T_inf));
  } else {
    c.set_face(cylinder_face::outer, FaceCondition::convection_radiation(biot * cyl_k / R_out, 0.0, cyl_T_inf));
  }
  Conduction3dOptions o;
  o.fixed_step_s = step_s;  // BDF2's time error well under the space error
  o.absolute_tolerance_K = 1e-6;  // Newton and the linear solves to far below the space error
  o.relative_tolerance = 1e-9;
  c.set_options(o);
  c.set_initial_temperature(cyl_T0);
  c.advance_to(t);
  double error = 0.0;
  for (int i = 0; i < nr; ++i) error = std::max(error, std::abs(c.temperature_K(i, 1, 0) - cylinder_cooling_exact(c.grid().centre_radius_m(i), t, biot)));
  const auto b = c.energy_balance();
  EXPECT_LT(std::abs(b.imbalance_J()), 1e-8 * std::abs(b.stored_energy_change_J));
  return error / (cyl_T0 - cyl_T_inf);
}

TEST(ConductionCylinder, CoolingCylinderBesselSeriesWithConvectionSecondOrder) {
  const double biot = 2.0, t = 10.0;  // Fo = 0.1
  const auto& l = eigenvalues(biot);
  EXPECT_NEAR(l[0], 1.5995, 1e-4);  // tabulated first root for Bi = 2 (Incropera, Table 5.1)
  const double e10 = cylinder_cooling_error(10, biot, t), e20 = cylinder_cooling_error(20, biot, t), e40 = cylinder_cooling_error(40, biot, t);
  std::cout << "cooling cylinder, Bi = 2, Fo = 0.1: error / (T0 - Tinf) " << e10 << ", " << e20 << ", " << e40 << " (orders " << order(e10, e20) << ", "
            << order(e20, e40) << ")\n";
  EXPECT_LT(e20, 2e-3);
  EXPECT_GT(order(e10, e20), 1.7);
  EXPECT_GT(order(e20, e40), 1.7);
}

TEST(ConductionCylinder, CoolingCylinderBesselSeriesWithFixedSurfaceSecondOrder) {
  const double t = 20.0;
  const auto& l = eigenvalues(INFINITY);
  EXPECT_NEAR(l[0], 2.404826, 1e-6);  // the first zeros of J0
  EXPECT_NEAR(l[1], 5.520078, 1e-6);
  const double e10 = cylinder_cooling_error(10, INFINITY, t), e20 = cylinder_cooling_error(20, INFINITY, t), e40 = cylinder_cooling_error(40, INFINITY, t);
  std::cout << "cooling cylinder, fixed surface, Fo = 0.2: error / (T0 - Tinf) " << e10 << ", " << e20 << ", " << e40 << " (orders " << order(e10, e20)
            << ", " << order(e20, e40) << ")\n";
  // The jump at the surface at t = 0 costs a little order (observed 1.83, 1.85 at 10-20-40).
  EXPECT_LT(e20, 2.5e-3);
  EXPECT_GT(order(e10, e20), 1.75);
  EXPECT_GT(order(e20, e40), 1.75);
}

// --- 3. The theta and z directions against the slab and the box -----------------------------------------
TEST(ConductionCylinder, ThetaDirectionOfAThinRingIsTheSlab) {
  // A thin ring (r from 1 to 1.0005 m) over theta in [0, 0.1]: a slab of length s = r theta_max = 0.1 m with
  // a fixed temperature at theta = 0, adiabatic at theta_max, uniform generation:
  // T = T0 + q (2 L s - s^2) / (2 k). The ring is the box solver's slab of n control volumes (to round-off),
  // whose error against the parabola is the half cell's at the wall, 1 / (4 n^2) of the rise.
  const int n = 20;
  const double r0 = 1.0, dr = 5e-4, theta = 0.1, k = 2.0, q = 1e5;
  Conduction3d c(Conduction3dGrid::cylinder(1, n, 1, r0, r0 + dr, theta, 0.01));
  c.set_conductivity(1e-3, k, 1.0);
  c.set_face(cylinder_face::theta_min, FaceCondition::fixed_temperature(300.0));
  c.set_heat_source([q](double, std::size_t, double) { return q; }, [](double, std::size_t, double) { return 0.0; });
  c.set_initial_temperature(300.0);
  c.solve_steady_state(0.0);
  const double r = c.grid().centre_radius_m(0), L = r * theta, rise = q * L * L / (2.0 * k);
  double error = 0.0;
  for (int j = 0; j < n; ++j) {
    const double s = r * c.grid().centre_y_m(j);
    error = std::max(error, std::abs(c.temperature_K(0, j, 0) - (300.0 + q * (2.0 * L * s - s * s) / (2.0 * k))) / rise);
  }
  Conduction3d slab({1, n, 1, dr, L, 0.01});
  slab.set_conductivity(1e-3, k, 1.0);
  slab.set_face(BoxFace::y_min, FaceCondition::fixed_temperature(300.0));
  slab.set_heat_source([q](double, std::size_t, double) { return q; }, [](double, std::size_t, double) { return 0.0; });
  slab.set_initial_temperature(300.0);
  slab.solve_steady_state(0.0);
  double difference = 0.0;
  for (int j = 0; j < n; ++j) difference = std::max(difference, std::abs(c.temperature_K(0, j, 0) - slab.temperature_K(0, j, 0)) / rise);
  std::cout << "thin ring along theta: error / rise " << error << " (1 / (4 n^2) = " << 0.25 / (n * n) << "), against the box slab " << difference << "\n";
  EXPECT_LT(error, 1.001 * 0.25 / (n * n));
  EXPECT_LT(difference, 1e-9);
}

TEST(ConductionCylinder, WholeCylinderCosineModeDecaysAtTheDiscreteRate) {
  // A thin ring around the whole circumference (periodic seam), T = T0 + A cos(theta) at t = 0, nothing
  // in or out: each mode decays alone. The discrete mode's rate is alpha (2 - 2 cos(dtheta)) / (r dtheta)^2
  // (the continuous alpha / r^2 to second order), so the amplitude after t is exact up to the time error.
  const int n = 24;
  const double r0 = 0.02, dr = 1e-5, k = 2.0, rho_cp = 2e6, T0 = 300.0, A = 10.0;
  Conduction3d c(Conduction3dGrid::cylinder(1, n, 1, r0, r0 + dr, 2.0 * pi, 0.01));
  EXPECT_TRUE(c.grid().is_periodic());
  c.set_conductivity(1e-3, k, 1.0);
  c.set_heat_capacity(rho_cp);
  std::vector<double> initial(n);
  for (int j = 0; j < n; ++j) initial[j] = T0 + A * std::cos(c.grid().centre_y_m(j) - 0.3);
  Conduction3dOptions o;
  o.relative_tolerance = 1e-9;
  o.absolute_tolerance_K = 1e-9;
  c.set_options(o);
  c.set_initial_temperature(initial);
  const double r = c.grid().centre_radius_m(0), dtheta = 2.0 * pi / n;
  const double rate = k / rho_cp * (2.0 - 2.0 * std::cos(dtheta)) / (r * dtheta * r * dtheta);
  const double t = 1.0 / rate;  // one e-folding
  c.advance_to(t);
  double error = 0.0;
  for (int j = 0; j < n; ++j) {
    const double exact = T0 + A * std::exp(-rate * t) * std::cos(c.grid().centre_y_m(j) - 0.3);
    error = std::max(error, std::abs(c.temperature_K(0, j, 0) - exact));
  }
  std::cout << "whole ring cosine mode: largest error " << error << " K of an amplitude " << A * std::exp(-1.0) << " K; discrete rate "
            << rate << " against the continuous " << k / rho_cp / (r * r) << " 1/s\n";
  EXPECT_LT(error, 1e-5 * A);
  EXPECT_NEAR(c.mean_temperature_K(), T0, 1e-9);  // the seam conducts and conserves
}

TEST(ConductionCylinder, WholeCylinderIsTheHalfUnderASymmetricLoadAndRotatesWithAnOffAxisLoad) {
  // Outside convecting, a source in one wedge of the outer rings. Placed on the half cylinder's plane of
  // symmetry (its first wedge), the whole cylinder's field is the half's mirrored; placed anywhere else, the
  // field is the same turned by the wedge's angle, including across the seam.
  const int nr = 6, nh = 12, nz = 5;
  const double R = 0.0105, H = 0.07, q = 2e6;
  auto make = [&](double theta_max, int ny, std::function<bool(int, int)> heated) {
    Conduction3d c(Conduction3dGrid::cylinder(nr, ny, nz, 0.0, R, theta_max, H));
    c.set_conductivity(0.8, 20.0, 20.0);
    c.set_heat_capacity(2.5e6);
    c.set_face(cylinder_face::outer, FaceCondition::convection_radiation(15.0, 0.0, 300.0));
    c.set_face(cylinder_face::theta_min, FaceCondition::adiabatic());
    c.set_face(cylinder_face::theta_max, FaceCondition::adiabatic());
    const Conduction3dGrid g = c.grid();
    c.set_heat_source([=](double, std::size_t cell, double) {
      const int i = static_cast<int>(cell % g.nx), j = static_cast<int>((cell / g.nx) % g.ny);
      return heated(i, j) ? q : 0.0;
    }, [](double, std::size_t, double) { return 0.0; });
    Conduction3dOptions o;
    o.relative_tolerance = 1e-12;
    o.absolute_tolerance_K = 1e-10;
    c.set_options(o);
    c.set_initial_temperature(300.0);
    c.solve_steady_state(0.0);
    return c;
  };
  // Half: wedge 0 of nh over [0, pi] heated (outer two rings). Whole: wedges 0 and 2 nh - 1 of 2 nh over
  // [0, 2 pi], the mirror images about theta = 0.
  const auto half = make(pi, nh, [](int i, int j) { return i >= nr - 2 && j == 0; });
  const auto whole = make(2.0 * pi, 2 * nh, [&](int i, int j) { return i >= nr - 2 && (j == 0 || j == 2 * nh - 1); });
  double mirror = 0.0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < nh; ++j)
      for (int i = 0; i < nr; ++i) {
        mirror = std::max(mirror, std::abs(whole.temperature_K(i, j, k) - half.temperature_K(i, j, k)));
        mirror = std::max(mirror, std::abs(whole.temperature_K(i, 2 * nh - 1 - j, k) - half.temperature_K(i, j, k)));
      }
  // Turned: a single wedge heated at j = 5, against the same at j = 0 (next to the seam).
  const auto at0 = make(2.0 * pi, 2 * nh, [](int i, int j) { return i >= nr - 2 && j == 0; });
  const auto at5 = make(2.0 * pi, 2 * nh, [](int i, int j) { return i >= nr - 2 && j == 5; });
  double turned = 0.0, rise = 0.0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < 2 * nh; ++j)
      for (int i = 0; i < nr; ++i) {
        turned = std::max(turned, std::abs(at5.temperature_K(i, (j + 5) % (2 * nh), k) - at0.temperature_K(i, j, k)));
        rise = std::max(rise, at0.temperature_K(i, j, k) - 300.0);
      }
  // Symmetric about the heated wedge across the seam: j = 1 and j = 2 nh - 1.
  const double across = std::abs(at0.temperature_K(nr - 1, 1, 2) - at0.temperature_K(nr - 1, 2 * nh - 1, 2));
  std::cout << "whole cylinder: against the mirrored half " << mirror << " K, turned " << turned << " K, across the seam " << across
            << " K (rise " << rise << " K)\n";
  EXPECT_LT(mirror, 1e-9 * rise);  // measured 1e-12 K: the seam is an interior face like any other
  EXPECT_LT(turned, 1e-9 * rise);
  EXPECT_LT(across, 1e-9 * rise);
  EXPECT_GT(rise, 1.0);
}

TEST(ConductionCylinder, AxialDirectionMatchesTheBox) {
  // Only z resolved (adiabatic sides), a transient with a source, a fixed bottom and a convecting and
  // radiating top: every ring of the cylinder is the box's slab, to round-off.
  const int nz = 12;
  const double H = 0.07;
  auto setup = [&](Conduction3d& c, BoxFace bottom, BoxFace top) {
    c.set_conductivity(3.0, 3.0, 25.0);
    c.set_heat_capacity(2.2e6);
    c.set_face(bottom, FaceCondition::fixed_temperature(300.0));
    c.set_face(top, FaceCondition::convection_radiation(15.0, 0.8, 420.0));
    c.set_heat_source([](double t, std::size_t, double T) { return 1e4 * (1.0 + std::sin(t / 50.0)) * std::exp((T - 300.0) / 100.0); });
    Conduction3dOptions o;
    o.fixed_step_s = 1.0;
    o.absolute_tolerance_K = 1e-8;  // Newton to round-off: the comparison is exact
    o.relative_tolerance = 1e-12;
    c.set_options(o);
    c.set_initial_temperature(300.0);
    c.advance_to(600.0);
  };
  Conduction3d cyl(Conduction3dGrid::cylinder(4, 3, nz, 0.001, 0.0105, pi, H));
  setup(cyl, cylinder_face::bottom, cylinder_face::top);
  Conduction3d box({1, 1, nz, 0.01, 0.01, H});
  setup(box, BoxFace::z_min, BoxFace::z_max);
  double difference = 0.0;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) difference = std::max(difference, std::abs(cyl.temperature_K(i, j, k) - box.temperature_K(0, 0, k)));
  std::cout << "axial: cylinder vs box, largest difference " << difference << " K (top at " << box.temperature_K(0, 0, nz - 1) << " K)\n";
  EXPECT_LT(difference, 1e-6);
  EXPECT_GT(box.temperature_K(0, 0, nz - 1), 305.0);
}

// --- 4. Energy ----------------------------------------------------------------------------------------
TEST(ConductionCylinder, TransientConservesEnergyWithEveryKindOfHeat) {
  Conduction3d c(Conduction3dGrid::cylinder(10, 8, 6, 0.001, 0.0105, pi, 0.07));
  const std::size_t n = c.cell_count();
  std::vector<double> kr(n, 0.3), kt(n, 25.0), kz(n, 25.0), rho_cp(n, 2.4e6);
  for (std::size_t c_ = 0; c_ < n; c_ += 7) {  // a patchy material
    kr[c_] = 15.0;
    rho_cp[c_] = 3.7e6;
  }
  c.set_conductivity(kr, kt, kz);
  c.set_heat_capacity(rho_cp);
  auto oven = [](double t) { return 300.0 + std::min(t, 1200.0) * (150.0 / 1200.0); };
  c.set_all_faces(FaceCondition::convection_radiation(12.0, 0.8, oven));
  c.set_face(cylinder_face::theta_min, FaceCondition::adiabatic());
  c.set_face(cylinder_face::theta_max, FaceCondition::adiabatic());
  c.set_face(cylinder_face::bottom, FaceCondition::fixed_temperature([](double t) { return 300.0 + 20.0 * std::sin(t / 300.0); }));
  c.set_heat_source([](double, std::size_t cell, double T) { return (cell % 3 == 0 ? 4e3 : 1e3) * std::exp((T - 300.0) / 60.0); });
  DecompositionReaction reaction;
  reaction.pre_exponential_factor_per_s = 3.3e14;
  reaction.activation_energy_J_per_mol = 1.5e5;
  reaction.heat_released_J_per_m3 = {3e8};
  c.set_decomposition_reaction(reaction);
  c.set_initial_temperature(300.0);
  c.advance_to(3000.0);
  const auto balance = c.energy_balance();
  double scale = std::abs(balance.stored_energy_change_J) + std::abs(balance.source_heat_J) + std::abs(balance.reaction_heat_J);
  for (double q : balance.heat_in_through_face_J) scale += std::abs(q);
  std::cout << "cylinder transient balance: stored " << balance.stored_energy_change_J << " J, faces " << balance.heat_in_through_faces_J() << " J, source "
            << balance.source_heat_J << " J, reaction " << balance.reaction_heat_J << " J, imbalance " << balance.imbalance_J() << " J ("
            << balance.imbalance_J() / scale << "); " << c.statistics().steps << " steps, Tmax " << c.max_temperature_K() << " K\n";
  EXPECT_GT(balance.reaction_heat_J, 0.0);
  EXPECT_GT(balance.heat_in_through_face_J[static_cast<int>(cylinder_face::outer)], 0.0);
  EXPECT_EQ(balance.heat_in_through_face_J[static_cast<int>(cylinder_face::theta_min)], 0.0);
  EXPECT_LT(std::abs(balance.imbalance_J()), 1e-8 * scale);
  double progress_heat = 0.0;
  const auto x = c.reaction_progress();
  for (std::size_t cell = 0; cell < n; ++cell) progress_heat += 3e8 * x[cell] * c.control_volume_m3(cell);
  EXPECT_NEAR(balance.reaction_heat_J, progress_heat, 1e-9 * progress_heat);
  // The control volumes fill the sector exactly.
  double volume = 0.0;
  for (std::size_t cell = 0; cell < n; ++cell) volume += c.control_volume_m3(cell);
  EXPECT_NEAR(volume, 0.5 * pi * (0.0105 * 0.0105 - 0.001 * 0.001) * 0.07, 1e-12 * volume);
}

TEST(ConductionCylinder, BadInputNamesTheField) {
  auto message = [](const Conduction3dGrid& g) {
    try {
      Conduction3d c(g);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(Conduction3dGrid::cylinder(4, 4, 4, 0.0, 0.01, 2.5 * pi, 0.07)).find("theta_max"), std::string::npos);
  EXPECT_NE(message(Conduction3dGrid::cylinder(4, 2, 4, 0.0, 0.01, 2.0 * pi, 0.07)).find("ny"), std::string::npos);
  EXPECT_NE(message(Conduction3dGrid::cylinder(4, 4, 4, -0.001, 0.01, pi, 0.07)).find("inner_radius_m"), std::string::npos);
  EXPECT_NE(message(Conduction3dGrid::cylinder(4, 4, 4, 0.01, 0.01, pi, 0.07)).find("outer - inner"), std::string::npos);
}

}  // namespace
}  // namespace solidcell::thermal
