#pragma once
// Internal to the abuse module: integrates a 3D abuse test (oven, nail) piece by piece. A piece ends at
// every switch (a nail crossing a unit cell, the oven's drop to room temperature, a separator failing);
// while a short drains the cell, pieces are short enough that the current may be held constant over each
// (taken at the middle of the piece), so the Joule heat is a piecewise-constant source that the solver,
// restarted at every piece, integrates exactly: the heat booked equals U I dt of the circuit.
#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/network_chemistry.hpp"
#include "solidcell/abuse/short_circuit.hpp"

namespace solidcell::abuse::detail {

// Length of the overlap of [a0, a1] with [b0, b1] (0 when apart): how much of a control volume a nail, a
// failed strip or an indenter covers.
inline double overlap(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

// Where the heat of each resistance of a short goes: weights per control volume, each summing to 1.
struct ShortHeatSites {
  std::vector<double> internal;   // I^2 R_int
  std::vector<double> contact;    // I^2 R_contact
  std::vector<double> conductor;  // I^2 R_conductor
};

// The short as the driver sees it for the next piece: resistances and where their heat goes.
struct ShortState {
  double contact_ohm = 0.0;
  double conductor_ohm = 0.0;
  ShortHeatSites sites;
};

// Per control volume: the share that is jelly roll, conductivities along the grid's axes (box: x, y in
// plane, z through; cylinder: r through, theta and z in plane) and heat capacity per volume.
struct BodyProperties {
  std::vector<double> jelly_roll_fraction, k_x, k_y, k_z, heat_capacity;
};

// The body's own properties: the box's uniform stack; a cylinder's jelly roll with the can's wall mixed
// into the outermost ring by its volume share (conductivities: r in series, theta and z in parallel).
BodyProperties body_properties(const PouchBox& box, const thermal::Conduction3dGrid& grid);

class Abuse3dDriver {
 public:
  // Empty properties: body_properties(box, grid).
  Abuse3dDriver(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network, double initial_soc, double initial_temperature_K,
                const ThreeDOptions& options, BodyProperties properties = {});

  thermal::Conduction3d& solver() { return *solver_; }
  const thermal::Conduction3dGrid& grid() const { return solver_->grid(); }
  double state_of_charge() const { return soc_; }
  double time_s() const { return solver_->time_s(); }
  // The terminal voltage at the last recorded step: U_ocv(SOC) - I R_int of the present piece's current.
  double terminal_voltage_V() const { return trace_.voltage_V.empty() ? 0.0 : trace_.voltage_V.back(); }

  // Every face by convection and radiation to T_inf(t) (a cylinder: its outside; the mandrel's hole and
  // the half cylinder's plane of symmetry are adiabatic).
  void set_surroundings(std::function<double(double)> temperature_K, double convection_W_per_m2_K, double emissivity);
  // A body pressed on part of a face (thermal::FaceCondition::Contact per control volume and time); the rest
  // of the face keeps the surroundings. Its heat is reported as AbuseResult::heat_to_contact_bodies_kJ.
  void set_contact(thermal::BoxFace face, std::function<thermal::FaceCondition::Contact(double, std::size_t)> contact);
  // The short for the pieces to come (nothing: no short). The driver asks `update` at every piece start
  // for the present short; a change restarts the solver's formula. With a separator short enabled as well,
  // a provided short without a conductor (crush) conducts in parallel with it (a nail's does not: its
  // contact and conductor are in series and the separator short is left out).
  void set_short_provider(std::function<std::optional<ShortState>(double t)> provider) { short_provider_ = std::move(provider); }
  // A separator failure at `onset_K` starts the network's short: the failed control volumes take I^2 R_short.
  void enable_separator_short(double onset_K, double resistance_ohm);
  std::optional<double> short_onset_s() const { return short_onset_s_; }
  // The network's separator shutdown (if it has one), control volume by control volume (see below). The oven
  // and the crush take it with the meltdown short; the nail does not (docs/abuse.md).
  void enable_separator_shutdown() { shutdown_on_ = network_.separator_shutdown.has_value(); }

  // Integrates to t_end; a piece also ends at `breaks` (times where something switches). A discontinuity
  // of the surroundings at t_end: call restart() afterwards.
  void advance_to(double t_end, const std::vector<double>& breaks = {});
  void restart() { solver_->restart_history(); }

  void finish(AbuseResult3d& result, const RunawayCriterion& criterion, double max_operating_temperature_K) const;

  // Uniform jelly-roll weights (volume x jelly-roll fraction, normalised), for I^2 R_int.
  std::vector<double> jelly_roll_weights() const;
  double jelly_roll_fraction(std::size_t c) const { return chemistry_->jelly_roll_fraction(c); }
  // Whole cell per modelled part (2 for a half cylinder): the factor from the grid's heats to the cell's.
  double whole_cell_factor() const { return 1.0 / box_.modelled_share(); }

 private:
  bool observe(const thermal::Conduction3d& s);
  void record(double t);
  void apply_source(const ShortCircuitPower& p, const ShortState& state);
  std::optional<ShortState> present_short(double t);

  const CellInventory& inventory_;
  const ReactionNetwork& network_;
  ThreeDOptions options_;
  PouchBox box_;
  std::unique_ptr<thermal::Conduction3d> solver_;
  std::shared_ptr<NetworkChemistry> chemistry_;
  std::function<double(double)> surroundings_;
  double convection_W_per_m2_K_ = 0.0, emissivity_ = 0.0;
  std::array<std::function<thermal::FaceCondition::Contact(double, std::size_t)>, thermal::box_face_count> contacts_;
  void apply_faces();
  std::optional<ShortState> separator_short();
  std::function<std::optional<ShortState>(double t)> short_provider_;

  // The circuit.
  double soc_ = 1.0;
  double piece_start_s_ = 0.0, piece_soc_ = 1.0, piece_current_A_ = 0.0;
  bool source_on_ = false;
  std::vector<double> source_W_per_m3_;
  ShortCircuitPower piece_power_;
  double internal_J_ = 0.0, contact_J_ = 0.0, conductor_J_ = 0.0;

  // The network's separator shutdown, control volume by control volume: where the jelly roll passes the
  // shutdown temperature its ionic conductance falls by the network's factor, so the cell's internal
  // resistance is R_int over the conducting share (open 1, shut 1 / factor), and I^2 R_int goes where the
  // ions still flow. Held per piece; a piece ends when that share has fallen by a tenth.
  bool shutdown_on_ = false;
  std::vector<char> shut_;
  std::size_t shut_count_ = 0;
  std::optional<double> shutdown_s_;
  double piece_conducting_share_ = 1.0;
  double conducting_share() const;
  std::vector<double> conducting_weights() const;
  double internal_resistance_ohm() const { return inventory_.internal_resistance_ohm / piece_conducting_share_; }

  // The network's separator short.
  std::optional<double> separator_onset_K_;
  double separator_resistance_ohm_ = 0.0;
  std::vector<char> failed_;
  std::size_t failed_count_ = 0;
  double piece_failed_share_ = 0.0;  // of the jelly roll, when the present piece's short was set
  double failed_share() const;
  std::optional<double> short_onset_s_;
  bool stop_for_short_ = false;

  // The trace.
  AbuseTrace trace_;
  std::vector<double> mean_K_, min_K_, peak_K_;
  double last_reaction_heat_J_ = 0.0;
  std::vector<double> gas_by_reaction_;  // mol released by each reaction, at the last trace row
};

}  // namespace solidcell::abuse::detail
