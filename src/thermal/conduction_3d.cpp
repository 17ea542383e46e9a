#include "solidcell/thermal/conduction_3d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <utility>

namespace solidcell::thermal {

namespace {

constexpr double stefan_boltzmann_W_per_m2_K4 = 5.670374419e-8;  // CODATA 2018, exact
constexpr double gas_constant_J_per_mol_K = 8.314462618;

// Modified incomplete Cholesky: tau of the dropped fill goes back on the diagonal (row sums kept, which is
// what makes it fast on diffusion); a pivot below sigma of the matrix's diagonal is replaced by the diagonal
// (Bridson's "Fluid Simulation for Computer Graphics", 2nd ed., ch. 5 uses the same 0.97 and 0.25).
constexpr double mic_tau = 0.97;
constexpr double mic_safety = 0.25;
// A rising source (dq/dT > 0) enters the Jacobian only up to this fraction of the storage term: the
// matrix stays diagonally dominant, hence SPD for conjugate gradients; beyond it Newton treats the rest
// explicitly, and a step too long for that fails and is shortened.
constexpr double max_source_share_of_storage = 0.5;
// Where every cell's conductances sum to at most this share of its diagonal, conjugate gradients take the
// diagonal (Jacobi) as preconditioner: each iteration then shrinks the error by about this factor.
constexpr double jacobi_dominance = 0.05;

std::string number(double value) {
  std::ostringstream s;
  s.precision(10);
  s << value;
  return s.str();
}

[[noreturn]] void reject_input(const std::string& field, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument("Conduction3d: " + field + " = " + value + ": " + allowed);
}

void require_positive(double value, const std::string& field) {
  if (!(value > 0.0) || !std::isfinite(value)) reject_input(field, number(value), "must be positive and finite");
}

void require_per_cell(const std::vector<double>& values, std::size_t cells, const std::string& field, bool one_allowed) {
  if (values.size() != cells && !(one_allowed && values.size() == 1)) {
    reject_input(field + ".size()", std::to_string(values.size()),
                 "must be " + std::string(one_allowed ? "1 or " : "") + "the cell count " + std::to_string(cells));
  }
}

void require_positive_each(const std::vector<double>& values, const std::string& field) {
  for (std::size_t c = 0; c < values.size(); ++c) require_positive(values[c], field + "[" + std::to_string(c) + "]");
}

std::vector<double> spread(const std::vector<double>& values, std::size_t cells) {
  return values.size() == 1 ? std::vector<double>(cells, values[0]) : values;
}

struct FaceFlow {
  double heat_W = 0.0;              // into the cell
  double derivative_W_per_K = 0.0;  // d heat / d T_cell (never positive)
};

// Heat through one boundary face of `area` behind which the half cell has conductance `half_conductance`.
// For convection and radiation the surface temperature T_s balances the half-cell conduction against the
// exchange with the surroundings; g(T_s) is concave and falling, so Newton's iteration started at or above
// the root (max of cell and surroundings) falls monotonically onto it.
FaceFlow face_flow(const FaceCondition& face, double outside_K, double area, double half_conductance, double cell_K) {
  switch (face.kind) {
    case FaceCondition::Kind::adiabatic:
      return {};
    case FaceCondition::Kind::fixed_temperature:
      return {half_conductance * (outside_K - cell_K), -half_conductance};
    case FaceCondition::Kind::convection_radiation:
      break;
  }
  const double convection = area * face.heat_transfer_coefficient_W_per_m2_K;
  const double radiation = area * face.emissivity * stefan_boltzmann_W_per_m2_K4;
  if (radiation == 0.0) {
    if (convection == 0.0) return {};
    const double series = half_conductance * convection / (half_conductance + convection);
    return {series * (outside_K - cell_K), -series};
  }
  const double outside4 = outside_K * outside_K * outside_K * outside_K;
  double surface = std::max(cell_K, outside_K);
  for (int iteration = 0; iteration < 60; ++iteration) {
    const double s3 = surface * surface * surface;
    const double g = half_conductance * (cell_K - surface) - convection * (surface - outside_K) - radiation * (s3 * surface - outside4);
    const double slope = half_conductance + convection + 4.0 * radiation * s3;
    const double change = g / slope;
    surface += change;
    if (std::abs(change) <= 1e-14 * surface) break;
  }
  const double exchange = convection + 4.0 * radiation * surface * surface * surface;
  return {half_conductance * (surface - cell_K), -half_conductance * exchange / (half_conductance + exchange)};
}

// A face with its contacts: the share in contact exchanges with the body through the half cell's share in
// series with h A; the rest as face_flow. `contact_W` gets the contact's part of the heat.
FaceFlow face_flow_with_contact(const FaceCondition& face, double t, std::size_t cell, double outside_K, double area, double half_conductance,
                                double cell_K, double& contact_W) {
  contact_W = 0.0;
  FaceCondition::Contact touch;
  if (face.contact) touch = face.contact(t, cell);
  const double share = std::clamp(touch.area_fraction, 0.0, 1.0);
  if (share <= 0.0 || touch.conductance_W_per_m2_K <= 0.0) return face.kind == FaceCondition::Kind::adiabatic ? FaceFlow{} : face_flow(face, outside_K, area, half_conductance, cell_K);
  const double exchange = share * area * touch.conductance_W_per_m2_K, half = share * half_conductance;
  const double series = half * exchange / (half + exchange);
  contact_W = series * (touch.body_temperature_K - cell_K);
  FaceFlow flow{contact_W, -series};
  if (share < 1.0 && face.kind != FaceCondition::Kind::adiabatic) {
    const FaceFlow rest = face_flow(face, outside_K, (1.0 - share) * area, (1.0 - share) * half_conductance, cell_K);
    flow.heat_W += rest.heat_W;
    flow.derivative_W_per_K += rest.derivative_W_per_K;
  }
  return flow;
}

bool exchanges(const FaceCondition& face) { return face.kind != FaceCondition::Kind::adiabatic || static_cast<bool>(face.contact); }

double max_weighted(const std::vector<double>& v, const std::vector<double>& weights) {
  double m = 0.0;
  for (std::size_t c = 0; c < v.size(); ++c) m = std::max(m, std::abs(v[c]) / weights[c]);
  return m;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t c = 0; c < a.size(); ++c) s += a[c] * b[c];
  return s;
}

// The built-in first-order decomposition as a CellChemistry: dx/dt = A exp(-E/RT) (1 - x), E(x) = H x.
// Its BDF step is linear in x: x = (history + beta h r) / (1 + beta h r), clipped to [0, 1].
class DecompositionChemistry final : public CellChemistry {
 public:
  DecompositionChemistry(const DecompositionReaction& reaction, std::vector<double> heat_J_per_m3, std::vector<double> initial_progress)
      : a_(reaction.pre_exponential_factor_per_s),
        e_over_r_(reaction.activation_energy_J_per_mol / gas_constant_J_per_mol_K),
        heat_(std::move(heat_J_per_m3)),
        initial_(std::move(initial_progress)) {}

  std::size_t state_size() const override { return 1; }
  std::size_t channel_count() const override { return 1; }
  std::string channel_name(std::size_t) const override { return "decomposition"; }
  void initial_state(std::size_t cell, std::span<double> state) const override { state[0] = initial_.empty() ? 0.0 : initial_[cell]; }

  double solve_step(std::size_t cell, double T, double beta_h, std::span<const double> history, std::span<double> state,
                    std::span<double> channel_heat) const override {
    const double rate = a_ * std::exp(-e_over_r_ / T);
    const double stiffness = beta_h * rate;
    double x = (history[0] + stiffness) / (1.0 + stiffness);
    const bool clipped = x > 1.0 || x < 0.0;
    x = std::clamp(x, 0.0, 1.0);
    state[0] = x;
    const double heat = heat_[cell];
    channel_heat[0] = heat * (x - history[0]);
    if (clipped || heat == 0.0) return 0.0;
    const double denominator = 1.0 + stiffness;
    return heat * beta_h * rate * e_over_r_ / (T * T) * (1.0 - history[0]) / (denominator * denominator);
  }

  void heat_rates(std::size_t cell, double T, std::span<const double> state, std::span<double> channel) const override {
    channel[0] = heat_[cell] * a_ * std::exp(-e_over_r_ / T) * (1.0 - state[0]);
  }

  double heat_content(std::size_t cell, std::size_t, std::span<const double> state) const override { return heat_[cell] * state[0]; }

