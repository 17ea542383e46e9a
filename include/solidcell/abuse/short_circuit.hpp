#pragma once
// Short circuits as an OCV-R circuit, self-contained so that any abuse model (nail, crush, external or
// internal short, lumped or 3D) can use them:
//   I = U_ocv(SOC) / (R_int + R_short),   heat I^2 R per resistance,   dSOC/dt = -I / Q.
// R_int's heat is the cell's own (spread over the jelly roll); R_short's heat is where the short is.
#include <limits>

namespace solidcell::abuse {

struct ShortCircuitPower {
  double current_A = 0.0;
  double internal_W = 0.0;   // I^2 R_int
  double contact_W = 0.0;    // I^2 R_contact
  double conductor_W = 0.0;  // I^2 R_conductor (nail, external load)
  double total_W() const { return internal_W + contact_W + conductor_W; }  // = U_ocv I
};

// One short path: a contact resistance and a conductor in series with the cell's internal resistance.
// An infinite path resistance (no short) gives zero current.
ShortCircuitPower short_circuit_power(double open_circuit_V, double internal_resistance_ohm, double contact_resistance_ohm,
                                      double conductor_resistance_ohm);

// A nail's short: every unit cell (cathode-separator-anode pair) the tip has crossed adds a branch of one
// contact resistance (nail to the pair's coatings and foils) in series with the nail across one unit cell
// (resistivity x unit-cell thickness / cross-section); all branches are in parallel between the cell's
// terminals, so R_short = (R_contact + R_nail) / pairs.
struct NailShortPath {
  double contact_resistance_per_pair_ohm = 0.0;
  double nail_resistance_per_pair_ohm = 0.0;
  int pairs = 0;  // unit cells crossed

  double contact_resistance_ohm() const { return pairs > 0 ? contact_resistance_per_pair_ohm / pairs : std::numeric_limits<double>::infinity(); }
  double nail_resistance_ohm() const { return pairs > 0 ? nail_resistance_per_pair_ohm / pairs : std::numeric_limits<double>::infinity(); }
  double resistance_ohm() const { return pairs > 0 ? (contact_resistance_per_pair_ohm + nail_resistance_per_pair_ohm) / pairs : std::numeric_limits<double>::infinity(); }
  ShortCircuitPower power(double open_circuit_V, double internal_resistance_ohm) const;
};

// Unit cells crossed by a tip at `depth_m` into a stack of `unit_cells` of `unit_cell_thickness_m`: a pair
// counts once the tip has passed its middle (its separator), (k - 1/2) t_unit for the k-th.
int unit_cells_crossed(double depth_m, double unit_cell_thickness_m, int unit_cells);
// When the tip, entering at t = 0 and moving at `speed_m_per_s`, crosses the k-th unit cell (k from 1).
double crossing_time_s(int k, double unit_cell_thickness_m, double speed_m_per_s);

}  // namespace solidcell::abuse
