#include "solidcell/abuse/abuse_3d.hpp"

#include <algorithm>
#include <cmath>

#include "abuse_3d_driver.hpp"
#include "solidcell/base/constants.hpp"

namespace solidcell::abuse {
namespace detail {
namespace {

double normalised_sum(std::vector<double>& w) {
  double sum = 0.0;
  for (double v : w) sum += v;
  if (sum > 0.0)
    for (double& v : w) v /= sum;
  return sum;
}

}  // namespace

BodyProperties body_properties(const PouchBox& box, const thermal::Conduction3dGrid& grid) {
  const std::size_t n = grid.cell_count();
  BodyProperties p;
  p.jelly_roll_fraction.assign(n, 1.0);
  p.heat_capacity.assign(n, box.heat_capacity_J_per_m3_K);
  const double k_in = box.conductivity_in_plane_W_per_m_K, k_through = box.conductivity_through_plane_W_per_m_K;
  if (!box.is_cylinder()) {
    p.k_x.assign(n, k_in);
    p.k_y.assign(n, k_in);
    p.k_z.assign(n, k_through);
    return p;
  }
  // Wound: through the layers is the radius.
  p.k_x.assign(n, k_through);
  p.k_y.assign(n, k_in);
  p.k_z.assign(n, k_in);
  // The can's wall: its volume share of each ring it reaches (the outermost, or more on a fine grid).
  const double R = box.outer_radius_m(), wall_inner = R - box.can_wall_thickness_m;
  for (int i = 0; i < grid.nx; ++i) {
    const double a = std::max(grid.face_radius_m(i), wall_inner), b = grid.face_radius_m(i + 1);
    if (!(b > a) || box.can_wall_thickness_m <= 0.0) continue;
    const double r0 = grid.face_radius_m(i);
    const double steel = (b * b - a * a) / (b * b - r0 * r0);
    // Radially the wall and the roll are in series (over their radial shares), along it in parallel.
    const double radial_steel = (b - a) / (b - r0);
    const double k_r = 1.0 / (radial_steel / box.can_conductivity_W_per_m_K + (1.0 - radial_steel) / k_through);
    const double k_along = steel * box.can_conductivity_W_per_m_K + (1.0 - steel) * k_in;
    const double capacity = steel * box.can_heat_capacity_J_per_m3_K + (1.0 - steel) * box.heat_capacity_J_per_m3_K;
    for (int k = 0; k < grid.nz; ++k)
      for (int j = 0; j < grid.ny; ++j) {
        const std::size_t c = grid.index(i, j, k);
        p.jelly_roll_fraction[c] = 1.0 - steel;
        p.k_x[c] = k_r;
        p.k_y[c] = p.k_z[c] = k_along;
        p.heat_capacity[c] = capacity;
      }
  }
  return p;
}

Abuse3dDriver::Abuse3dDriver(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network, double initial_soc,
                             double initial_temperature_K, const ThreeDOptions& options, BodyProperties properties)
    : inventory_(inventory), network_(network), options_(options), box_(box), soc_(initial_soc), piece_soc_(initial_soc) {
  const thermal::Conduction3dGrid grid = box.grid(options.nx, options.ny, options.nz);
  solver_ = std::make_unique<thermal::Conduction3d>(grid);
  const std::size_t n = grid.cell_count();
  if (properties.jelly_roll_fraction.empty()) properties = body_properties(box, grid);
  solver_->set_conductivity(std::move(properties.k_x), std::move(properties.k_y), std::move(properties.k_z));
  solver_->set_heat_capacity(std::move(properties.heat_capacity));
  // The reacting masses are the whole cell's, spread over its whole jelly roll: a half cylinder holds half.
  chemistry_ = std::make_shared<NetworkChemistry>(network, inventory, initial_soc, box.jelly_roll_volume_m3(), std::move(properties.jelly_roll_fraction));
  solver_->set_chemistry(chemistry_);
  thermal::Conduction3dOptions o;
  o.relative_tolerance = options.relative_tolerance;
  o.absolute_tolerance_K = options.absolute_tolerance_K;
  o.newton_tolerance = options.newton_tolerance;
  o.max_step_s = options.max_step_s;
  o.fast_reaction_max_change_K = options.fast_reaction_max_change_K;
  o.jump_time_s = options.jump_time_s;
  o.max_total_steps = options.max_solver_steps;
  o.stall_window_steps = options.stall_window_steps;
  o.stall_min_mean_step_s = options.stall_min_mean_step_s;
  solver_->set_options(o);
  solver_->set_initial_temperature(initial_temperature_K, 0.0);
  solver_->set_step_observer([this](const thermal::Conduction3d& s) { return observe(s); });
  source_W_per_m3_.assign(n, 0.0);
  failed_.assign(n, 0);
  shut_.assign(n, 0);
  peak_K_.assign(n, initial_temperature_K);
  for (const auto& r : network.reactions) trace_.reaction_names.push_back(r.name);
  trace_.reaction_progress.assign(network.reactions.size(), {});
}

void Abuse3dDriver::set_surroundings(std::function<double(double)> temperature_K, double convection_W_per_m2_K, double emissivity) {
  surroundings_ = std::move(temperature_K);
  convection_W_per_m2_K_ = convection_W_per_m2_K;
  emissivity_ = emissivity;
  apply_faces();
  if (trace_.time_s.empty()) record(solver_->time_s());
}

void Abuse3dDriver::set_contact(thermal::BoxFace face, std::function<thermal::FaceCondition::Contact(double, std::size_t)> contact) {
  contacts_[static_cast<int>(face)] = std::move(contact);
  apply_faces();
}

void Abuse3dDriver::apply_faces() {
  for (int f = 0; f < thermal::box_face_count; ++f) {
    const auto face = static_cast<thermal::BoxFace>(f);
    // A cylinder: the closed hole of the mandrel and the planes of symmetry exchange nothing.
    const bool closed = box_.is_cylinder() && (face == thermal::cylinder_face::inner || face == thermal::cylinder_face::theta_min ||
                                               face == thermal::cylinder_face::theta_max);
    auto condition = closed || !surroundings_ ? thermal::FaceCondition::adiabatic()
                                              : thermal::FaceCondition::convection_radiation(convection_W_per_m2_K_, emissivity_, surroundings_);
    condition.contact = contacts_[f];
    solver_->set_face(face, std::move(condition));
  }
}

void Abuse3dDriver::enable_separator_short(double onset_K, double resistance_ohm) {
  separator_onset_K_ = onset_K;
  separator_resistance_ohm_ = resistance_ohm;
}

std::vector<double> Abuse3dDriver::jelly_roll_weights() const {
  std::vector<double> w(solver_->cell_count());
  for (std::size_t c = 0; c < w.size(); ++c) w[c] = solver_->control_volume_m3(c) * chemistry_->jelly_roll_fraction(c);
  normalised_sum(w);
  return w;
}

double Abuse3dDriver::conducting_share() const {
  if (shut_count_ == 0) return 1.0;
  const double shut_factor = 1.0 / network_.separator_shutdown->resistance_factor;
  double open = 0.0, all = 0.0;
  for (std::size_t c = 0; c < shut_.size(); ++c) {
    const double roll = solver_->control_volume_m3(c) * chemistry_->jelly_roll_fraction(c);
    all += roll;
    open += shut_[c] && !failed_[c] ? shut_factor * roll : roll;  // a melted-down separator: the electrodes touch
  }
  return all > 0.0 ? open / all : 1.0;
}

std::vector<double> Abuse3dDriver::conducting_weights() const {
  std::vector<double> w = jelly_roll_weights();
  if (shut_count_ == 0) return w;
  const double shut_factor = 1.0 / network_.separator_shutdown->resistance_factor;
  for (std::size_t c = 0; c < w.size(); ++c)
    if (shut_[c] && !failed_[c]) w[c] *= shut_factor;
  normalised_sum(w);
  return w;
}

double Abuse3dDriver::failed_share() const {
  double failed = 0.0, all = 0.0;
  for (std::size_t c = 0; c < failed_.size(); ++c) {
    const double roll = solver_->control_volume_m3(c) * chemistry_->jelly_roll_fraction(c);
    all += roll;
    if (failed_[c]) failed += roll;
  }
  return all > 0.0 ? failed / all : 0.0;
}

std::optional<ShortState> Abuse3dDriver::present_short(double t) {
  if (!short_provider_) return separator_short();
  auto provided = short_provider_(t);
  if (provided && provided->conductor_ohm > 0.0) return provided;
  auto separator = separator_short();
  if (!provided || !separator) return provided ? provided : separator;
  // Two contact shorts in parallel: conductances add, and each takes heat in proportion to its conductance.
  const double g1 = 1.0 / provided->contact_ohm, g2 = 1.0 / separator->contact_ohm;
  ShortState both = *provided;
  both.contact_ohm = 1.0 / (g1 + g2);
  for (std::size_t c = 0; c < both.sites.contact.size(); ++c)
    both.sites.contact[c] = (g1 * provided->sites.contact[c] + g2 * separator->sites.contact[c]) / (g1 + g2);
  return both;
}

std::optional<ShortState> Abuse3dDriver::separator_short() {
  if (!separator_onset_K_ || failed_count_ == 0) return std::nullopt;
  // The network's R_short is the whole cell's (every separator failed); a failed share of the jelly roll
  // conducts in proportion: R = R_short V_jr / V_failed (the contact fraction per area stays that of the
  // network's assumption). Its heat goes into the failed control volumes.
  ShortState s;
  s.sites.internal = jelly_roll_weights();
  s.sites.contact.assign(failed_.size(), 0.0);
  for (std::size_t c = 0; c < failed_.size(); ++c) s.sites.contact[c] = failed_[c] ? solver_->control_volume_m3(c) * chemistry_->jelly_roll_fraction(c) : 0.0;
  normalised_sum(s.sites.contact);
  const double failed_share = this->failed_share();
  if (failed_share <= 0.0) return std::nullopt;
  piece_failed_share_ = failed_share;
  s.contact_ohm = separator_resistance_ohm_ / failed_share;
  return s;
}

void Abuse3dDriver::apply_source(const ShortCircuitPower& p, const ShortState& state) {
  const std::size_t n = source_W_per_m3_.size();
  auto weight = [&](const std::vector<double>& w, std::size_t c) { return w.empty() ? 0.0 : w[c]; };
  // The grid's share of the cell takes that share of the circuit's heat (the weights sum to 1 over the grid).
  const double share = box_.modelled_share();
  for (std::size_t c = 0; c < n; ++c) {
    source_W_per_m3_[c] = share *
                          (p.internal_W * weight(state.sites.internal, c) + p.contact_W * weight(state.sites.contact, c) +
                           p.conductor_W * weight(state.sites.conductor, c)) /
                          solver_->control_volume_m3(c);
  }
  if (!source_on_) {
    solver_->set_heat_source([this](double, std::size_t c, double) { return source_W_per_m3_[c]; }, [](double, std::size_t, double) { return 0.0; });
    source_on_ = true;
  }
}

void Abuse3dDriver::advance_to(double t_end, const std::vector<double>& breaks) {
  const double Q = inventory_.capacity_Ah * constants::seconds_per_hour;
  while (solver_->time_s() < t_end) {
    const double t = solver_->time_s();
    double piece_end = t_end;
    for (double b : breaks)
      if (b > t * (1.0 + 1e-14) + 1e-14 && b < piece_end) piece_end = b;
    // Approaching a separator's failure: pieces halve towards the predicted crossing (from the hottest
    // control volume's rate), so that the short starts within about half a second of it rather than at the
    // end of a long step.
    // The same towards a running short's first shutdown, where its current falls.
    auto approach = [&](double threshold_K, double min_piece_s) {
      if (trace_.temperature_rate_K_per_s.size() < 2) return;
      const double rate = trace_.temperature_rate_K_per_s.back();
      const double gap = threshold_K - solver_->max_temperature_K();
      if (rate > 0.0 && gap > 0.0 && t + gap / rate < piece_end) piece_end = std::min(piece_end, t + std::max(min_piece_s, 0.5 * gap / rate));
    };
    if (separator_onset_K_ && !short_onset_s_ && soc_ > 0.0) approach(*separator_onset_K_, 0.5);
    if (shutdown_on_ && shut_count_ == 0 && piece_current_A_ > 0.0 && soc_ > 0.0) approach(network_.separator_shutdown->onset_K, 0.05);
    // The short over this piece: current at the piece's middle, held constant.
    auto state = soc_ > 0.0 ? present_short(t) : std::nullopt;
    piece_conducting_share_ = conducting_share();
    if (state && shut_count_ > 0) state->sites.internal = conducting_weights();
    piece_current_A_ = 0.0;
    piece_power_ = {};
    if (state && (state->contact_ohm + state->conductor_ohm) < 1e300) {
      auto power_at = [&](double soc) {
        return short_circuit_power(inventory_.open_circuit_voltage(std::max(soc, 0.0)), internal_resistance_ohm(), state->contact_ohm,
                                   state->conductor_ohm);
      };
      const auto start = power_at(soc_);
      double dt = piece_end - t;
      if (start.current_A > 0.0) dt = std::min(dt, options_.max_soc_change_per_piece * Q / start.current_A);
      auto middle = power_at(soc_ - start.current_A * dt / (2.0 * Q));
      if (middle.current_A * dt > soc_ * Q) {  // the last piece drains the cell
        dt = soc_ * Q / middle.current_A;
      }
      piece_end = std::min(piece_end, t + dt);
      apply_source(middle, *state);
      piece_current_A_ = middle.current_A;
      piece_power_ = middle;
      solver_->restart_history();  // the source jumps here
    } else if (source_on_) {
      solver_->set_heat_source({});
      source_on_ = false;
      solver_->restart_history();
    }
    piece_start_s_ = t;
    piece_soc_ = soc_;
    stop_for_short_ = false;
    solver_->advance_to(piece_end);
    const double dt = solver_->time_s() - t;
    internal_J_ += piece_power_.internal_W * dt;
    contact_J_ += piece_power_.contact_W * dt;
    conductor_J_ += piece_power_.conductor_W * dt;
    soc_ = std::max(0.0, soc_ - piece_current_A_ * dt / Q);
    if (piece_current_A_ > 0.0 && soc_ < 1e-12) soc_ = 0.0;
  }
}

bool Abuse3dDriver::observe(const thermal::Conduction3d& s) {
  const auto T = s.temperature_K();
  for (std::size_t c = 0; c < T.size(); ++c) peak_K_[c] = std::max(peak_K_[c], T[c]);
  bool go_on = true;
  if (shutdown_on_) {
    const double onset = network_.separator_shutdown->onset_K;
    for (std::size_t c = 0; c < T.size(); ++c) {
      if (shut_[c] || T[c] < onset || chemistry_->jelly_roll_fraction(c) == 0.0) continue;
      shut_[c] = 1;
      ++shut_count_;
      if (!shutdown_s_) shutdown_s_ = s.time_s();
    }
    // A running short sees the higher resistance from the next piece on.
    if (piece_current_A_ > 0.0 && conducting_share() < 0.9 * piece_conducting_share_) go_on = false;
  }
  if (separator_onset_K_) {
    // Separators fail where a jelly-roll control volume reaches the onset; the first failure ends the
    // piece so that the short starts there.
    for (std::size_t c = 0; c < T.size(); ++c) {
      if (failed_[c] || T[c] < *separator_onset_K_ || chemistry_->jelly_roll_fraction(c) == 0.0) continue;
      failed_[c] = 1;
      ++failed_count_;
      if (!short_onset_s_) {
        short_onset_s_ = s.time_s();
        if (soc_ > 0.0) go_on = false;
      }
    }
    // The failed region grew by a tenth since the piece began: a new piece takes its lower resistance.
    if (piece_failed_share_ > 0.0 && soc_ > 0.0 && failed_share() > 1.1 * piece_failed_share_) go_on = false;
  }
  record(s.time_s());
  return go_on;
}

void Abuse3dDriver::record(double t) {
  const auto& s = *solver_;
  const double Q = inventory_.capacity_Ah * constants::seconds_per_hour;
  const double soc = std::max(0.0, piece_soc_ - piece_current_A_ * (t - piece_start_s_) / Q);
  const auto balance = s.energy_balance();
  const double whole = whole_cell_factor();
  const double hottest = s.max_temperature_K();
  trace_.time_s.push_back(t);
  trace_.temperature_K.push_back(hottest);
  trace_.surroundings_K.push_back(surroundings_ ? surroundings_(t) : s.min_temperature_K());
  trace_.voltage_V.push_back(inventory_.open_circuit_voltage(soc) - piece_current_A_ * internal_resistance_ohm());
  const std::size_t rows = trace_.time_s.size();
  const double dt = rows > 1 ? t - trace_.time_s[rows - 2] : 0.0;
  trace_.heat_rate_W.push_back(dt > 0.0 ? whole * (balance.reaction_heat_J - last_reaction_heat_J_) / dt : 0.0);
  trace_.temperature_rate_K_per_s.push_back(dt > 0.0 ? (hottest - trace_.temperature_K[rows - 2]) / dt : 0.0);
  last_reaction_heat_J_ = balance.reaction_heat_J;
  trace_.state_of_charge.push_back(soc);
  // Mean progress over the jelly roll and gas, from each reaction's booked heat: Q_k = H_k m_k <converted>.
  // A reaction without heat needs a pass over the control volumes.
  double gas = 0.0;
  const std::size_t nr = network_.reactions.size();
  for (std::size_t k = 0; k < nr; ++k) {
    const auto& r = network_.reactions[k];
    double converted = 0.0;
    const double full = r.heat_J_per_kg * chemistry_->reactant_kg(k);
    if (full != 0.0 && k < balance.reaction_heat_by_channel_J.size()) {
      converted = whole * balance.reaction_heat_by_channel_J[k] / full;
    } else {
      for (std::size_t c = 0; c < s.cell_count(); ++c)
        converted += s.control_volume_m3(c) * chemistry_->jelly_roll_fraction(c) * chemistry_->converted(k, s.chemistry_state(c));
      converted *= whole / chemistry_->jelly_roll_volume_m3();
    }
    // The mean state: initial value moved by the mean converted amount, read as the lumped model reads it.
    trace_.reaction_progress[k].push_back(progress(r, grows(r.law) ? r.initial_value + converted : r.initial_value - converted));
    const double mol = r.gas_mol_per_kg * chemistry_->reactant_kg(k) * std::max(converted, 0.0);
    gas_by_reaction_.resize(nr);
    gas_by_reaction_[k] = mol;
    gas += mol;
  }
  trace_.gas_mol.push_back(gas);
  mean_K_.push_back(s.mean_temperature_K());
  min_K_.push_back(s.min_temperature_K());
}

void Abuse3dDriver::finish(AbuseResult3d& result, const RunawayCriterion& criterion, double max_operating_temperature_K) const {
  const auto& s = *solver_;
  // The whole cell's heats (a half cylinder's times 2).
  auto balance = s.energy_balance();
  const double whole = whole_cell_factor();
  for (double& q : balance.heat_in_through_face_J) q *= whole;
  balance.source_heat_J *= whole;
  balance.reaction_heat_J *= whole;
  for (double& q : balance.reaction_heat_by_channel_J) q *= whole;
  balance.stored_energy_change_J *= whole;
  result.network = network_.name;
  result.trace = trace_;
  result.grid = s.grid();
  result.box = box_;
  result.mean_temperature_K = mean_K_;
  result.min_temperature_K = min_K_;
  result.final_temperature_K.assign(s.temperature_K().begin(), s.temperature_K().end());
  result.peak_temperature_K = peak_K_;
  result.statistics = s.statistics();
  result.short_onset_s = short_onset_s_;
  result.separator_shutdown_s = shutdown_s_;
  double exothermic_released = 0.0, exothermic_available = 0.0;
  bool lithium_burned = false, irreversible = balance.source_heat_J > 0.0;  // a short ran
  result.reaction_heat_kJ.clear();
  result.reaction_gas_mol.clear();
  double moved = 0.0;
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) {
    const auto& r = network_.reactions[k];
    const double q = k < balance.reaction_heat_by_channel_J.size() ? balance.reaction_heat_by_channel_J[k] : 0.0;
    result.reaction_heat_kJ.push_back({r.name, q / 1000.0});
    result.reaction_gas_mol.push_back({r.name, k < gas_by_reaction_.size() ? gas_by_reaction_[k] : 0.0});
    moved += std::abs(q);
    const bool ran = !trace_.reaction_progress[k].empty() && trace_.reaction_progress[k].back() > 0.01;
    if (r.heat_J_per_kg > 0.0) {
      exothermic_released += std::max(q, 0.0);
      exothermic_available += chemistry_->heat_available_J(k);
    }
    if (ran && r.heat_J_per_kg > 0.0) irreversible = true;
    if (ran && r.reactant == Reactant::lithium_metal && r.heat_J_per_kg > 0.0) lithium_burned = true;
  }
  result.electrical_heat_kJ = balance.source_heat_J / 1000.0;  // the short's Joule heat
  result.heat_from_surroundings_kJ = balance.heat_in_through_faces_J() / 1000.0;
  result.energy_balance_error_J = balance.imbalance_J();
  result.stored_energy_change_kJ = balance.stored_energy_change_J / 1000.0;
  bool touched = false;
  for (const auto& contact : contacts_) touched = touched || static_cast<bool>(contact);
  if (touched) result.heat_to_contact_bodies_kJ = -whole * balance.contact_heat_J / 1000.0;
  result.internal_joule_kJ = internal_J_ / 1000.0;
  result.contact_joule_kJ = contact_J_ / 1000.0;
  result.conductor_joule_kJ = conductor_J_ / 1000.0;
  moved += std::abs(balance.source_heat_J);
  for (double q : balance.heat_in_through_face_J) moved += std::abs(q);
  result.heat_moved_kJ = moved / 1000.0;
  HazardInputs hazard{network_.hazard.flammable_electrolyte, lithium_burned, irreversible, trace_.gas_mol.empty() ? 0.0 : trace_.gas_mol.back(),
                      network_.hazard.vent_gas_mol, exothermic_available > 0.0 ? exothermic_released / exothermic_available : 0.0};
  // The chemistry's own heating rate of the whole cell (reaction heat over the cell's heat capacity), so that the
  // Joule heat at a nail's contact, which heats the hottest control volume at thousands of C/s, does not set the
  // onset: the runaway starts when the reactions heat the cell at the criterion's rate.
  std::vector<double> chemical_rate(trace_.heat_rate_W.size());
  for (std::size_t k = 0; k < chemical_rate.size(); ++k) chemical_rate[k] = trace_.heat_rate_W[k] / inventory_.heat_capacity_J_per_K;
  result.verdict = judge(trace_.time_s, trace_.temperature_K, trace_.temperature_rate_K_per_s, trace_.voltage_V, max_operating_temperature_K,
                         criterion, hazard, chemical_rate);
}

}  // namespace detail