  bool ignites_within(std::size_t cell, double T, std::span<const double>, double window_s) const override {
    return heat_[cell] != 0.0 && window_s * a_ * std::exp(-e_over_r_ / T) > 1.0;
  }

 private:
  double a_, e_over_r_;
  std::vector<double> heat_, initial_;
};

}  // namespace

const char* box_face_name(BoxFace face) {
  switch (face) {
    case BoxFace::x_min: return "x_min";
    case BoxFace::x_max: return "x_max";
    case BoxFace::y_min: return "y_min";
    case BoxFace::y_max: return "y_max";
    case BoxFace::z_min: return "z_min";
    case BoxFace::z_max: return "z_max";
  }
  return "?";
}

FaceCondition FaceCondition::adiabatic() { return {}; }

FaceCondition FaceCondition::fixed_temperature(double temperature_K) {
  return fixed_temperature([temperature_K](double) { return temperature_K; });
}

FaceCondition FaceCondition::fixed_temperature(std::function<double(double)> temperature_K) {
  FaceCondition f;
  f.kind = Kind::fixed_temperature;
  f.temperature_K = std::move(temperature_K);
  return f;
}

FaceCondition FaceCondition::convection_radiation(double heat_transfer_coefficient_W_per_m2_K, double emissivity, double ambient_K) {
  return convection_radiation(heat_transfer_coefficient_W_per_m2_K, emissivity, [ambient_K](double) { return ambient_K; });
}

FaceCondition FaceCondition::convection_radiation(double heat_transfer_coefficient_W_per_m2_K, double emissivity,
                                                  std::function<double(double)> ambient_K) {
  FaceCondition f;
  f.kind = Kind::convection_radiation;
  f.heat_transfer_coefficient_W_per_m2_K = heat_transfer_coefficient_W_per_m2_K;
  f.emissivity = emissivity;
  f.temperature_K = std::move(ambient_K);
  return f;
}

double ConductionEnergyBalance::heat_in_through_faces_J() const {
  double sum = 0.0;
  for (double q : heat_in_through_face_J) sum += q;
  return sum;
}

double ConductionEnergyBalance::imbalance_J() const {
  return stored_energy_change_J - (heat_in_through_faces_J() + source_heat_J + reaction_heat_J);
}

ConductionSolverFailure::ConductionSolverFailure(double time_s, const std::string& reason)
    : std::runtime_error("Conduction3d failed at t = " + number(time_s) + " s: " + reason), time_s_(time_s) {}

Conduction3dGrid Conduction3dGrid::cylinder(int nr, int ntheta, int nz, double inner_radius_m, double outer_radius_m, double theta_max_rad,
                                            double height_m) {
  Conduction3dGrid g{nr, ntheta, nz, outer_radius_m - inner_radius_m, theta_max_rad, height_m};
  g.geometry = Conduction3dGeometry::cylinder;
  g.inner_radius_m = inner_radius_m;
  return g;
}

Conduction3d::Conduction3d(Conduction3dGrid grid) : grid_(grid) {
  if (grid.nx < 1) reject_input("nx", std::to_string(grid.nx), "must be at least 1");
  if (grid.ny < 1) reject_input("ny", std::to_string(grid.ny), "must be at least 1");
  if (grid.nz < 1) reject_input("nz", std::to_string(grid.nz), "must be at least 1");
  require_positive(grid.length_x_m, grid.is_cylinder() ? "length_x_m (outer - inner radius)" : "length_x_m");
  require_positive(grid.length_y_m, grid.is_cylinder() ? "length_y_m (theta_max)" : "length_y_m");
  require_positive(grid.length_z_m, "length_z_m");
  if (grid.is_cylinder()) {
    if (!(grid.inner_radius_m >= 0.0) || !std::isfinite(grid.inner_radius_m)) reject_input("inner_radius_m", number(grid.inner_radius_m), "must be >= 0 and finite");
    // A sector with symmetry faces, or the whole cylinder with a periodic seam (conduction_3d.hpp).
    if (grid.length_y_m > 2.0 * std::numbers::pi * (1.0 + 1e-12))
      reject_input("length_y_m (theta_max)", number(grid.length_y_m), "must be in (0, 2 pi]: a sector with symmetry faces, or 2 pi for the whole cylinder");
    if (grid.is_periodic() && grid.ny < 3) reject_input("ny", std::to_string(grid.ny), "must be at least 3 around a whole cylinder");
  }
  cell_count_ = grid.cell_count();
  volume_.resize(cell_count_);
  for (std::size_t c = 0; c < cell_count_; ++c) volume_[c] = grid.control_volume_of_cell_m3(c);
  stride_y_ = static_cast<std::size_t>(grid.nx);
  stride_z_ = static_cast<std::size_t>(grid.nx) * grid.ny;
  conductivity_x_.assign(cell_count_, 1.0);
  conductivity_y_.assign(cell_count_, 1.0);
  conductivity_z_.assign(cell_count_, 1.0);
  heat_capacity_.assign(cell_count_, 1.0);
  faces_.fill(FaceCondition::adiabatic());
  temperature_.assign(cell_count_, 298.15);
}

void Conduction3d::set_conductivity(double k_x_W_per_m_K, double k_y_W_per_m_K, double k_z_W_per_m_K) {
  set_conductivity(std::vector<double>{k_x_W_per_m_K}, std::vector<double>{k_y_W_per_m_K}, std::vector<double>{k_z_W_per_m_K});
}

void Conduction3d::set_conductivity(std::vector<double> k_x_W_per_m_K, std::vector<double> k_y_W_per_m_K, std::vector<double> k_z_W_per_m_K) {
  require_per_cell(k_x_W_per_m_K, cell_count_, "conductivity_x_W_per_m_K", true);
  require_per_cell(k_y_W_per_m_K, cell_count_, "conductivity_y_W_per_m_K", true);
  require_per_cell(k_z_W_per_m_K, cell_count_, "conductivity_z_W_per_m_K", true);
  require_positive_each(k_x_W_per_m_K, "conductivity_x_W_per_m_K");
  require_positive_each(k_y_W_per_m_K, "conductivity_y_W_per_m_K");
  require_positive_each(k_z_W_per_m_K, "conductivity_z_W_per_m_K");
  conductivity_x_ = spread(k_x_W_per_m_K, cell_count_);
  conductivity_y_ = spread(k_y_W_per_m_K, cell_count_);
  conductivity_z_ = spread(k_z_W_per_m_K, cell_count_);
  conductances_ready_ = false;
}

void Conduction3d::set_heat_capacity(double rho_c_p_J_per_m3_K) { set_heat_capacity(std::vector<double>{rho_c_p_J_per_m3_K}); }

void Conduction3d::set_heat_capacity(std::vector<double> rho_c_p_J_per_m3_K) {
  require_per_cell(rho_c_p_J_per_m3_K, cell_count_, "heat_capacity_J_per_m3_K", true);
  require_positive_each(rho_c_p_J_per_m3_K, "heat_capacity_J_per_m3_K");
  heat_capacity_ = spread(rho_c_p_J_per_m3_K, cell_count_);
}

void Conduction3d::set_face(BoxFace face, FaceCondition condition) {
  const std::string name = std::string("face.") + box_face_name(face);
  if (condition.kind != FaceCondition::Kind::adiabatic && !condition.temperature_K) {
    reject_input(name + ".temperature_K", "(none)", "a temperature function is needed");
  }
  if (condition.kind == FaceCondition::Kind::convection_radiation) {
    const double h = condition.heat_transfer_coefficient_W_per_m2_K;
    if (!(h >= 0.0) || !std::isfinite(h)) reject_input(name + ".heat_transfer_coefficient_W_per_m2_K", number(h), "must be >= 0 and finite");
    const double e = condition.emissivity;
    if (!(e >= 0.0 && e <= 1.0)) reject_input(name + ".emissivity", number(e), "must be in [0, 1]");
  }
  faces_[static_cast<int>(face)] = std::move(condition);
}

void Conduction3d::set_all_faces(const FaceCondition& condition) {
  for (int f = 0; f < box_face_count; ++f) set_face(static_cast<BoxFace>(f), condition);
}

void Conduction3d::set_heat_source(VolumetricHeatSource source, VolumetricHeatSource derivative_W_per_m3_K) {
  source_ = std::move(source);
  source_derivative_ = std::move(derivative_W_per_m3_K);
}

