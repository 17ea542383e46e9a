#pragma once
// Nail penetration in 3D (GB/T 31485-2015 6.2.8 style: a steel nail of 5-8 mm at 25 mm/s, perpendicular
// through the stack, left in, observed for 1 h). The nail is a column of control volumes with the nail
// material's conductivity and heat capacity (mixed by the share of each control volume it fills); its tip
// enters the top face (z = L_z) at t = 0 and every unit cell it crosses adds a short branch
// (short_circuit.hpp: NailShortPath). The short current I = U_ocv(SOC) / (R_int + R_short(t)) drains the
// cell (dSOC/dt = -I/Q) and heats: I^2 R_contact in the control volumes at the nail's surface along the
// shorted depth, I^2 R_nail in the nail there, I^2 R_int spread over the jelly roll. The runaway network
// runs in every control volume meanwhile.
// A cylindrical cell (cylinder_box): the nail runs across the can at the height position_x_fraction H, along
// a chord offset from the axis by (position_y_fraction - 1/2) D, entering the can at t = 0: through the can,
// the near side's jelly roll, the mandrel's hole if the chord passes it, and the far side's roll
// (depth_fraction of the chord); each unit cell crossed on either side adds a branch. Through the axis (0.5,
// the standard's) the half cylinder is solved, its plane of symmetry holding the nail; off the axis the
// whole cylinder, with ThreeDOptions::ny doubled (docs/thermal-3d.md).
#include <optional>
#include <string>

#include "solidcell/abuse/abuse_3d.hpp"

namespace solidcell::abuse {

struct NailProcedure {
  std::string standard;
  std::string title;
  double diameter_m = 0.005;
  double speed_m_per_s = 0.025;
  double observation_s = 3600.0;       // from the first contact
  double ambient_K = 295.15;
  double initial_soc = 1.0;
  double contact_resistance_ohm = 0.2;  // per shorted unit cell (layer pair)
  double position_x_fraction = 0.5;     // nail axis, as a fraction of the electrode length and width (cylindrical:
  double position_y_fraction = 0.5;     // the height, and the offset across the diameter, 0.5 through the axis)
  double depth_fraction = 1.0;          // of the stack; 1: through it
  double convection_W_per_m2_K = 10.0;  // the test room around the cell
  double emissivity = 0.8;
  // The nail's material (data/materials), resolved when loaded.
  std::string nail_material = "stainless_steel";
  double nail_conductivity_W_per_m_K = 14.9;
  double nail_heat_capacity_J_per_m3_K = 7900.0 * 477.0;
  double nail_resistivity_ohm_m = 7.2e-7;
  RunawayCriterion criterion;
  std::string source;
};

// data/standards/<name>.toml [nail] (and its [runaway_criterion]), the nail material from data/materials.
// Throws InputError naming file, line and field.
NailProcedure load_nail_procedure(const std::string& standard_name_or_path);

// Changes to a loaded procedure (a CLI's options, a sweep); every field optional.
struct NailOverrides {
  std::optional<double> diameter_m, speed_m_per_s, observation_s, ambient_K, initial_soc, contact_resistance_ohm, position_x_fraction,
      position_y_fraction, depth_fraction, convection_W_per_m2_K, emissivity;
  std::optional<std::string> nail_material;  // looked up in data/materials
};
// Throws InputError (field "nail.<name>") for a value out of range.
NailProcedure with_overrides(NailProcedure procedure, const NailOverrides& overrides);

AbuseResult3d run_nail_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const NailProcedure& procedure,
                               const ThreeDOptions& options = {});
AbuseResult3d run_nail_test_3d(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network, const NailProcedure& procedure,
                               const ThreeDOptions& options = {});

}  // namespace solidcell::abuse
