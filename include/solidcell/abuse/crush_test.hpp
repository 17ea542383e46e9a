#pragma once
// The crush test of a standard on a lumped cell: a rigid indenter (GB 38031-2025 8.1.7: R75 mm semi-cylinder,
// <= 2 mm/s, perpendicular to the plates) presses into the stack (crush_mechanics.hpp) until the first stop
// criterion (voltage, deformation, force), holds, is withdrawn, and the cell is observed. Once the failing layer
// (separator, solid electrolyte) fails under the indenter, the failed area shorts the cell through
// ElectricalLoad::internal_short_ohm; the damage stays after the withdrawal. Heat, runaway chemistry and the
// verdict as in the other abuse tests (runaway_driver.hpp). run_crush_test_3d runs the same crush on a pouch
// cell resolved in 3D (abuse_3d.hpp): the short's heat where the stack failed, the indenter and the base as
// steel bodies in contact with the cell's faces.
#include <optional>
#include <string>

#include "solidcell/abuse/abuse_3d.hpp"
#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/crush_mechanics.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"

namespace solidcell::abuse {

struct CrushProcedure {
  std::string standard;
  std::string title;
  Indenter indenter;                          // GB 38031: semi-cylinder, R = 75 mm
  double speed_m_per_s = 0.002;
  double stop_voltage_V = 0.0;                // stop when the terminal voltage falls to it
  double stop_deformation_fraction = 0.15;    // of the cell's thickness
  double stop_force_N = 1e5;
  double stop_force_per_cell_weight = 1000.0;  // stop also at this many times the cell's weight (0: none)
  double hold_s = 600.0;                      // at the stop displacement
  double observation_s = 3600.0;              // after the withdrawal
  double ambient_K = 295.15;
  double initial_soc = 1.0;
  double convection_W_per_m2_K = 10.0;
  double emissivity = 0.8;
  RunawayCriterion criterion;
  std::string source;
  // The indenter and the base as bodies in contact ([crush.contact]; the 3D test): each a semi-infinite solid
  // at the ambient temperature, of effusivity e = sqrt(k rho c_p), behind a contact conductance h_c, so the
  // conductance per area t seconds after the contact began is 1 / (1 / h_c + sqrt(pi t) / e).
  std::string contact_body_material;
  double contact_body_effusivity_W_s05_per_m2_K = 0.0;
  double contact_conductance_W_per_m2_K = 0.0;
  double contact_conductance_at(double seconds_in_contact) const;
};

// Where the crush stops and whether the stack fails before: the mechanical stop (deformation or force, both
// displacements known before the run), the onset of the failing layer, and the words for the report. The
// voltage stop is watched while the test runs.
struct CrushPlan {
  double stop_indentation_m = 0.0;
  std::string stopped_by;
  std::optional<double> onset_indentation_m;  // of the failing layer, if it fails before the stop
  double force_limit_N = 0.0;
};
CrushPlan plan_crush(const CrushMechanics& mechanics, const CellInventory& inventory, const CrushProcedure& procedure);
// The indenter's displacement and force at every row of a crush's trace (pressing until t_crush_end, holding,
// withdrawn), and the reason's line saying where and why it stopped.
std::string record_indenter(AbuseTrace& trace, const CrushMechanics& mechanics, const CrushProcedure& procedure, double t_crush_end,
                            const std::string& stopped_by);

// data/standards/<name>.toml [crush] (or a path); throws InputError naming file, line, field, value and range.
CrushProcedure load_crush_procedure(const std::string& standard_name_or_path);

// test = "crush", with the cell's built-in stack mechanics (default_mechanics_name) or the given one. The trace
// carries force_N and displacement_m; short_onset_s is when the failing layer failed. The reasons say which
// criterion stopped the crush.
AbuseResult run_crush_test(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                           const AbuseOptions& options = {});
AbuseResult run_crush_test(const CrushMechanics& mechanics, const CellInventory& inventory, const ReactionNetwork& network,
                           const CrushProcedure& procedure, const AbuseOptions& options = {});

// The crush in 3D (abuse_3d.hpp). A pouch: the box of the cell's stack, the indenter's axis along the
// electrode width at mid-length of the top face (z = H), the cell lying on the base (z = 0). A cylindrical
// cell: the half cylinder, crushed across its diameter in the plane of symmetry at mid-height (the indenter
// at theta = 0, the base at theta = pi). The failed region of the mechanics (crush_mechanics.hpp: the strip
// |s - s0| < x_f(d) across the indenter's axis, through the stack; for a cylinder within the band
// |r sin(theta)| < pi D / 8 of its block) shorts every unit cell it crosses; the short's heat I^2 R_short goes
// into it in proportion to its jelly roll, I^2 R_int over the jelly roll. The indenter touches the top face
// where it is pressed in (|x - L/2| < a(d)) until its withdrawal, the base a pouch's whole bottom face
// throughout (a cylinder's outside where it is flattened, either side); both conduct heat away
// (CrushProcedure::contact_conductance_at). A separator failure of the network adds its short in parallel.
AbuseResult3d run_crush_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                                const ThreeDOptions& options = {});
AbuseResult3d run_crush_test_3d(const PouchBox& box, const CrushMechanics& mechanics, const CellInventory& inventory, const ReactionNetwork& network,
                                const CrushProcedure& procedure, const ThreeDOptions& options = {});

}  // namespace solidcell::abuse
