#pragma once
// Transient heat conduction in a box (a pouch cell, or a block of one) or a cylinder sector (a wound,
// cylindrical cell: r, theta, z) for the abuse tests:
//   rho c_p dT/dt = div(k grad T) + q(x, y, z, t, T)
// on a structured grid of cell-centred finite volumes, with axis-aligned anisotropic conductivity, a
// condition on each of the six faces (convection plus radiation, a fixed temperature, or none), a
// volumetric source given by a callback, and chemistry with local states in every cell (a CellChemistry:
// a whole runaway reaction network through abuse/network_chemistry.hpp, or the built-in first-order
// Arrhenius decomposition), eliminated cell by cell inside each implicit step.
// Time stepping is implicit because the chemistry is stiff: variable-step BDF2 started by backward Euler,
// Newton on the nonlinear radiation and source terms, preconditioned conjugate gradients (modified
// incomplete Cholesky) on the 7-point stencil. Every face's heat and the source heat are integrated with the
// same formula as the temperatures, so stored energy = face heat + source heat + reaction heat holds to
// round-off and the solver's tolerances (docs/thermal-3d.md).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numbers>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "solidcell/thermal/cell_chemistry.hpp"

namespace solidcell::thermal {

// The geometry of the grid. A box: x, y, z Cartesian. A cylinder: x is the radius r, y the angle theta,
// z the axis; control volumes are annular sectors whose volume and face areas grow with r.
enum class Conduction3dGeometry { box, cylinder };

// The box [0, length_x] x [0, length_y] x [0, length_z] cut into nx * ny * nz equal control volumes, or
// (geometry cylinder, made by Conduction3dGrid::cylinder) the cylinder sector r in [inner_radius_m,
// inner_radius_m + length_x_m], theta in [0, length_y_m] (radians, at most pi), z in [0, length_z_m] cut
// into nx (r) * ny (theta) * nz (z) equal steps. A sector (theta_max < 2 pi) has faces theta = 0 and
// theta = theta_max like any other (adiabatic: symmetry planes), so a load symmetric about a plane through
// the axis, e.g. a nail along a diameter, needs only the half (theta_max = pi). The whole cylinder
// (theta_max = 2 pi) has no theta faces: its last and first steps in theta are neighbours across a periodic
// seam, for loads without that symmetry (a nail off the diameter; docs/thermal-3d.md).
// Cells are numbered x fastest: index = i + nx * (j + ny * k).
struct Conduction3dGrid {
  int nx = 1;
  int ny = 1;
  int nz = 1;
  double length_x_m = 0.0;  // cylinder: the radial extent R - r_inner
  double length_y_m = 0.0;  // cylinder: the angle theta_max in radians
  double length_z_m = 0.0;
  Conduction3dGeometry geometry = Conduction3dGeometry::box;
  double inner_radius_m = 0.0;  // cylinder: r_inner (a mandrel hole; 0: solid to the axis)

  // r in [inner_radius_m, outer_radius_m], theta in [0, theta_max_rad], z in [0, height_m].
  static Conduction3dGrid cylinder(int nr, int ntheta, int nz, double inner_radius_m, double outer_radius_m, double theta_max_rad, double height_m);