void Conduction3d::set_decomposition_reaction(DecompositionReaction reaction) {
  const double a = reaction.pre_exponential_factor_per_s;
  if (!(a >= 0.0) || !std::isfinite(a)) reject_input("reaction.pre_exponential_factor_per_s", number(a), "must be >= 0 and finite");
  const double e = reaction.activation_energy_J_per_mol;
  if (!(e >= 0.0) || !std::isfinite(e)) reject_input("reaction.activation_energy_J_per_mol", number(e), "must be >= 0 and finite");
  require_per_cell(reaction.heat_released_J_per_m3, cell_count_, "reaction.heat_released_J_per_m3", true);
  for (double h : reaction.heat_released_J_per_m3) {
    if (!std::isfinite(h)) reject_input("reaction.heat_released_J_per_m3", number(h), "must be finite");
  }
  if (!reaction.initial_progress.empty()) {
    require_per_cell(reaction.initial_progress, cell_count_, "reaction.initial_progress", true);
    for (double x : reaction.initial_progress) {
      if (!(x >= 0.0 && x <= 1.0)) reject_input("reaction.initial_progress", number(x), "must be in [0, 1]");
    }
  }
  auto heat = spread(reaction.heat_released_J_per_m3, cell_count_);
  auto initial = reaction.initial_progress.empty() ? std::vector<double>{} : spread(reaction.initial_progress, cell_count_);
  set_chemistry(std::make_shared<DecompositionChemistry>(reaction, std::move(heat), std::move(initial)));
  builtin_decomposition_ = true;
}

void Conduction3d::set_chemistry(std::shared_ptr<CellChemistry> chemistry) {
  chemistry_ = std::move(chemistry);
  builtin_decomposition_ = false;
  state_size_ = chemistry_ ? chemistry_->state_size() : 0;
  channel_count_ = chemistry_ ? chemistry_->channel_count() : 0;
  started_ = false;  // the state layout changed: set_initial_temperature() again
}

void Conduction3d::set_step_observer(std::function<bool(const Conduction3d&)> observer) { step_observer_ = std::move(observer); }

std::span<const double> Conduction3d::reaction_progress() const {
  if (!builtin_decomposition_) return {};
  return states_;
}

std::span<const double> Conduction3d::chemistry_state(std::size_t cell) const {
  return std::span<const double>(states_).subspan(cell * state_size_, state_size_);
}

void Conduction3d::set_options(const Conduction3dOptions& options) {
  require_positive(options.relative_tolerance, "options.relative_tolerance");
  require_positive(options.absolute_tolerance_K, "options.absolute_tolerance_K");
  require_positive(options.newton_tolerance, "options.newton_tolerance");
  require_positive(options.min_step_s, "options.min_step_s");
  if (!(options.max_temperature_change_K >= 0.0)) reject_input("options.max_temperature_change_K", number(options.max_temperature_change_K), "must be >= 0");
  if (!(options.fast_reaction_max_change_K >= 0.0)) reject_input("options.fast_reaction_max_change_K", number(options.fast_reaction_max_change_K), "must be >= 0");
  if (!(options.ignition_time_s >= 0.0)) reject_input("options.ignition_time_s", number(options.ignition_time_s), "must be >= 0");
  if (!(options.jump_time_s >= 0.0)) reject_input("options.jump_time_s", number(options.jump_time_s), "must be >= 0");
  if (!(options.max_step_s >= 0.0)) reject_input("options.max_step_s", number(options.max_step_s), "must be >= 0");
  if (!(options.initial_step_s >= 0.0)) reject_input("options.initial_step_s", number(options.initial_step_s), "must be >= 0");
  if (!(options.fixed_step_s >= 0.0)) reject_input("options.fixed_step_s", number(options.fixed_step_s), "must be >= 0");
  if (options.max_newton_iterations < 1) reject_input("options.max_newton_iterations", std::to_string(options.max_newton_iterations), "must be at least 1");
  if (options.max_linear_iterations < 1) reject_input("options.max_linear_iterations", std::to_string(options.max_linear_iterations), "must be at least 1");
  if (options.max_steps < 1) reject_input("options.max_steps", std::to_string(options.max_steps), "must be at least 1");
  if (options.max_total_steps < 0) reject_input("options.max_total_steps", std::to_string(options.max_total_steps), "must be >= 0");
  if (options.stall_window_steps < 0) reject_input("options.stall_window_steps", std::to_string(options.stall_window_steps), "must be >= 0");
  if (!(options.stall_min_mean_step_s >= 0.0)) reject_input("options.stall_min_mean_step_s", number(options.stall_min_mean_step_s), "must be >= 0");
  options_ = options;
}

void Conduction3d::set_initial_temperature(double temperature_K, double time_s) {
  set_initial_temperature(std::vector<double>(cell_count_, temperature_K), time_s);
}

void Conduction3d::set_initial_temperature(std::vector<double> temperature_K, double time_s) {
  require_per_cell(temperature_K, cell_count_, "initial_temperature_K", true);
  require_positive_each(temperature_K, "initial_temperature_K");
  if (!std::isfinite(time_s)) reject_input("time_s", number(time_s), "must be finite");
  build_conductances();
  temperature_ = spread(temperature_K, cell_count_);
  initial_temperature_ = temperature_;
  states_.assign(cell_count_ * state_size_, 0.0);
  if (chemistry_) {
    for (std::size_t c = 0; c < cell_count_; ++c) chemistry_->initial_state(c, std::span<double>(states_).subspan(c * state_size_, state_size_));
    chemistry_->reset();
    chemistry_->accept(temperature_, states_);
  }
  time_ = time_s;
  temperature_history_ = {temperature_, temperature_, temperature_};
  state_history_ = {states_, states_};
  time_history_ = {time_s, time_s, time_s};
  history_count_ = 1;
  heat_history_ = {std::vector<double>(heat_counter_count(), 0.0), std::vector<double>(heat_counter_count(), 0.0)};
  next_step_ = 0.0;
  previous_accepted_error_ = 0.0;
  previous_accepted_step_ = 0.0;
  unresolved_age_.assign(cell_count_, 2);
  statistics_ = {};
  stall_window_start_attempts_ = 0;
  stall_window_start_time_ = time_s;
  started_ = true;
}

void Conduction3d::restart_history() {
  require_started("restart_history");
  temperature_history_ = {temperature_, temperature_, temperature_};
  state_history_ = {states_, states_};
  time_history_ = {time_, time_, time_};
  history_count_ = 1;
  heat_history_[1] = heat_history_[0];
  previous_accepted_error_ = 0.0;
  previous_accepted_step_ = 0.0;
  unresolved_age_.assign(cell_count_, 2);  // the history is the present state alone: nothing to extrapolate across
}

void Conduction3d::chemistry_history(const StepFormula& formula, std::size_t c, std::span<double> history) const {
  const double* now = state_history_[0].data() + c * state_size_;
  const double* before = state_history_[1].data() + c * state_size_;
  for (std::size_t s = 0; s < state_size_; ++s) history[s] = formula.a1 * now[s] + formula.a2 * before[s];
}

void Conduction3d::require_started(const char* caller) const {
  if (!started_) throw std::logic_error(std::string("Conduction3d::") + caller + ": call set_initial_temperature() first");
}