AbuseResult3d run_heating_test_3d(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network, const HeatingProcedure& procedure,
                                  const ThreeDOptions& options) {
  AbuseResult3d result;
  result.test = "heating";
  result.standard = procedure.standard;
  result.cell = inventory.cell_name;
  const double soc = options.initial_soc.value_or(procedure.initial_soc);
  const double T0 = procedure.ambient_K;
  const double ramp_s = (procedure.hold_temperature_K - T0) / procedure.ramp_K_per_s;
  const double hold_end_s = ramp_s + procedure.hold_s;
  const double end_s = hold_end_s + procedure.observation_s;
  detail::Abuse3dDriver driver(box, inventory, network, soc, T0, options);
  // The oven: ramp, hold, then the room for the observation (a jump: the solver restarts there).
  auto oven = [=](double t) {
    if (t <= ramp_s) return T0 + procedure.ramp_K_per_s * t;
    if (t <= hold_end_s) return procedure.hold_temperature_K;
    return procedure.ambient_K;
  };
  driver.set_surroundings(oven, procedure.convection_W_per_m2_K, procedure.emissivity);
  if (network.internal_short) driver.enable_separator_short(network.internal_short->onset_K, network.internal_short->resistance_ohm);
  driver.enable_separator_shutdown();
  try {
    driver.advance_to(hold_end_s, {ramp_s});
    driver.restart();
    if (procedure.observation_s > 0.0) driver.advance_to(end_s);
  } catch (const thermal::ConductionSolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, procedure.criterion, options.max_operating_temperature_K);
  return result;
}

AbuseResult3d run_heating_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const HeatingProcedure& procedure,
                                  const ThreeDOptions& options) {
  return run_heating_test_3d(thermal_body(cell, inventory), inventory, network, procedure, options);
}

}  // namespace solidcell::abuse