  bool is_cylinder() const { return geometry == Conduction3dGeometry::cylinder; }
  // The whole cylinder: theta wraps around (theta_max = 2 pi).
  bool is_periodic() const { return is_cylinder() && length_y_m >= 2.0 * std::numbers::pi * (1.0 - 1e-12); }
  std::size_t cell_count() const { return static_cast<std::size_t>(nx) * ny * nz; }
  std::size_t index(int i, int j, int k) const { return static_cast<std::size_t>(i) + static_cast<std::size_t>(nx) * (j + static_cast<std::size_t>(ny) * k); }
  double spacing_x_m() const { return length_x_m / nx; }  // cylinder: dr
  double spacing_y_m() const { return length_y_m / ny; }  // cylinder: dtheta (radians)
  double spacing_z_m() const { return length_z_m / nz; }
  // A box's control volume (all equal); for a cylinder use control_volume_m3().
  double cell_volume_m3() const { return spacing_x_m() * spacing_y_m() * spacing_z_m(); }
  // Centre of the control volume i (j, k) along its axis (cylinder: centre_x_m is r - r_inner).
  double centre_x_m(int i) const { return (i + 0.5) * spacing_x_m(); }
  double centre_y_m(int j) const { return (j + 0.5) * spacing_y_m(); }
  double centre_z_m(int k) const { return (k + 0.5) * spacing_z_m(); }
  // Cylinder: the radius of the face between rings i - 1 and i (i = 0: r_inner, nx: R) and of ring i's
  // centre (the mid-radius).
  double face_radius_m(int i) const { return inner_radius_m + i * spacing_x_m(); }
  double centre_radius_m(int i) const { return inner_radius_m + (i + 0.5) * spacing_x_m(); }
  double outer_radius_m() const { return inner_radius_m + length_x_m; }
  // The volume of a control volume in ring i (box: every one's), and of the whole grid.
  double control_volume_m3(int i) const {
    if (!is_cylinder()) return cell_volume_m3();
    const double a = face_radius_m(i), b = face_radius_m(i + 1);
    return 0.5 * (b * b - a * a) * spacing_y_m() * spacing_z_m();
  }
  double control_volume_of_cell_m3(std::size_t cell) const { return control_volume_m3(static_cast<int>(cell % static_cast<std::size_t>(nx))); }
  double domain_volume_m3() const {
    if (!is_cylinder()) return length_x_m * length_y_m * length_z_m;
    const double b = outer_radius_m();
    return 0.5 * (b * b - inner_radius_m * inner_radius_m) * length_y_m * length_z_m;
  }
};

enum class BoxFace { x_min = 0, x_max, y_min, y_max, z_min, z_max };
inline constexpr int box_face_count = 6;
const char* box_face_name(BoxFace face);
// The faces of a cylinder grid under their names.
namespace cylinder_face {
inline constexpr BoxFace inner = BoxFace::x_min;  // r = r_inner (no face when r_inner = 0)
inline constexpr BoxFace outer = BoxFace::x_max;  // r = R
inline constexpr BoxFace theta_min = BoxFace::y_min;  // theta = 0 (a symmetry plane: adiabatic)
inline constexpr BoxFace theta_max = BoxFace::y_max;  // theta = theta_max
inline constexpr BoxFace bottom = BoxFace::z_min;
inline constexpr BoxFace top = BoxFace::z_max;
}  // namespace cylinder_face

// What a face exchanges with its surroundings. For convection_radiation the heat in per area is
// h (T_inf - T_s) + emissivity sigma (T_inf^4 - T_s^4) at the surface temperature T_s, which the solver
// finds from the half-cell conduction behind the face (so a coarse grid still sees the right resistance).
struct FaceCondition {
  enum class Kind { adiabatic, fixed_temperature, convection_radiation };
  Kind kind = Kind::adiabatic;
  double heat_transfer_coefficient_W_per_m2_K = 0.0;
  double emissivity = 0.0;
  std::function<double(double time_s)> temperature_K;  // the wall's (fixed) or the surroundings' T_inf(t)

  // A solid body pressed on part of the face (an indenter, a press platen): for a boundary control volume,
  // the share of its face in contact and that share's conductance per area to the body's temperature. The
  // share in contact exchanges G (T_body - T_cell) with the body, G the half cell's conduction in series
  // with h A_contact; the rest of the face exchanges as `kind` says. Heat through contacts is part of the
  // face's heat and is also counted on its own (ConductionEnergyBalance::contact_heat_J).
  struct Contact {
    double area_fraction = 0.0;  // [0, 1]
    double conductance_W_per_m2_K = 0.0;
    double body_temperature_K = 0.0;
  };
  std::function<Contact(double time_s, std::size_t cell)> contact;  // none: no contact anywhere