void Conduction3d::build_conductances() {
  const std::size_t n = cell_count_;
  const double dx = grid_.spacing_x_m(), dy = grid_.spacing_y_m(), dz = grid_.spacing_z_m();
  const bool cylinder = grid_.is_cylinder();
  conductance_x_.assign(n, 0.0);
  conductance_y_.assign(n, 0.0);
  conductance_z_.assign(n, 0.0);
  // Two half cells in series between the centres: the harmonic mean, so a conducting nail next to an
  // insulating layer gets the right interface resistance.
  auto series = [](double area, double half_length, double k_a, double k_b) { return area / (half_length / k_a + half_length / k_b); };
  // A cylinder's radial half cell from radius a to b conducts k dtheta dz / ln(b / a): exact for steady
  // radial conduction through a ring, so the grid carries no error from the curvature of its faces.
  auto radial = [&](double a, double b, double k) { return k * dy * dz / std::log(b / a); };
  // Per ring i: the areas of the theta and z faces and the half length of a theta step (an arc at the
  // ring's mid-radius).
  const double area_x = dy * dz;
  auto area_y = [&](int) { return dx * dz; };
  auto half_y = [&](int i) { return cylinder ? 0.5 * grid_.centre_radius_m(i) * dy : 0.5 * dy; };
  auto area_z = [&](int i) { return cylinder ? grid_.control_volume_m3(i) / dz : dx * dy; };
  for (int k = 0; k < grid_.nz; ++k) {
    for (int j = 0; j < grid_.ny; ++j) {
      for (int i = 0; i < grid_.nx; ++i) {
        const std::size_t c = grid_.index(i, j, k);
        if (i + 1 < grid_.nx) {
          if (cylinder) {
            const double face = grid_.face_radius_m(i + 1);
            conductance_x_[c] = 1.0 / (1.0 / radial(grid_.centre_radius_m(i), face, conductivity_x_[c]) +
                                       1.0 / radial(face, grid_.centre_radius_m(i + 1), conductivity_x_[c + 1]));
          } else {
            conductance_x_[c] = series(area_x, 0.5 * dx, conductivity_x_[c], conductivity_x_[c + 1]);
          }
        }
        if (j + 1 < grid_.ny) conductance_y_[c] = series(area_y(i), half_y(i), conductivity_y_[c], conductivity_y_[c + stride_y_]);
        if (k + 1 < grid_.nz) conductance_z_[c] = series(area_z(i), 0.5 * dz, conductivity_z_[c], conductivity_z_[c + stride_z_]);
      }
    }
  }
  seam_conductance_.clear();
  if (grid_.is_periodic()) {
    seam_conductance_.assign(static_cast<std::size_t>(grid_.nx) * grid_.nz, 0.0);
    for (int k = 0; k < grid_.nz; ++k)
      for (int i = 0; i < grid_.nx; ++i) {
        const std::size_t first = grid_.index(i, 0, k), last = grid_.index(i, grid_.ny - 1, k);
        seam_conductance_[static_cast<std::size_t>(i) + stride_y_ * k] = series(area_y(i), half_y(i), conductivity_y_[last], conductivity_y_[first]);
      }
  }
  conductance_sum_.assign(n, 0.0);
  for_each_seam([&](double g, std::size_t a, std::size_t b) {
    conductance_sum_[a] += g;
    conductance_sum_[b] += g;
  });
  for (std::size_t c = 0; c < n; ++c) {
    conductance_sum_[c] += conductance_x_[c] + conductance_y_[c] + conductance_z_[c];
    if (c + 1 < n) conductance_sum_[c + 1] += conductance_x_[c];
    if (c + stride_y_ < n) conductance_sum_[c + stride_y_] += conductance_y_[c];
    if (c + stride_z_ < n) conductance_sum_[c + stride_z_] += conductance_z_[c];
  }
  for (int f = 0; f < box_face_count; ++f) {
    face_cells_[f].clear();
    face_half_conductance_[f].clear();
    face_area_[f].clear();
  }
  auto add = [&](BoxFace face, std::size_t c, double area, double half_conductance) {
    face_cells_[static_cast<int>(face)].push_back(c);
    face_half_conductance_[static_cast<int>(face)].push_back(half_conductance);
    face_area_[static_cast<int>(face)].push_back(area);
  };
  auto plain = [](double area, double half_length, double k) { return k * area / half_length; };
  const int last = grid_.nx - 1;
  for (int k = 0; k < grid_.nz; ++k) {
    for (int j = 0; j < grid_.ny; ++j) {
      const std::size_t inner = grid_.index(0, j, k), outer = grid_.index(last, j, k);
      if (!cylinder) {
        add(BoxFace::x_min, inner, area_x, plain(area_x, 0.5 * dx, conductivity_x_[inner]));
        add(BoxFace::x_max, outer, area_x, plain(area_x, 0.5 * dx, conductivity_x_[outer]));
        continue;
      }
      // On the axis (r_inner = 0) there is no face: the innermost ring closes on itself.
      const double r_in = grid_.inner_radius_m, r_out = grid_.outer_radius_m();
      if (r_in > 0.0) add(BoxFace::x_min, inner, r_in * dy * dz, radial(r_in, grid_.centre_radius_m(0), conductivity_x_[inner]));
      add(BoxFace::x_max, outer, r_out * dy * dz, radial(grid_.centre_radius_m(last), r_out, conductivity_x_[outer]));
    }
  }
  for (int k = 0; k < grid_.nz && !grid_.is_periodic(); ++k) {  // a whole cylinder has no theta faces
    for (int i = 0; i < grid_.nx; ++i) {
      const std::size_t low = grid_.index(i, 0, k), high = grid_.index(i, grid_.ny - 1, k);
      add(BoxFace::y_min, low, area_y(i), plain(area_y(i), half_y(i), conductivity_y_[low]));
      add(BoxFace::y_max, high, area_y(i), plain(area_y(i), half_y(i), conductivity_y_[high]));
    }
  }
  for (int j = 0; j < grid_.ny; ++j) {
    for (int i = 0; i < grid_.nx; ++i) {
      const std::size_t low = grid_.index(i, j, 0), high = grid_.index(i, j, grid_.nz - 1);
      add(BoxFace::z_min, low, area_z(i), plain(area_z(i), 0.5 * dz, conductivity_z_[low]));
      add(BoxFace::z_max, high, area_z(i), plain(area_z(i), 0.5 * dz, conductivity_z_[high]));
    }
  }
  conductances_ready_ = true;
}

std::size_t Conduction3d::face_slot(int face, int i, int j, int k) const {
  // The order build_conductances() adds them in.
  if (face < 2) return static_cast<std::size_t>(j) + static_cast<std::size_t>(grid_.ny) * k;
  if (face < 4) return static_cast<std::size_t>(i) + static_cast<std::size_t>(grid_.nx) * k;
  return static_cast<std::size_t>(i) + static_cast<std::size_t>(grid_.nx) * j;
}

