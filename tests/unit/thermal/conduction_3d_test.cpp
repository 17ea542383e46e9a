// The 3D conduction solver against analytic solutions, each with a stated tolerance and, where the
// discretisation has one, an observed order: the Fourier series of a slab (space and time), the lumped
// limit (convection, and radiation into 0 K), the steady parabola and a 3D steady energy balance, energy
// conservation through a transient with every kind of heat, anisotropic spreading from a point source, and
// an Arrhenius runaway (adiabatic rise exact) plus bad input that names its field.
#include "solidcell/thermal/conduction_3d.hpp"

#include <cmath>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace solidcell::thermal {
namespace {

constexpr double pi = std::numbers::pi;

double order(double coarse_error, double fine_error) { return std::log2(coarse_error / fine_error); }

// --- 1. Slab: only z resolved, walls at T_wall from t = 0, uniform T0 inside --------------------------------
constexpr double slab_length = 0.01, slab_k = 1.0, slab_rho_cp = 1e6;  // diffusivity 1e-6 m2/s: L^2/alpha = 100 s
constexpr double slab_T0 = 300.0, slab_wall = 350.0;

double slab_exact(double z, double t) {
  const double alpha = slab_k / slab_rho_cp;
  double sum = 0.0;
  for (int n = 1; n < 400; n += 2) {
    sum += 4.0 / (n * pi) * std::sin(n * pi * z / slab_length) * std::exp(-n * n * pi * pi * alpha * t / (slab_length * slab_length));
  }
  return slab_wall + (slab_T0 - slab_wall) * sum;
}

Conduction3d make_slab(int nz, const Conduction3dOptions& options) {
  Conduction3d slab({1, 1, nz, 0.01, 0.01, slab_length});
  slab.set_conductivity(slab_k, slab_k, slab_k);
  slab.set_heat_capacity(slab_rho_cp);
  slab.set_face(BoxFace::z_min, FaceCondition::fixed_temperature(slab_wall));
  slab.set_face(BoxFace::z_max, FaceCondition::fixed_temperature(slab_wall));
  slab.set_options(options);
  slab.set_initial_temperature(slab_T0);
  return slab;
}

double slab_error(const Conduction3d& slab, double t) {
  double worst = 0.0;
  for (int k = 0; k < slab.grid().nz; ++k) {
    worst = std::max(worst, std::abs(slab.temperature_K(0, 0, k) - slab_exact(slab.grid().centre_z_m(k), t)));
  }
  return worst;
}

TEST(Conduction3d, SlabFourierSeriesSecondOrderInSpace) {
  // At alpha t / L^2 = 0.1; time error held far below the space error by tight tolerances.
  Conduction3dOptions tight;
  tight.relative_tolerance = 1e-9;
  tight.absolute_tolerance_K = 1e-7;
  const double t = 10.0;
  std::vector<double> errors;
  for (int nz : {10, 20, 40, 80}) {
    auto slab = make_slab(nz, tight);
    slab.advance_to(t);
    errors.push_back(slab_error(slab, t));
  }
  std::cout << "slab space errors [K]:";
  for (double e : errors) std::cout << ' ' << e;
  std::cout << "  orders: " << order(errors[0], errors[1]) << ' ' << order(errors[1], errors[2]) << ' ' << order(errors[2], errors[3]) << '\n';
  EXPECT_LT(errors[0], 0.4);  // 10 cells across a 50 K step: under 0.4 K
  EXPECT_LT(errors[3], 6e-3);
  EXPECT_NEAR(order(errors[1], errors[2]), 2.0, 0.1);
  EXPECT_NEAR(order(errors[2], errors[3]), 2.0, 0.1);
}

TEST(Conduction3d, SlabBdf2SecondOrderInTime) {
  // Fixed steps on one grid against the same grid with steps 64 times shorter (the semi-discrete solution).
  const int nz = 20;
  const double t = 10.0;
  Conduction3dOptions reference_options;
  reference_options.fixed_step_s = 0.25 / 64.0;
  auto reference = make_slab(nz, reference_options);
  reference.advance_to(t);
  std::vector<double> errors;
  for (double dt : {1.0, 0.5, 0.25}) {
    Conduction3dOptions o;
    o.fixed_step_s = dt;
    auto slab = make_slab(nz, o);
    slab.advance_to(t);
    double worst = 0.0;
    for (std::size_t c = 0; c < slab.cell_count(); ++c) worst = std::max(worst, std::abs(slab.temperature_K()[c] - reference.temperature_K()[c]));
    errors.push_back(worst);
  }
  std::cout << "slab time errors [K] (dt 1, 0.5, 0.25 s): " << errors[0] << ' ' << errors[1] << ' ' << errors[2]
            << "  orders: " << order(errors[0], errors[1]) << ' ' << order(errors[1], errors[2]) << '\n';
  EXPECT_LT(errors[2], 2e-2);
  EXPECT_GT(order(errors[1], errors[2]), 1.8);
  // And the adaptive stepper meets the Fourier series on a fine grid.
  Conduction3dOptions adaptive;
  adaptive.relative_tolerance = 1e-6;
  adaptive.absolute_tolerance_K = 1e-4;
  auto fine = make_slab(80, adaptive);
  fine.advance_to(t);
  EXPECT_LT(slab_error(fine, t), 6e-3);
}

// --- 2. Lumped limit ---------------------------------------------------------------------------------------
struct LumpedBox {
  Conduction3dGrid grid{4, 4, 4, 0.02, 0.03, 0.01};
  double rho_cp = 2e6;
  double volume() const { return grid.length_x_m * grid.length_y_m * grid.length_z_m; }
  double area() const {
    return 2.0 * (grid.length_x_m * grid.length_y_m + grid.length_x_m * grid.length_z_m + grid.length_y_m * grid.length_z_m);
  }
  Conduction3d make(const FaceCondition& faces, const Conduction3dOptions& options) const {
    Conduction3d box(grid);
    box.set_conductivity(1e5, 1e5, 1e5);  // Biot number 1e-6
    box.set_heat_capacity(rho_cp);
    box.set_all_faces(faces);
    box.set_options(options);
    box.set_initial_temperature(400.0);
    return box;
  }
};

TEST(Conduction3d, LumpedConvectionIsExponential) {
  const LumpedBox lumped;
  const double h = 10.0, ambient = 300.0;
  const double time_constant = lumped.rho_cp * lumped.volume() / (h * lumped.area());  // 545 s
  auto exact = [&](double t) { return ambient + 100.0 * std::exp(-t / time_constant); };
  Conduction3dOptions adaptive;
  adaptive.relative_tolerance = 1e-8;
  adaptive.absolute_tolerance_K = 1e-7;
  auto box = lumped.make(FaceCondition::convection_radiation(h, 0.0, ambient), adaptive);
  for (double t : {0.5 * time_constant, time_constant, 3.0 * time_constant}) {
    box.advance_to(t);
    EXPECT_NEAR(box.mean_temperature_K(), exact(t), 1e-3) << t;  // local error control: about steps x tolerance
    EXPECT_LT(box.max_temperature_K() - box.min_temperature_K(), 1e-4);
  }
  // Order in time with fixed steps.
  std::vector<double> errors;
  for (double steps : {10.0, 20.0, 40.0}) {
    Conduction3dOptions o;
    o.fixed_step_s = time_constant / steps;
    auto b = lumped.make(FaceCondition::convection_radiation(h, 0.0, ambient), o);
    b.advance_to(2.0 * time_constant);
    errors.push_back(std::abs(b.mean_temperature_K() - exact(2.0 * time_constant)));
  }
  std::cout << "lumped convection errors [K] (tau/10, /20, /40): " << errors[0] << ' ' << errors[1] << ' ' << errors[2]
            << "  orders: " << order(errors[0], errors[1]) << ' ' << order(errors[1], errors[2]) << '\n';
  EXPECT_NEAR(order(errors[1], errors[2]), 2.0, 0.15);
}

TEST(Conduction3d, LumpedRadiationIntoColdSpace) {
  // rho c_p V dT/dt = -eps sigma A T^4  =>  T = (T0^-3 + 3 eps sigma A t / (rho c_p V))^(-1/3).
  const LumpedBox lumped;
  const double emissivity = 0.9, sigma = 5.670374419e-8;
  Conduction3dOptions o;
  o.relative_tolerance = 1e-8;
  o.absolute_tolerance_K = 1e-7;
  auto box = lumped.make(FaceCondition::convection_radiation(0.0, emissivity, 0.0), o);
  const double t = 3600.0;
  box.advance_to(t);
  const double exact = std::pow(std::pow(400.0, -3.0) + 3.0 * emissivity * sigma * lumped.area() * t / (lumped.rho_cp * lumped.volume()), -1.0 / 3.0);
  EXPECT_NEAR(box.mean_temperature_K(), exact, 1e-5 * (400.0 - exact));
  EXPECT_LT(std::abs(box.energy_balance().imbalance_J()), 1e-8 * std::abs(box.energy_balance().stored_energy_change_J));
}

TEST(Conduction3d, LumpedContactShareIsExponential) {
  // The top face: 40 % in contact with a body at 350 K (h_c = 500 W/m2K), the rest convecting to 300 K
  // (h = 10); the other faces adiabatic. Lumped: C dT/dt = A [f h_c (T_b - T) + (1 - f) h (T_a - T)].
  const LumpedBox lumped;
  const double f = 0.4, h_c = 500.0, h = 10.0, body = 350.0, ambient = 300.0;
  const double A = lumped.grid.length_x_m * lumped.grid.length_y_m, C = lumped.rho_cp * lumped.volume();
  const double G = A * (f * h_c + (1.0 - f) * h), T_inf = A * (f * h_c * body + (1.0 - f) * h * ambient) / G, tau = C / G;
  Conduction3dOptions o;
  o.relative_tolerance = 1e-8;
  o.absolute_tolerance_K = 1e-7;
  auto box = lumped.make(FaceCondition::adiabatic(), o);
  FaceCondition top = FaceCondition::convection_radiation(h, 0.0, ambient);
  top.contact = [&](double, std::size_t) { return FaceCondition::Contact{f, h_c, body}; };
  box.set_face(BoxFace::z_max, top);
  box.set_initial_temperature(400.0);
  const double t = 1.5 * tau;
  box.advance_to(t);
  const double exact = T_inf + (400.0 - T_inf) * std::exp(-t / tau);
  EXPECT_NEAR(box.mean_temperature_K(), exact, 1e-5 * (400.0 - exact));
  // The contact's heat on its own: f h_c A int (T_b - T) dt.
  const double contact = f * h_c * A * ((body - T_inf) * t - (400.0 - T_inf) * tau * (1.0 - std::exp(-t / tau)));
  const auto balance = box.energy_balance();
  EXPECT_NEAR(balance.contact_heat_J, contact, 1e-5 * std::abs(contact));
  EXPECT_LT(std::abs(balance.imbalance_J()), 1e-8 * std::abs(balance.stored_energy_change_J));
  // The contact's heat is part of the top face's.
  EXPECT_LT(std::abs(balance.contact_heat_J), std::abs(balance.heat_in_through_face_J[static_cast<int>(BoxFace::z_max)]) + 1e-9);
}

TEST(Conduction3d, ContactOnAnAdiabaticFaceOnlyWhereItTouches) {
  // A slab whose only exchange is a body touching the left half of its top face: at the steady state of a
  // uniform source every watt leaves through the contact, and the touched half is the cooler one.
  Conduction3d box({8, 1, 4, 0.08, 0.01, 0.004});
  box.set_conductivity(20.0, 20.0, 1.0);
  box.set_heat_capacity(2e6);
  FaceCondition top = FaceCondition::adiabatic();
  top.contact = [](double, std::size_t c) { return FaceCondition::Contact{c % 8 < 4 ? 1.0 : 0.0, 2000.0, 300.0}; };
  box.set_face(BoxFace::z_max, top);
  const double q = 1e5;  // W/m3
  box.set_heat_source([q](double, std::size_t, double) { return q; });
  box.set_initial_temperature(300.0);
  box.solve_steady_state(0.0);
  EXPECT_NEAR(box.heat_flow_in_W(BoxFace::z_max), -q * 0.08 * 0.01 * 0.004, 1e-6 * q * 0.08 * 0.01 * 0.004);
  const auto& T = box.temperature_K();
  EXPECT_LT(T[box.grid().index(0, 0, 3)], T[box.grid().index(7, 0, 3)]);
}

// --- 3. Steady states --------------------------------------------------------------------------------------
TEST(Conduction3d, SteadyParabolaSecondOrder) {
  // T = T_wall + q z (L - z) / (2k). Cell-centred volumes with half-cell walls are off by exactly
  // q dz^2 / (8k) in every cell (the stencil is exact for the parabola; the wall cells shift it).
  const double q = 1e6, k = 1.0, length = 0.01, wall = 300.0;
  std::vector<double> errors;
  for (int nz : {10, 20, 40}) {
    Conduction3d slab({1, 1, nz, 0.01, 0.01, length});
    slab.set_conductivity(k, k, k);
    slab.set_heat_capacity(1e6);
    slab.set_face(BoxFace::z_min, FaceCondition::fixed_temperature(wall));
    slab.set_face(BoxFace::z_max, FaceCondition::fixed_temperature(wall));
    slab.set_heat_source([q](double, std::size_t, double) { return q; });
    Conduction3dOptions o;
    o.relative_tolerance = 1e-12;
    o.absolute_tolerance_K = 1e-10;
    slab.set_options(o);
    slab.set_initial_temperature(wall);
    slab.solve_steady_state(0.0);
    double worst = 0.0;
    const double dz = length / nz;
    for (int c = 0; c < nz; ++c) {
      const double z = slab.grid().centre_z_m(c);
      const double error = slab.temperature_K(0, 0, c) - (wall + q * z * (length - z) / (2.0 * k));
      EXPECT_NEAR(error, q * dz * dz / (8.0 * k), 1e-9 * q * length * length / k) << nz << ' ' << c;
      worst = std::max(worst, std::abs(error));
    }
    errors.push_back(worst);
  }
  std::cout << "steady parabola errors [K]: " << errors[0] << ' ' << errors[1] << ' ' << errors[2]
            << "  orders: " << order(errors[0], errors[1]) << ' ' << order(errors[1], errors[2]) << '\n';
  EXPECT_NEAR(order(errors[1], errors[2]), 2.0, 1e-6);
}

TEST(Conduction3d, SteadyAnisotropicBoxBalancesSourceAgainstFaces) {
  Conduction3d box({12, 10, 8, 0.12, 0.08, 0.01});
  box.set_conductivity(25.0, 18.0, 0.6);
  box.set_heat_capacity(2.2e6);
  box.set_face(BoxFace::x_min, FaceCondition::fixed_temperature(300.0));
  box.set_face(BoxFace::x_max, FaceCondition::convection_radiation(30.0, 0.8, 290.0));
  box.set_face(BoxFace::y_min, FaceCondition::convection_radiation(5.0, 0.0, 310.0));
  box.set_face(BoxFace::y_max, FaceCondition::adiabatic());
  box.set_face(BoxFace::z_min, FaceCondition::convection_radiation(10.0, 0.5, 295.0));
  box.set_face(BoxFace::z_max, FaceCondition::convection_radiation(10.0, 0.5, 295.0));
  // A source that falls with temperature, with its derivative.
  box.set_heat_source([](double, std::size_t, double T) { return 2e5 - 500.0 * (T - 300.0); },
                      [](double, std::size_t, double) { return -500.0; });
  box.set_initial_temperature(300.0);
  box.solve_steady_state(0.0);
  double faces = 0.0;
  for (int f = 0; f < box_face_count; ++f) faces += box.heat_flow_in_W(static_cast<BoxFace>(f));
  const double source = box.source_power_W();
  std::cout << "3D steady: source " << source << " W, faces " << faces << " W, relative imbalance "
            << (source + faces) / source << ", T " << box.min_temperature_K() << ".." << box.max_temperature_K() << " K\n";
  EXPECT_GT(source, 10.0);
  EXPECT_LT(std::abs(source + faces), 1e-9 * source);
  EXPECT_GT(box.max_temperature_K(), 310.0);
}

// --- 4. Energy conservation --------------------------------------------------------------------------------
TEST(Conduction3d, TransientConservesEnergyWithEveryKindOfHeat) {
  Conduction3d box({10, 8, 6, 0.1, 0.08, 0.012});
  std::vector<double> kx(box.cell_count(), 20.0), rho_cp(box.cell_count(), 2.4e6);
  for (std::size_t c = 0; c < box.cell_count(); c += 7) {  // a patchy material
    kx[c] = 200.0;
    rho_cp[c] = 3.5e6;
  }
  box.set_conductivity(kx, std::vector<double>(box.cell_count(), 15.0), std::vector<double>(box.cell_count(), 0.7));
  box.set_heat_capacity(rho_cp);
  auto oven = [](double t) { return 300.0 + std::min(t, 1200.0) * (150.0 / 1200.0); };
  box.set_all_faces(FaceCondition::convection_radiation(12.0, 0.8, oven));
  box.set_face(BoxFace::y_min, FaceCondition::fixed_temperature([](double t) { return 300.0 + 20.0 * std::sin(t / 300.0); }));
  // A temperature-dependent source without a derivative (difference quotients) ...
  box.set_heat_source([](double, std::size_t c, double T) { return (c % 3 == 0 ? 4e3 : 1e3) * std::exp((T - 300.0) / 60.0); });
  // ... and a decomposition.
  DecompositionReaction reaction;
  reaction.pre_exponential_factor_per_s = 3.3e14;
  reaction.activation_energy_J_per_mol = 1.5e5;
  reaction.heat_released_J_per_m3 = {3e8};
  box.set_decomposition_reaction(reaction);
  box.set_initial_temperature(300.0);
  box.advance_to(3000.0);
  const auto balance = box.energy_balance();
  double scale = std::abs(balance.stored_energy_change_J) + std::abs(balance.source_heat_J) + std::abs(balance.reaction_heat_J);
  for (double q : balance.heat_in_through_face_J) scale += std::abs(q);
  std::cout << "transient balance: stored " << balance.stored_energy_change_J << " J, faces " << balance.heat_in_through_faces_J()
            << " J, source " << balance.source_heat_J << " J, reaction " << balance.reaction_heat_J << " J, imbalance "
            << balance.imbalance_J() << " J (" << balance.imbalance_J() / scale << " of the heat moved); "
            << box.statistics().steps << " steps, Tmax " << box.max_temperature_K() << " K\n";
  EXPECT_GT(balance.reaction_heat_J, 0.0);
  EXPECT_GT(balance.heat_in_through_face_J[static_cast<int>(BoxFace::x_min)], 0.0);
  EXPECT_LT(std::abs(balance.imbalance_J()), 1e-8 * scale);
  // The reaction's heat is H times its progress, exactly.
  double progress_heat = 0.0;
  for (double x : box.reaction_progress()) progress_heat += 3e8 * x * box.grid().cell_volume_m3();
  EXPECT_NEAR(balance.reaction_heat_J, progress_heat, 1e-9 * progress_heat);
}

// --- 5. Anisotropy ------------------------------------------------------------------------------------------
TEST(Conduction3d, PointSourceSpreadsBySquareRootOfConductivityRatio) {
  // A source in the middle cell; the excess temperature's second moment grows as alpha_axis t (times the
  // heat), so the spreads' ratio is sqrt(k_x / k_z) while the heat has not reached the faces.
  const int n = 31;
  Conduction3d box({n, n, n, 0.031, 0.031, 0.031});
  const double kx = 8.0, kz = 2.0;
  box.set_conductivity(kx, 4.0, kz);
  box.set_heat_capacity(2e6);
  const std::size_t middle = box.grid().index(n / 2, n / 2, n / 2);
  box.set_heat_source([middle](double, std::size_t c, double) { return c == middle ? 1e8 : 0.0; });
  Conduction3dOptions o;
  o.relative_tolerance = 1e-6;
  box.set_options(o);
  box.set_initial_temperature(300.0);
  for (double t : {2.0, 5.0, 10.0}) {
    box.advance_to(t);
    double heat = 0.0, mx = 0.0, mz = 0.0;
    for (int k = 0; k < n; ++k) {
      for (int j = 0; j < n; ++j) {
        for (int i = 0; i < n; ++i) {
          const double excess = box.temperature_K(i, j, k) - 300.0;
          const double x = (i - n / 2) * 1e-3, z = (k - n / 2) * 1e-3;
          heat += excess;
          mx += excess * x * x;
          mz += excess * z * z;
        }
      }
    }
    const double ratio = std::sqrt(mx / mz);
    std::cout << "anisotropic spread at " << t << " s: sigma_x " << std::sqrt(mx / heat) * 1e3 << " mm, sigma_z "
              << std::sqrt(mz / heat) * 1e3 << " mm, ratio " << ratio << " (sqrt(kx/kz) = " << std::sqrt(kx / kz) << ")\n";
    EXPECT_NEAR(ratio, std::sqrt(kx / kz), 0.1 * std::sqrt(kx / kz)) << t;
  }
}

// --- 6. Runaway and bad input -------------------------------------------------------------------------------
DecompositionReaction runaway_reaction() {
  DecompositionReaction r;
  r.pre_exponential_factor_per_s = 5e20;  // 1e-4 /s at 423 K, 1.5e-6 /s at 373 K
  r.activation_energy_J_per_mol = 2e5;
  r.heat_released_J_per_m3 = {1e9};  // 400 K adiabatic rise at 2.5 MJ/(m3 K)
  return r;
}

TEST(Conduction3d, AdiabaticRunawayReachesTheAdiabaticTemperature) {
  Conduction3d box({6, 5, 4, 0.06, 0.05, 0.01});
  box.set_conductivity(20.0, 20.0, 0.5);
  box.set_heat_capacity(2.5e6);
  box.set_decomposition_reaction(runaway_reaction());
  std::vector<double> start(box.cell_count(), 430.0);
  start[0] = 450.0;  // a hot corner sets it off first
  box.set_initial_temperature(start);
  box.advance_to(20000.0);
  double mean_start = 0.0;
  for (double T : start) mean_start += T / static_cast<double>(start.size());
  for (double x : box.reaction_progress()) EXPECT_GT(x, 1.0 - 1e-9);
  EXPECT_NEAR(box.mean_temperature_K(), mean_start + 400.0, 1e-6);
  EXPECT_LT(box.max_temperature_K() - box.min_temperature_K(), 1e-3);
  EXPECT_LT(std::abs(box.energy_balance().imbalance_J()), 1e-9 * box.energy_balance().reaction_heat_J);
  std::cout << "adiabatic runaway: " << box.statistics().steps << " steps, " << box.statistics().rejected_steps << " rejected, "
            << box.statistics().newton_failures << " Newton failures\n";
}

TEST(Conduction3d, OvenRunawayRunsThrough) {
  Conduction3d box({16, 12, 8, 0.2, 0.15, 0.01});
  box.set_conductivity(25.0, 25.0, 0.8);
  box.set_heat_capacity(2.5e6);
  box.set_all_faces(FaceCondition::convection_radiation(10.0, 0.8, [](double t) { return std::min(298.15 + t / 12.0, 433.15); }));
  box.set_decomposition_reaction(runaway_reaction());
  box.set_initial_temperature(298.15);
  double peak = 0.0;
  for (double t = 600.0; t <= 7200.0; t += 600.0) {
    box.advance_to(t);
    peak = std::max(peak, box.max_temperature_K());
  }
  std::cout << "oven runaway: peak " << peak << " K, " << box.statistics().steps << " steps, " << box.statistics().rejected_steps
            << " rejected, " << box.statistics().newton_failures << " Newton failures, " << box.statistics().linear_iterations
            << " CG iterations\n";
  EXPECT_GT(peak, 700.0);
  for (double x : box.reaction_progress()) EXPECT_GT(x, 0.99);
  const auto b = box.energy_balance();
  EXPECT_LT(std::abs(b.imbalance_J()), 1e-8 * b.reaction_heat_J);
}

TEST(Conduction3d, StiffSourceThroughTheCallback) {
  // A heat source that switches on within a few kelvin around 440 K (dq/dT up to 2.5e5 W/(m3 K)), given
  // with its derivative: the cells cross it one after another without a Newton failure, and every joule is
  // accounted for.
  Conduction3d box({8, 8, 4, 0.08, 0.08, 0.01});
  box.set_conductivity(25.0, 25.0, 0.8);
  box.set_heat_capacity(2.5e6);
  box.set_all_faces(FaceCondition::convection_radiation(10.0, 0.5, 445.0));
  const double peak = 2e6, onset = 440.0, width = 2.0;
  box.set_heat_source([=](double, std::size_t, double T) { return 0.5 * peak * (1.0 + std::tanh((T - onset) / width)); },
                      [=](double, std::size_t, double T) {
                        const double c = std::cosh((T - onset) / width);
                        return 0.5 * peak / (width * c * c);
                      });
  box.set_initial_temperature(300.0);
  EXPECT_NO_THROW(box.advance_to(7200.0));
  EXPECT_GT(box.min_temperature_K(), 600.0);
  EXPECT_EQ(box.statistics().newton_failures, 0);
  const auto b = box.energy_balance();
  EXPECT_LT(std::abs(b.imbalance_J()), 1e-8 * b.source_heat_J);
  std::cout << "switching source: " << box.statistics().steps << " steps, T " << box.min_temperature_K() << ".." << box.max_temperature_K() << " K\n";
}

template <typename F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

TEST(Conduction3d, BadInputNamesTheField) {
  EXPECT_NE(invalid_argument_message([] { Conduction3d({0, 4, 4, 0.1, 0.1, 0.1}); }).find("nx"), std::string::npos);
  EXPECT_NE(invalid_argument_message([] { Conduction3d({4, 4, 4, 0.1, -0.1, 0.1}); }).find("length_y_m"), std::string::npos);
  Conduction3d box({4, 3, 2, 0.1, 0.1, 0.1});
  const std::string negative = invalid_argument_message([&] { box.set_conductivity(-1.0, 1.0, 1.0); });
  EXPECT_NE(negative.find("conductivity_x"), std::string::npos) << negative;
  EXPECT_NE(invalid_argument_message([&] { box.set_conductivity({1.0}, {1.0}, std::vector<double>(24, 0.0)); }).find("conductivity_z_W_per_m_K[0]"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([&] { box.set_heat_capacity(std::vector<double>(5, 1e6)); }).find("heat_capacity"), std::string::npos);
  EXPECT_NE(invalid_argument_message([&] { box.set_face(BoxFace::z_max, FaceCondition::convection_radiation(10.0, 1.5, 300.0)); })
                .find("face.z_max.emissivity"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([&] { box.set_initial_temperature(-5.0); }).find("initial_temperature_K"), std::string::npos);
  Conduction3dOptions o;
  o.relative_tolerance = 0.0;
  EXPECT_NE(invalid_argument_message([&] { box.set_options(o); }).find("relative_tolerance"), std::string::npos);
  EXPECT_THROW(box.advance_to(1.0), std::logic_error);  // not started
}

}  // namespace
}  // namespace solidcell::thermal