  static FaceCondition adiabatic();
  static FaceCondition fixed_temperature(double temperature_K);
  static FaceCondition fixed_temperature(std::function<double(double)> temperature_K);
  static FaceCondition convection_radiation(double heat_transfer_coefficient_W_per_m2_K, double emissivity, double ambient_K);
  static FaceCondition convection_radiation(double heat_transfer_coefficient_W_per_m2_K, double emissivity,
                                            std::function<double(double)> ambient_K);
};

// q(t, cell, T) in W/m3, and optionally its derivative dq/dT in W/(m3 K). Without the derivative the solver
// takes a difference quotient (one more call per cell and Newton iteration).
using VolumetricHeatSource = std::function<double(double time_s, std::size_t cell, double temperature_K)>;

// One exothermic decomposition per cell: dx/dt = A exp(-E / (R T)) (1 - x), heat H dx/dt per volume.
// Cells with no reactive material get H = 0. A CellChemistry with one state and one channel inside.
struct DecompositionReaction {
  double pre_exponential_factor_per_s = 0.0;
  double activation_energy_J_per_mol = 0.0;
  std::vector<double> heat_released_J_per_m3;  // one value for every cell, or one per cell
  std::vector<double> initial_progress;        // empty: 0 everywhere; one value, or one per cell
};

struct Conduction3dOptions {
  // The local error of a step, per cell, must stay under absolute + relative * |T| (kelvin).
  double relative_tolerance = 1e-4;
  double absolute_tolerance_K = 0.05;
  double max_temperature_change_K = 0.0;  // per step, in any cell; 0: no limit
  // A cell whose decomposition runs its course within max(step, ignition_time_s), i.e. A exp(-E/RT) times
  // that > 1, ignites as a jump: it is left out of the error test (the implicit step takes the jump stably
  // and conserving energy; resolving it would cost microsecond steps at every cell the runaway reaches).
  // Its temperature may change by at most fast_reaction_max_change_K per step (0: no limit).
  double ignition_time_s = 0.01;
  double fast_reaction_max_change_K = 0.0;
  // A cell whose reaction runs its course within max(step, jump_time_s) (the same test with this window)
  // jumps: its change is not limited by fast_reaction_max_change_K either, since no step the limit could
  // ask for would resolve it (0: every igniting cell is limited).
  double jump_time_s = 1e-3;
  double initial_step_s = 0.0;            // 0: chosen from the initial rate of change
  double max_step_s = 0.0;                // 0: no limit
  double min_step_s = 1e-10;              // below this a failing step is a SolverFailure
  double fixed_step_s = 0.0;              // > 0: no error control, steps of this size (convergence studies)
  long max_steps = 1000000;               // per advance_to()
  // Guards against a run that crawls (deterministic: counted in step attempts, accepted, rejected and
  // failed alike, since set_initial_temperature(); restart_history() does not reset them). 0: off.
  // More than max_total_steps attempts, or stall_window_steps attempts in a row that together advance
  // less than stall_window_steps * stall_min_mean_step_s, end the run with a ConductionSolverFailure.
  long max_total_steps = 0;
  long stall_window_steps = 0;
  double stall_min_mean_step_s = 0.0;
  int max_newton_iterations = 8;
  // Newton stops when its update is under this fraction of the error tolerance; the linear solves go a
  // tenth of that further. Smaller values buy closer energy balance for time.
  double newton_tolerance = 0.01;
  int max_linear_iterations = 1000;
};

struct Conduction3dStatistics {
  long steps = 0;
  long rejected_steps = 0;  // error test or temperature-change limit
  long newton_failures = 0;
  long newton_iterations = 0;
  long linear_iterations = 0;
  long source_evaluations = 0;  // cell-wise calls of the source callback
  double last_step_s = 0.0;
};

// Heat into the box since set_initial_temperature(), integrated as the temperatures are (joules).
struct ConductionEnergyBalance {
  std::array<double, box_face_count> heat_in_through_face_J{};
  double source_heat_J = 0.0;    // the callback's q
  double reaction_heat_J = 0.0;  // the chemistry's, all channels
  std::vector<double> reaction_heat_by_channel_J;  // per CellChemistry channel (reaction)
  double contact_heat_J = 0.0;  // the part of the faces' heat that came from bodies in contact (FaceCondition::contact)
  double stored_energy_change_J = 0.0;

  double heat_in_through_faces_J() const;
  // stored - (faces + sources): zero up to round-off and the Newton and linear tolerances.
  double imbalance_J() const;
};

// The integration gave up: when, and why.
class ConductionSolverFailure : public std::runtime_error {
 public:
  ConductionSolverFailure(double time_s, const std::string& reason);
  double time_s() const { return time_s_; }

 private:
  double time_s_;
};

class Conduction3d {
 public:
  // Throws std::invalid_argument naming the field (nx, length_x_m, ...).
  explicit Conduction3d(Conduction3dGrid grid);

  const Conduction3dGrid& grid() const { return grid_; }
  std::size_t cell_count() const { return cell_count_; }

  // Properties; set them before set_initial_temperature(): the energy balance assumes they stay.
  void set_conductivity(double k_x_W_per_m_K, double k_y_W_per_m_K, double k_z_W_per_m_K);
  void set_conductivity(std::vector<double> k_x_W_per_m_K, std::vector<double> k_y_W_per_m_K, std::vector<double> k_z_W_per_m_K);
  void set_heat_capacity(double rho_c_p_J_per_m3_K);
  void set_heat_capacity(std::vector<double> rho_c_p_J_per_m3_K);
  void set_face(BoxFace face, FaceCondition condition);
  void set_all_faces(const FaceCondition& condition);
  void set_heat_source(VolumetricHeatSource source, VolumetricHeatSource derivative_W_per_m3_K = {});
  // The built-in decomposition (replaces any chemistry set before).
  void set_decomposition_reaction(DecompositionReaction reaction);
  // Chemistry in every cell (replaces the decomposition); shared so that its owner can read its switches.
  void set_chemistry(std::shared_ptr<CellChemistry> chemistry);
  void set_options(const Conduction3dOptions& options);
  // Called after every accepted step (never after a rejected one), e.g. to record a trace. Returning
  // false ends advance_to() there, before its end time (time_s() tells where): to switch something on.
  void set_step_observer(std::function<bool(const Conduction3d&)> observer);