void Conduction3d::evaluate(double t, std::span<const double> temperature, const StepFormula& formula, bool with_jacobian,
                            Evaluation& out) const {
  const std::size_t n = cell_count_;
  const auto& volume = volume_;
  out.residual.resize(n);
  out.row_sums.resize(n);
  out.heat_flow_W.assign(heat_counter_count(), 0.0);
  const bool transient = formula.inverse_beta_h > 0.0;
  const auto& previous = temperature_history_[0];
  const auto& before_previous = temperature_history_[1];
  // Storage: the residual is what the cell stores minus what flows in (W); row_sums collects the
  // Jacobian's diagonal less the neighbour conductances, i.e. the Jacobian applied to a uniform change.
  for (std::size_t c = 0; c < n; ++c) {
    const double storage = heat_capacity_[c] * volume[c] * formula.inverse_beta_h;
    out.residual[c] = transient ? storage * (temperature[c] - formula.a1 * previous[c] - formula.a2 * before_previous[c]) : 0.0;
    out.row_sums[c] = storage;
  }
  // Conduction between neighbours.
  auto exchange = [&](const std::vector<double>& conductance, std::size_t stride) {
    for (std::size_t c = 0; c + stride < n; ++c) {
      const double flow = conductance[c] * (temperature[c + stride] - temperature[c]);
      out.residual[c] -= flow;
      out.residual[c + stride] += flow;
    }
  };
  exchange(conductance_x_, 1);
  exchange(conductance_y_, stride_y_);
  exchange(conductance_z_, stride_z_);
  for_each_seam([&](double g, std::size_t a, std::size_t b) {
    const double flow = g * (temperature[b] - temperature[a]);
    out.residual[a] -= flow;
    out.residual[b] += flow;
  });
  // Faces.
  for (int f = 0; f < box_face_count; ++f) {
    const FaceCondition& face = faces_[f];
    if (!exchanges(face)) continue;
    const double outside = face.temperature_K ? face.temperature_K(t) : 0.0;
    const auto& area = face_area_[f];
    const auto& cells = face_cells_[f];
    const auto& half = face_half_conductance_[f];
    double total = 0.0, contact = 0.0;
    for (std::size_t m = 0; m < cells.size(); ++m) {
      const std::size_t c = cells[m];
      double contact_W = 0.0;
      const FaceFlow flow = face_flow_with_contact(face, t, c, outside, area[m], half[m], temperature[c], contact_W);
      out.residual[c] -= flow.heat_W;
      out.row_sums[c] -= flow.derivative_W_per_K;
      total += flow.heat_W;
      contact += contact_W;
    }
    out.heat_flow_W[f] = total;
    out.heat_flow_W[contact_counter()] += contact;
  }
  // Sources; a rising source is capped in the Jacobian (see max_source_share_of_storage).
  out.capped.assign(n, 0);
  auto add_source_derivative = [&](std::size_t c, double derivative_W_per_m3_K) {
    const double cap = max_source_share_of_storage * heat_capacity_[c] * formula.inverse_beta_h;
    if (derivative_W_per_m3_K > cap && transient) out.capped[c] = 1;
    out.row_sums[c] -= volume[c] * std::min(derivative_W_per_m3_K, cap);
  };
  if (source_) {
    double total = 0.0;
    for (std::size_t c = 0; c < n; ++c) {
      const double q = source_(t, c, temperature[c]);
      out.residual[c] -= volume[c] * q;
      total += volume[c] * q;
      if (with_jacobian) {
        double derivative = 0.0;
        if (source_derivative_) {
          derivative = source_derivative_(t, c, temperature[c]);
        } else {
          const double dT = 1e-6 * std::max(1.0, std::abs(temperature[c]));
          derivative = (source_(t, c, temperature[c] + dT) - q) / dT;
        }
        add_source_derivative(c, derivative);
      }
    }
    out.heat_flow_W[box_face_count] = total;
  }
  // The chemistry, its states eliminated cell by cell with the same BDF formula as the temperatures:
  // state = history + beta h f(state, T). Each channel's heat (E(state) - E(history)) / (beta h) then
  // integrates to exactly E(state) - E(state_0) (cell_chemistry.hpp).
  // The states of the previous evaluation (the last Newton iterate) are the chemistry's first guess.
  const bool have_guess = out.states.size() == n * state_size_;
  out.states.resize(n * state_size_);
  if (chemistry_) {
    const std::size_t m = channel_count_;
    std::vector<double> history(state_size_), channel(m);
    const double beta_h = transient ? 1.0 / formula.inverse_beta_h : 0.0;
    const auto& now = state_history_[0];
    double* flow = out.heat_flow_W.data() + box_face_count + 1;
    for (std::size_t c = 0; c < n; ++c) {
      std::span<double> state(out.states.data() + c * state_size_, state_size_);
      if (!transient) {  // the rate form, for the first step's predictor
        std::copy_n(now.data() + c * state_size_, state_size_, state.data());
        chemistry_->heat_rates(c, temperature[c], state, channel);
        double q = 0.0;
        for (std::size_t k = 0; k < m; ++k) {
          q += channel[k];
          flow[k] += volume[c] * channel[k];
        }
        out.residual[c] -= volume[c] * q;
        continue;
      }
      chemistry_history(formula, c, history);
      if (!have_guess) std::copy_n(now.data() + c * state_size_, state_size_, state.data());
      const double derivative = chemistry_->solve_step(c, temperature[c], beta_h, history, state, channel);
      double released = 0.0;
      for (std::size_t k = 0; k < m; ++k) {
        released += channel[k];
        flow[k] += volume[c] * channel[k] * formula.inverse_beta_h;
      }
      out.residual[c] -= volume[c] * released * formula.inverse_beta_h;
      if (with_jacobian && derivative != 0.0) add_source_derivative(c, derivative * formula.inverse_beta_h);
    }
  }
  if (with_jacobian) {
    out.diagonal.resize(n);
    for (std::size_t c = 0; c < n; ++c) out.diagonal[c] = out.row_sums[c] + conductance_sum_[c];
  }
}

void Conduction3d::factor_preconditioner(const std::vector<double>& diagonal) {
  const std::size_t n = cell_count_;
  inverse_pivot_.resize(n);
  const auto& gx = conductance_x_;
  const auto& gy = conductance_y_;
  const auto& gz = conductance_z_;
  // Short steps make the matrix strongly diagonally dominant (storage >> conduction): then the diagonal
  // alone preconditions as well, and its solve, unlike the incomplete factor's, is not sequential.
  jacobi_ = true;
  for (std::size_t c = 0; c < n && jacobi_; ++c) jacobi_ = conductance_sum_[c] <= jacobi_dominance * diagonal[c];
  if (jacobi_) {
    for (std::size_t c = 0; c < n; ++c) inverse_pivot_[c] = 1.0 / diagonal[c];
    return;
  }
  for (std::size_t c = 0; c < n; ++c) {
    double pivot = diagonal[c];
    if (c >= 1) {
      const std::size_t b = c - 1;
      pivot -= inverse_pivot_[b] * (gx[b] * gx[b] + mic_tau * gx[b] * (gy[b] + gz[b]));
    }
    if (c >= stride_y_) {
      const std::size_t b = c - stride_y_;
      pivot -= inverse_pivot_[b] * (gy[b] * gy[b] + mic_tau * gy[b] * (gx[b] + gz[b]));
    }
    if (c >= stride_z_) {
      const std::size_t b = c - stride_z_;
      pivot -= inverse_pivot_[b] * (gz[b] * gz[b] + mic_tau * gz[b] * (gx[b] + gy[b]));
    }
    if (pivot < mic_safety * diagonal[c]) pivot = diagonal[c];
    inverse_pivot_[c] = 1.0 / pivot;
  }
}

void Conduction3d::apply_preconditioner(const std::vector<double>& r, std::vector<double>& z) const {
  // M = (E + L) E^-1 (E + L)^T with L the matrix's strict lower part (-conductances) and E the pivots:
  // forward (E + L) y = r, then backward z = y - E^-1 L^T z, in place.
  const std::size_t n = cell_count_;
  const auto& gx = conductance_x_;
  const auto& gy = conductance_y_;
  const auto& gz = conductance_z_;
  z.resize(n);
  if (jacobi_) {
    for (std::size_t c = 0; c < n; ++c) z[c] = r[c] * inverse_pivot_[c];
    return;
  }
  for (std::size_t c = 0; c < n; ++c) {
    double s = r[c];
    if (c >= 1) s += gx[c - 1] * z[c - 1];
    if (c >= stride_y_) s += gy[c - stride_y_] * z[c - stride_y_];
    if (c >= stride_z_) s += gz[c - stride_z_] * z[c - stride_z_];
    z[c] = s * inverse_pivot_[c];
  }
  for (std::size_t c = n; c-- > 0;) {
    double s = 0.0;
    if (c + 1 < n) s += gx[c] * z[c + 1];
    if (c + stride_y_ < n) s += gy[c] * z[c + stride_y_];
    if (c + stride_z_ < n) s += gz[c] * z[c + stride_z_];
    z[c] += s * inverse_pivot_[c];
  }
}

void Conduction3d::apply_matrix(const std::vector<double>& diagonal, const std::vector<double>& x, std::vector<double>& y) const {
  const std::size_t n = cell_count_;
  y.resize(n);
  for (std::size_t c = 0; c < n; ++c) y[c] = diagonal[c] * x[c];
  auto couple = [&](const std::vector<double>& g, std::size_t stride) {
    for (std::size_t c = 0; c + stride < n; ++c) {
      y[c] -= g[c] * x[c + stride];
      y[c + stride] -= g[c] * x[c];
    }
  };
  couple(conductance_x_, 1);
  couple(conductance_y_, stride_y_);
  couple(conductance_z_, stride_z_);
  for_each_seam([&](double g, std::size_t a, std::size_t b) {
    y[a] -= g * x[b];
    y[b] -= g * x[a];
  });
}

int Conduction3d::solve_linear(const std::vector<double>& diagonal, const std::vector<double>& row_sums, const std::vector<double>& rhs,
                               std::vector<double>& x, const std::vector<double>& weights, double tolerance) {
  const std::size_t n = cell_count_;
  auto& r = work_residual_;
  auto& z = work_preconditioned_;
  auto& p = work_search_;
  auto& q = work_product_;
  x.assign(n, 0.0);
  r = rhs;
  apply_preconditioner(r, z);
  int iterations = 0;
  if (max_weighted(z, weights) > tolerance) {
    p = z;
    double rz = dot(r, z);
    for (;;) {
      if (iterations >= options_.max_linear_iterations) return -1;
      ++iterations;
      apply_matrix(diagonal, p, q);
      const double curvature = dot(p, q);
      if (!(curvature > 0.0)) return -1;  // not positive definite: the step is too long for the source
      const double alpha = rz / curvature;
      for (std::size_t c = 0; c < n; ++c) {
        x[c] += alpha * p[c];
        r[c] -= alpha * q[c];
      }
      apply_preconditioner(r, z);
      if (max_weighted(z, weights) <= tolerance) break;
      const double rz_next = dot(r, z);
      const double beta = rz_next / rz;
      rz = rz_next;
      for (std::size_t c = 0; c < n; ++c) p[c] = z[c] + beta * p[c];
    }
  }
  // A uniform correction makes the residuals sum to zero: the linear solve then neither makes nor loses
  // energy, whatever its tolerance (the sum of the Jacobian's rows is row_sums: conduction cancels).
  double residual_sum = 0.0, row_sum = 0.0;
  for (std::size_t c = 0; c < n; ++c) {
    residual_sum += r[c];
    row_sum += row_sums[c];
  }
  if (row_sum > 0.0) {
    const double shift = residual_sum / row_sum;
    for (std::size_t c = 0; c < n; ++c) x[c] += shift;
  }
  return iterations;
}

// One cell's balance with its neighbours held: residual (W) and its derivative in the cell's temperature.
std::pair<double, double> Conduction3d::cell_residual(double t, const StepFormula& formula, std::span<const double> temperature,
                                                      std::size_t c, double cell_K) const {
  const double volume = volume_[c];
  const double storage = heat_capacity_[c] * volume * formula.inverse_beta_h;
  double residual = storage * (cell_K - formula.a1 * temperature_history_[0][c] - formula.a2 * temperature_history_[1][c]);
  double derivative = storage + conductance_sum_[c];
  const std::size_t n = cell_count_;
  auto neighbour = [&](double g, std::size_t other) { residual -= g * (temperature[other] - cell_K); };
  if (c + 1 < n) neighbour(conductance_x_[c], c + 1);
  if (c >= 1) neighbour(conductance_x_[c - 1], c - 1);
  if (c + stride_y_ < n) neighbour(conductance_y_[c], c + stride_y_);
  if (c >= stride_y_) neighbour(conductance_y_[c - stride_y_], c - stride_y_);
  if (c + stride_z_ < n) neighbour(conductance_z_[c], c + stride_z_);
  if (c >= stride_z_) neighbour(conductance_z_[c - stride_z_], c - stride_z_);
  const int i = static_cast<int>(c % stride_y_), j = static_cast<int>((c / stride_y_) % grid_.ny), k = static_cast<int>(c / stride_z_);
  if (!seam_conductance_.empty() && (j == 0 || j == grid_.ny - 1)) {
    const double g = seam_conductance_[static_cast<std::size_t>(i) + stride_y_ * k];
    neighbour(g, j == 0 ? grid_.index(i, grid_.ny - 1, k) : grid_.index(i, 0, k));
  }
  const std::array<bool, box_face_count> on_face{i == 0, i == grid_.nx - 1, j == 0, j == grid_.ny - 1, k == 0, k == grid_.nz - 1};
  for (int f = 0; f < box_face_count; ++f) {
    if (!on_face[f] || !exchanges(faces_[f]) || face_cells_[f].empty()) continue;
    const std::size_t m = face_slot(f, i, j, k);
    double contact_W = 0.0;
    const FaceFlow flow = face_flow_with_contact(faces_[f], t, c, faces_[f].temperature_K ? faces_[f].temperature_K(t) : 0.0, face_area_[f][m],
                                                 face_half_conductance_[f][m], cell_K, contact_W);
    residual -= flow.heat_W;
    derivative -= flow.derivative_W_per_K;
  }
  if (source_) {
    const double q = source_(t, c, cell_K);
    double dq = 0.0;
    if (source_derivative_) {
      dq = source_derivative_(t, c, cell_K);
    } else {
      const double dT = 1e-6 * std::max(1.0, std::abs(cell_K));
      dq = (source_(t, c, cell_K + dT) - q) / dT;
    }
    residual -= volume * q;
    derivative -= volume * dq;
  }
  if (chemistry_) {
    auto& history = scratch_history_;
    auto& state = scratch_state_;
    auto& channel = scratch_channel_;
    history.resize(state_size_);
    state.resize(state_size_);
    channel.resize(channel_count_);
    chemistry_history(formula, c, history);
    std::copy_n(state_history_[0].data() + c * state_size_, state_size_, state.data());
    const double beta_h = 1.0 / formula.inverse_beta_h;
    const double d = chemistry_->solve_step(c, cell_K, beta_h, history, state, channel);
    double released = 0.0;
    for (double q : channel) released += q;
    residual -= volume * released * formula.inverse_beta_h;
    derivative -= volume * d * formula.inverse_beta_h;
  }
  return {residual, derivative};
}

bool Conduction3d::solve_cell(double t, const StepFormula& formula, std::vector<double>& temperature, std::size_t c) const {
  // Bracket a root on the side the residual points to (a cell short of heat looks upwards, so an ignition
  // is taken when the heat is there), then Newton's iteration kept inside the bracket, bisecting when it
  // would leave it.
  double low = temperature[c], high = temperature[c];
  const double start = cell_residual(t, formula, temperature, c, low).first;
  if (start == 0.0) return true;
  const double direction = start < 0.0 ? 1.0 : -1.0;
  double width = 5.0;
  double far = temperature[c];
  for (;;) {
    far = std::max(temperature[c] + direction * width, 0.5 * temperature[c]);
    const double value = cell_residual(t, formula, temperature, c, far).first;
    if ((value > 0.0) == (start < 0.0) || value == 0.0) break;
    width *= 2.0;
    if (width > 1e5) return false;
  }
  low = std::min(temperature[c], far);
  high = std::max(temperature[c], far);
  double T = 0.5 * (low + high);
  for (int iteration = 0; iteration < 100; ++iteration) {
    const auto [value, slope] = cell_residual(t, formula, temperature, c, T);
    // Either way the residual is negative at the bracket's low end and positive at its high end.
    if (value < 0.0) {
      low = T;
    } else {
      high = T;
    }
    double next = slope > 0.0 ? T - value / slope : 0.5 * (low + high);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    if (std::abs(next - T) <= 1e-12 * T || high - low <= 1e-12 * T) {
      temperature[c] = next;
      return true;
    }
    T = next;
  }
  temperature[c] = T;
  return true;
}

bool Conduction3d::solve_newton(double t, const StepFormula& formula, std::vector<double>& temperature, const std::vector<double>& weights) {
  const std::size_t n = cell_count_;
  std::vector<double>& update = work_forward_;
  std::vector<double> rhs(n);
  double previous_norm = std::numeric_limits<double>::infinity();
  // An iteration in which cells ignite (solved on their own below) does not count against the budget, up
  // to twice it: in a front of igniting cells each jump heats the next, one iteration at a time.
  int budget = options_.max_newton_iterations;
  for (int iteration = 0; iteration < budget; ++iteration) {
    ++statistics_.newton_iterations;
    evaluate(t, temperature, formula, true, evaluation_);
    if (source_) statistics_.source_evaluations += 2 * static_cast<long>(n);  // value and derivative
    factor_preconditioner(evaluation_.diagonal);
    for (std::size_t c = 0; c < n; ++c) rhs[c] = -evaluation_.residual[c];
    const int iterations = solve_linear(evaluation_.diagonal, evaluation_.row_sums, rhs, update, weights, 0.1 * options_.newton_tolerance);
    if (iterations < 0) return false;
    statistics_.linear_iterations += iterations;
    for (std::size_t c = 0; c < n; ++c) {
      temperature[c] += update[c];
      if (!(temperature[c] > 0.0) || !std::isfinite(temperature[c])) return false;
    }
    // Cells whose source rose faster than the Jacobian could take (an ignition inside the step) are
    // solved on their own, neighbours held, by a bracketed scalar Newton iteration: the global iteration
    // alone would crawl along their steep sigmoid of reaction heat and give up.
    bool ignited = false;
    for (std::size_t c = 0; c < n; ++c) {
      if (!evaluation_.capped[c]) continue;
      const double before = temperature[c];
      if (!solve_cell(t, formula, temperature, c)) return false;
      update[c] += temperature[c] - before;
      ignited = true;
    }
    const double norm = max_weighted(update, weights);
    if (norm <= options_.newton_tolerance) return true;
    // Divergence is judged on the cells Newton's global iteration moved: an ignition's jump is no sign of it.
    double smooth_norm = 0.0;
    for (std::size_t c = 0; c < n; ++c)
      if (!evaluation_.capped[c]) smooth_norm = std::max(smooth_norm, std::abs(update[c]) / weights[c]);
    if (ignited && budget < 2 * options_.max_newton_iterations) ++budget;
    if (iteration > 0 && smooth_norm > 10.0 * previous_norm) return false;  // diverging
    // After a jump its neighbours answer in the next iteration: no divergence test there either.
    previous_norm = ignited ? std::numeric_limits<double>::infinity() : smooth_norm;
  }
  return false;
}