  // Starts (or restarts) the integration at time_s: resets step history, reaction progress and the energy
  // balance.
  void set_initial_temperature(double temperature_K, double time_s = 0.0);
  void set_initial_temperature(std::vector<double> temperature_K, double time_s = 0.0);

  // Integrates to exactly end_s (or to where the step observer stops it). Throws ConductionSolverFailure
  // (the state stays at the last good step).
  void advance_to(double end_s);
  // The next step starts again with backward Euler, as after set_initial_temperature(), but the state and
  // the energy balance carry on: call it where the source jumps, so that the jump is integrated exactly
  // (BDF2 would interpolate across it).
  void restart_history();
  // The steady state at the sources and surroundings of time_s (no decomposition reaction; at least one
  // face not adiabatic, or a source that falls with temperature), by Newton's iteration from the present
  // field. The integration restarts from it at time_s, as after set_initial_temperature().
  void solve_steady_state(double time_s);

  double time_s() const { return time_; }
  std::span<const double> temperature_K() const { return temperature_; }
  double temperature_K(int i, int j, int k) const { return temperature_[grid_.index(i, j, k)]; }
  // The built-in decomposition's progress per cell (empty for another chemistry).
  std::span<const double> reaction_progress() const;
  // The chemistry's states, cell-major: [cell * state_size + s].
  std::span<const double> chemistry_state() const { return states_; }
  std::span<const double> chemistry_state(std::size_t cell) const;
  const CellChemistry* chemistry() const { return chemistry_.get(); }
  double control_volume_m3(std::size_t cell) const { return volume_[cell]; }
  double min_temperature_K() const;
  double max_temperature_K() const;
  double mean_temperature_K() const;  // weighted by heat capacity (times volume)
  double stored_energy_J() const;     // sum of rho c_p V T (relative to 0 K)

  // Instantaneous heat flows at the present state (W, positive into the box).
  double heat_flow_in_W(BoxFace face) const;
  double source_power_W() const;  // the callback's q; the reaction's is not defined between steps
  ConductionEnergyBalance energy_balance() const;
  const Conduction3dStatistics& statistics() const { return statistics_; }

 private:
  // One implicit step: rho c_p V (T - a1 T[n] - a2 T[n-1]) / (beta h) = heat flows at the new time.
  // inverse_beta_h = 0 gives the steady (or rate) form.
  struct StepFormula {
    double inverse_beta_h = 0.0;
    double a1 = 0.0;
    double a2 = 0.0;
  };
  // The residual (W) of every cell's balance at one temperature field, the diagonal of its Jacobian and
  // its row sums (the Jacobian applied to a uniform change), the heat flows and the reaction's progress.
  struct Evaluation {
    std::vector<double> residual, diagonal, row_sums, states;
    std::vector<char> capped;  // the source's derivative was cut back to keep the matrix definite
    std::vector<double> heat_flow_W;  // faces, source, then each chemistry channel
  };
  std::size_t heat_counter_count() const { return box_face_count + 1 + channel_count_ + 1; }  // faces, source, channels, contacts
  std::size_t contact_counter() const { return heat_counter_count() - 1; }
  // Position in face_cells_[face] of the boundary control volume (i, j, k).
  std::size_t face_slot(int face, int i, int j, int k) const;
  void chemistry_history(const StepFormula& formula, std::size_t cell, std::span<double> history) const;
  void build_conductances();
  void require_started(const char* caller) const;
  void evaluate(double t, std::span<const double> temperature, const StepFormula& formula, bool with_jacobian,
                Evaluation& out) const;
  std::pair<double, double> cell_residual(double t, const StepFormula& formula, std::span<const double> temperature, std::size_t cell,
                                          double cell_K) const;
  bool solve_cell(double t, const StepFormula& formula, std::vector<double>& temperature, std::size_t cell) const;
  bool solve_newton(double t, const StepFormula& formula, std::vector<double>& temperature, const std::vector<double>& weights);
  void factor_preconditioner(const std::vector<double>& diagonal);
  void apply_matrix(const std::vector<double>& diagonal, const std::vector<double>& x, std::vector<double>& y) const;
  void apply_preconditioner(const std::vector<double>& r, std::vector<double>& z) const;
  int solve_linear(const std::vector<double>& diagonal, const std::vector<double>& row_sums, const std::vector<double>& rhs,
                   std::vector<double>& x, const std::vector<double>& weights, double tolerance);
  std::vector<double> rate_of_change(double t, std::span<const double> temperature) const;
  double choose_initial_step(double end_s) const;
  void check_progress();  // the stall guards (options.max_total_steps, stall_window_steps)