std::vector<double> Conduction3d::rate_of_change(double t, std::span<const double> temperature) const {
  Evaluation e;
  evaluate(t, temperature, StepFormula{}, false, e);  // the rate form
  std::vector<double> rate(cell_count_);
  for (std::size_t c = 0; c < cell_count_; ++c) rate[c] = -e.residual[c] / (heat_capacity_[c] * volume_[c]);
  return rate;
}

double Conduction3d::choose_initial_step(double end_s) const {
  // A tenth of the time any cell needs to move by its error tolerance at the initial rate of change.
  double step = 0.01 * (end_s - time_);
  for (std::size_t c = 0; c < cell_count_; ++c) {
    const double rate = std::abs(initial_rate_[c]);
    const double tolerance = options_.absolute_tolerance_K + options_.relative_tolerance * temperature_[c];
    if (rate * step > 0.1 * tolerance) step = 0.1 * tolerance / rate;
  }
  return std::max(step, 10.0 * options_.min_step_s);
}

void Conduction3d::advance_to(double end_s) {
  require_started("advance_to");
  if (!(end_s >= time_)) reject_input("end_s", number(end_s), "must not be before the present time " + number(time_));
  if (end_s == time_) return;
  if (!conductances_ready_) build_conductances();
  const std::size_t n = cell_count_;
  const bool fixed = options_.fixed_step_s > 0.0;
  if (history_count_ == 1) initial_rate_ = rate_of_change(time_, temperature_);
  double step = fixed ? options_.fixed_step_s : (next_step_ > 0.0 ? next_step_ : (options_.initial_step_s > 0.0 ? options_.initial_step_s : choose_initial_step(end_s)));
  std::vector<double> predictor(n), candidate(n), weights(n);
  std::vector<std::uint8_t> excluded(n, 0);  // this attempt: jumping (see the error test below)
  if (unresolved_age_.size() != n) unresolved_age_.assign(n, 2);
  long steps = 0;
  bool rejected_here = false;
  while (time_ < end_s) {
    if (++steps > options_.max_steps) throw ConductionSolverFailure(time_, "more than options.max_steps = " + std::to_string(options_.max_steps) + " steps");
    check_progress();
    if (options_.max_step_s > 0.0) step = std::min(step, options_.max_step_s);
    // Variable-step BDF2 is zero-stable only for step ratios below 1 + sqrt(2): never more than double.
    if (history_count_ >= 2 && !fixed) step = std::min(step, 2.0 * (time_history_[0] - time_history_[1]));
    const double remaining = end_s - time_;
    double h = step;
    bool last = false;
    if (h >= remaining * (1.0 - 1e-12)) {
      h = remaining;
      last = true;
    } else if (!fixed && h > 0.5 * remaining) {
      h = 0.5 * remaining;  // two even steps rather than a long one and a sliver
    }
    const double t_new = last ? end_s : time_ + h;

    // The formula and a predictor of one order more, whose difference from the corrector estimates the
    // local error (Milne's device): BE with a linear predictor for the first two steps, then BDF2 with a
    // quadratic one. err = factor * (corrector - predictor).
    const auto& now = temperature_history_[0];
    const auto& before = temperature_history_[1];
    const auto& earlier = temperature_history_[2];
    StepFormula formula;
    double error_factor = 0.5;
    int order = 1;
    if (history_count_ == 1) {
      formula = {1.0 / h, 1.0, 0.0};
      for (std::size_t c = 0; c < n; ++c) predictor[c] = now[c] + h * initial_rate_[c];
      error_factor = 0.5;
    } else {
      const double h1 = time_history_[0] - time_history_[1];
      if (history_count_ == 2) {
        formula = {1.0 / h, 1.0, 0.0};
        for (std::size_t c = 0; c < n; ++c) predictor[c] = now[c] + (now[c] - before[c]) * (h / h1);
        error_factor = h / (2.0 * h + h1);
      } else {
        order = 2;
        const double omega = h / h1;
        const double a1 = (1.0 + omega) * (1.0 + omega) / (1.0 + 2.0 * omega);
        const double a2 = -omega * omega / (1.0 + 2.0 * omega);
        const double beta = (1.0 + omega) / (1.0 + 2.0 * omega);
        formula = {1.0 / (beta * h), a1, a2};
        const double h2 = time_history_[1] - time_history_[2];
        // Lagrange extrapolation through the last three points to t_new.
        const double s0 = time_history_[0], s1 = time_history_[1], s2 = time_history_[2];
        const double l0 = (t_new - s1) * (t_new - s2) / ((s0 - s1) * (s0 - s2));
        const double l1 = (t_new - s0) * (t_new - s2) / ((s1 - s0) * (s1 - s2));
        const double l2 = (t_new - s0) * (t_new - s1) / ((s2 - s0) * (s2 - s1));
        for (std::size_t c = 0; c < n; ++c) predictor[c] = l0 * now[c] + l1 * before[c] + l2 * earlier[c];
        // BDF2's error is -(a1 h^3 + a2 (h + h1)^3) / 6 y'''; the predictor's h (h + h1) (h + h1 + h2) / 6 y'''.
        const double corrector_constant = -(a1 * h * h * h + a2 * std::pow(h + h1, 3)) / 6.0;
        const double predictor_constant = h * (h + h1) * (h + h1 + h2) / 6.0;
        error_factor = corrector_constant / (corrector_constant + predictor_constant);
      }
    }
    for (std::size_t c = 0; c < n; ++c) weights[c] = options_.absolute_tolerance_K + options_.relative_tolerance * std::abs(now[c]);
    candidate = predictor;
    for (std::size_t c = 0; c < n; ++c) {
      if (!(candidate[c] > 0.0) || !std::isfinite(candidate[c])) candidate[c] = now[c];
    }
    if (!solve_newton(t_new, formula, candidate, weights)) {
      ++statistics_.newton_failures;
      step = 0.5 * h;
      rejected_here = true;
      if (fixed || step < options_.min_step_s) {
        throw ConductionSolverFailure(time_, "Newton's iteration did not converge with a step of " + number(h) + " s");
      }
      continue;
    }
    // A cell whose decomposition runs its course within the step (h r > 1) jumps: resolving that jump to
    // the error tolerance would take microsecond steps at every cell the runaway reaches, one after
    // another. The implicit step takes the jump stably and conserves energy, so such cells are left out of
    // the error test and only their temperature change per step is bounded (fast_reaction_max_change_K),
    // unless the reaction runs its course within max(h, jump_time_s): then no step could resolve it and
    // the bound would only force nanosecond steps; it jumps. For two steps after, the cell stays out of
    // the error test (its history holds the jump, which the predictor must not extrapolate).
    double error = 0.0, change = 0.0, fast_change = 0.0;
    const double ignition_window = std::max(h, options_.ignition_time_s);
    const double jump_window = options_.jump_time_s > 0.0 ? std::max(h, options_.jump_time_s) : 0.0;
    bool after_jump = false;  // some cell is out of the error test for its jump in the last two steps
    for (std::size_t c = 0; c < n; ++c) {
      const double step_change = std::abs(candidate[c] - now[c]);
      if (chemistry_ && chemistry_->ignites_within(c, candidate[c], chemistry_state(c), ignition_window)) {
        if (jump_window > 0.0 && chemistry_->ignites_within(c, candidate[c], chemistry_state(c), jump_window)) {
          excluded[c] = 1;
          continue;
        }
        excluded[c] = 0;
        fast_change = std::max(fast_change, step_change);
        continue;
      }
      excluded[c] = 0;
      if (unresolved_age_[c] < 2) {
        after_jump = true;
        // Jumped in one of the last two steps: the predictor would extrapolate across that unresolved
        // jump. Its change stays bounded.
        fast_change = std::max(fast_change, step_change);
        continue;
      }
      error = std::max(error, std::abs(error_factor * (candidate[c] - predictor[c])) / weights[c]);
      change = std::max(change, step_change);
    }
    double ratio = error > 0.0 ? 0.9 * std::pow(error, -1.0 / (order + 1)) : 2.0;
    // Cells that just jumped are not error-tested: the step does not grow on their account until they are.
    if (after_jump) ratio = std::min(ratio, 1.0);
    const double change_limit = options_.max_temperature_change_K;
    const double fast_limit = options_.fast_reaction_max_change_K;
    bool too_hot = false;
    if (change_limit > 0.0 && std::max(change, fast_change) > change_limit) {
      too_hot = true;
      ratio = std::min(ratio, 0.9 * change_limit / std::max(change, fast_change));
    }
    if (fast_limit > 0.0 && fast_change > fast_limit) {
      too_hot = true;
      ratio = std::min(ratio, 0.9 * fast_limit / fast_change);
    }
    if (!fixed && (error > 1.0 || too_hot)) {
      ++statistics_.rejected_steps;
      rejected_here = true;
      step = h * std::clamp(ratio, 0.1, 0.9);
      if (step < options_.min_step_s) throw ConductionSolverFailure(time_, "the step fell below options.min_step_s (error " + number(error) + ")");
      continue;
    }

    // Accept: heat flows and reaction progress at the new state, energy counters by the same formula.
    evaluate(t_new, candidate, formula, false, evaluation_);
    if (source_) statistics_.source_evaluations += static_cast<long>(n);
    const double beta_h = 1.0 / formula.inverse_beta_h;
    std::vector<double> heat(heat_counter_count());
    for (std::size_t m = 0; m < heat.size(); ++m) {
      heat[m] = formula.a1 * heat_history_[0][m] + formula.a2 * heat_history_[1][m] + beta_h * evaluation_.heat_flow_W[m];
    }
    heat_history_[1] = heat_history_[0];
    heat_history_[0] = heat;
    std::swap(temperature_history_[2], temperature_history_[1]);
    std::swap(temperature_history_[1], temperature_history_[0]);
    temperature_history_[0] = candidate;
    std::swap(state_history_[1], state_history_[0]);
    state_history_[0] = evaluation_.states;
    time_history_ = {t_new, time_history_[0], time_history_[1]};
    history_count_ = std::min(history_count_ + 1, 3);
    time_ = t_new;
    temperature_ = candidate;
    states_ = evaluation_.states;
    for (std::size_t c = 0; c < n; ++c) unresolved_age_[c] = excluded[c] ? 0 : static_cast<std::uint8_t>(std::min(unresolved_age_[c] + 1, 2));
    if (chemistry_) chemistry_->accept(temperature_, states_);
    ++statistics_.steps;
    statistics_.last_step_s = h;
    const bool go_on = !step_observer_ || step_observer_(*this);
    if (fixed) {
      step = options_.fixed_step_s;
    } else {
      // Gustafsson's predictive control: when the error grew over the last accepted step (a runaway
      // accelerating), shrink ahead of it instead of learning from a rejection at every other step.
      if (previous_accepted_error_ > 0.0 && previous_accepted_step_ > 0.0 && error > 0.0) {
        ratio = std::min(ratio, ratio * (h / previous_accepted_step_) * std::pow(previous_accepted_error_ / error, 1.0 / (order + 1)));
      }
      previous_accepted_error_ = std::max(error, 1e-4);
      previous_accepted_step_ = h;
      ratio = std::clamp(ratio, 0.2, rejected_here ? 1.0 : 2.0);
      step = (last && h < step ? step : h * ratio);
    }
    rejected_here = false;
    if (!go_on) break;
  }
  next_step_ = step;
}

void Conduction3d::check_progress() {
  const long attempts = statistics_.steps + statistics_.rejected_steps + statistics_.newton_failures;
  if (options_.max_total_steps > 0 && attempts >= options_.max_total_steps) {
    throw ConductionSolverFailure(time_, "stalled: " + std::to_string(attempts) + " step attempts (options.max_total_steps = " +
                                             std::to_string(options_.max_total_steps) + "), last step " + number(statistics_.last_step_s) + " s");
  }
  const long window = options_.stall_window_steps;
  if (window <= 0 || options_.stall_min_mean_step_s <= 0.0) return;
  if (attempts - stall_window_start_attempts_ < window) return;
  const double advanced = time_ - stall_window_start_time_;
  const double mean = advanced / static_cast<double>(attempts - stall_window_start_attempts_);
  if (mean < options_.stall_min_mean_step_s) {
    throw ConductionSolverFailure(time_, "stalled: " + std::to_string(attempts - stall_window_start_attempts_) + " step attempts advanced only " +
                                             number(advanced) + " s (mean step " + number(mean) + " s < options.stall_min_mean_step_s = " +
                                             number(options_.stall_min_mean_step_s) + " s), last step " + number(statistics_.last_step_s) + " s");
  }
  stall_window_start_attempts_ = attempts;
  stall_window_start_time_ = time_;
}

void Conduction3d::solve_steady_state(double time_s) {
  require_started("solve_steady_state");
  if (chemistry_) throw std::logic_error("Conduction3d::solve_steady_state: a decomposition reaction has no steady state");
  bool anchored = false;
  for (const auto& f : faces_) anchored = anchored || exchanges(f);
  if (!anchored && !source_) throw std::logic_error("Conduction3d::solve_steady_state: all faces adiabatic and no source");
  if (!conductances_ready_) build_conductances();
  const std::size_t n = cell_count_;
  std::vector<double> weights(n), temperature = temperature_;
  for (std::size_t c = 0; c < n; ++c) weights[c] = options_.absolute_tolerance_K + options_.relative_tolerance * std::abs(temperature[c]);
  const Conduction3dOptions saved = options_;
  options_.max_newton_iterations = std::max(options_.max_newton_iterations, 50);
  const bool converged = solve_newton(time_s, StepFormula{}, temperature, weights);
  options_ = saved;
  if (!converged) throw ConductionSolverFailure(time_s, "the steady state's Newton iteration did not converge");
  set_initial_temperature(std::move(temperature), time_s);
}

double Conduction3d::min_temperature_K() const { return *std::min_element(temperature_.begin(), temperature_.end()); }
double Conduction3d::max_temperature_K() const { return *std::max_element(temperature_.begin(), temperature_.end()); }

double Conduction3d::mean_temperature_K() const {
  double weighted = 0.0, capacity = 0.0;
  for (std::size_t c = 0; c < cell_count_; ++c) {
    weighted += heat_capacity_[c] * volume_[c] * temperature_[c];
    capacity += heat_capacity_[c] * volume_[c];
  }
  return weighted / capacity;
}

double Conduction3d::stored_energy_J() const {
  double sum = 0.0;
  for (std::size_t c = 0; c < cell_count_; ++c) sum += heat_capacity_[c] * volume_[c] * temperature_[c];
  return sum;
}

double Conduction3d::heat_flow_in_W(BoxFace face) const {
  require_started("heat_flow_in_W");
  const int f = static_cast<int>(face);
  const FaceCondition& condition = faces_[f];
  if (!exchanges(condition) || face_cells_[f].empty()) return 0.0;
  const double outside = condition.temperature_K ? condition.temperature_K(time_) : 0.0;
  double total = 0.0, contact_W = 0.0;
  for (std::size_t m = 0; m < face_cells_[f].size(); ++m) {
    const std::size_t c = face_cells_[f][m];
    total += face_flow_with_contact(condition, time_, c, outside, face_area_[f][m], face_half_conductance_[f][m], temperature_[c], contact_W).heat_W;
  }
  return total;
}

double Conduction3d::source_power_W() const {
  if (!source_) return 0.0;
  double total = 0.0;
  for (std::size_t c = 0; c < cell_count_; ++c) total += source_(time_, c, temperature_[c]) * volume_[c];
  return total;
}

ConductionEnergyBalance Conduction3d::energy_balance() const {
  ConductionEnergyBalance b;
  for (int f = 0; f < box_face_count; ++f) b.heat_in_through_face_J[f] = heat_history_[0][f];
  if (!heat_history_[0].empty()) {
    b.source_heat_J = heat_history_[0][box_face_count];
    for (std::size_t k = 0; k < channel_count_; ++k) {
      b.reaction_heat_by_channel_J.push_back(heat_history_[0][box_face_count + 1 + k]);
      b.reaction_heat_J += b.reaction_heat_by_channel_J.back();
    }
    b.contact_heat_J = heat_history_[0][contact_counter()];
  }
  double change = 0.0;
  for (std::size_t c = 0; c < cell_count_; ++c) change += heat_capacity_[c] * volume_[c] * (temperature_[c] - initial_temperature_[c]);
  b.stored_energy_change_J = change;
  return b;
}

}  // namespace solidcell::thermal