  Conduction3dGrid grid_;
  std::size_t cell_count_ = 0;
  std::size_t stride_y_ = 0;  // index distance of a neighbour in y (nx) and in z (nx * ny)
  std::size_t stride_z_ = 0;
  std::vector<double> conductivity_x_, conductivity_y_, conductivity_z_, heat_capacity_;
  std::array<FaceCondition, box_face_count> faces_;
  VolumetricHeatSource source_, source_derivative_;
  std::shared_ptr<CellChemistry> chemistry_;
  bool builtin_decomposition_ = false;
  std::size_t state_size_ = 0, channel_count_ = 0;
  Conduction3dOptions options_;
  std::function<bool(const Conduction3d&)> step_observer_;

  // The whole cylinder's seam: conductance between (i, ny - 1, k) and (i, 0, k), per i + nx k (empty otherwise).
  std::vector<double> seam_conductance_;
  template <typename Visit> void for_each_seam(Visit visit) const {
    if (seam_conductance_.empty()) return;
    const std::size_t last = stride_y_ * static_cast<std::size_t>(grid_.ny - 1);
    for (int k = 0; k < grid_.nz; ++k)
      for (int i = 0; i < grid_.nx; ++i) {
        const std::size_t first = grid_.index(i, 0, k);
        visit(seam_conductance_[static_cast<std::size_t>(i) + stride_y_ * k], first, first + last);
      }
  }
  // Conductance (W/K) between a cell and its neighbour at +x, +y, +z (0 on the box's faces), and of the
  // half cell between each boundary cell's centre and the face.
  std::vector<double> conductance_x_, conductance_y_, conductance_z_;
  std::array<std::vector<std::size_t>, box_face_count> face_cells_;
  std::array<std::vector<double>, box_face_count> face_half_conductance_;
  std::array<std::vector<double>, box_face_count> face_area_;  // m2, per entry of face_cells_
  // Each control volume's volume (box: all equal; cylinder: growing with r).
  std::vector<double> volume_;
  bool conductances_ready_ = false;

  // State and history: [0] the present step, [1] and [2] the ones before (for BDF2 and its predictor).
  bool started_ = false;
  double time_ = 0.0;
  std::vector<double> temperature_, initial_temperature_, states_;
  std::array<std::vector<double>, 3> temperature_history_;
  std::array<std::vector<double>, 2> state_history_;
  std::array<double, 3> time_history_{};
  int history_count_ = 0;
  std::vector<double> initial_rate_;  // dT/dt at the start, for the first step's predictor
  double next_step_ = 0.0;
  double previous_accepted_error_ = 0.0;  // for the predictive step-size control
  double previous_accepted_step_ = 0.0;
  // Per cell: accepted steps since it last jumped (jump_time_s), capped at 2. Below 2 its history holds an
  // unresolved jump, which the predictor must not extrapolate.
  std::vector<std::uint8_t> unresolved_age_;
  // The stall guard's window: attempts and time where it began.
  long stall_window_start_attempts_ = 0;
  double stall_window_start_time_ = 0.0;
  // Energy counters (faces 0-5, source, chemistry channels) at the last two steps, integrated by the same
  // BDF formula.
  std::array<std::vector<double>, 2> heat_history_;

  // Preconditioner: the pivots of the modified incomplete Cholesky factor (their inverses).
  std::vector<double> inverse_pivot_;
  bool jacobi_ = false;  // the matrix is so diagonally dominant that its diagonal preconditions (inverse_pivot_ = 1/diagonal)
  std::vector<double> conductance_sum_;  // per cell, over its neighbours
  Evaluation evaluation_;
  std::vector<double> work_residual_, work_search_, work_product_, work_preconditioned_, work_forward_;
  mutable std::vector<double> scratch_history_, scratch_state_, scratch_channel_;  // one cell's chemistry (solve_cell)
  Conduction3dStatistics statistics_;
};

}  // namespace solidcell::thermal
