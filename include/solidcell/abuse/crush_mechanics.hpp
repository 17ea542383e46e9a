#pragma once
// The mechanics of a crush test, lumped: the cell's stack is a column of layers in series (cathode coating,
// separator or solid electrolyte, anode coating or lithium metal, half of each collector) pressed through its
// thickness by a rigid indenter against a rigid base. Each layer follows a power law sigma = K eps^n (n = 1:
// linear elastic), so the stack strain under a stress is eps(sigma) = sum_i f_i (sigma / K_i)^(1/n_i) with f_i
// the layers' thickness fractions; every column of the stack carries the stress of its own strain.
// Semi-cylinder of radius R (axis along the stack's width W), indentation d:
//   eps(x) = (d - (R - sqrt(R^2 - x^2))) / H  for |x| < a = min(sqrt(2 R d - d^2), L/2),
//   F(d) = 2 W int_0^a sigma(eps(x)) dx;   flat plate: F = W L sigma(d / H).
// A layer with a failure strain (polyolefin separator, solid electrolyte) fails where its own strain passes it;
// the short grows with the failed area, summed over the unit cells the column crosses (H / unit thickness):
//   R_short = rho_contact / (H / t_unit * A_failed).
// Data: data/mechanics/<name>.toml (schema in data/mechanics/README.md).
#include <optional>
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"

namespace solidcell::abuse {

struct LayerLaw {
  std::string role;  // positive, negative, lithium_metal, separator, positive_collector, negative_collector
  double stiffness_Pa = 0.0;  // K of sigma = K eps^n
  double exponent = 1.0;      // n >= 1
  std::optional<double> failure_strain;  // through-thickness compressive strain at which the layer fails
  std::string source;
};

struct StackMechanics {
  std::string name;
  std::string description;
  std::string chemistry;
  std::string source;
  std::string file;
  std::vector<LayerLaw> layers;
  std::optional<double> contact_resistance_ohm_m2;  // of the failed area; else from the cathode coating
};

// A built-in name (data/mechanics/<name>.toml) or a path; throws InputError naming file, line and field.
StackMechanics load_stack_mechanics(const std::string& name_or_path);
// "liquid-stack" for liquid cells, "sulfide-assb-stack" for solid-state cells.
std::string default_mechanics_name(const std::string& chemistry);

struct CrushLayer {
  LayerLaw law;
  double thickness_fraction = 0.0;
};

struct StackGeometry {
  double stack_thickness_m = 0.0;      // H: the compressed column
  double cell_thickness_m = 0.0;       // what the standard's deformation refers to (stack plus housing)
  double width_m = 0.0;                // W: along the indenter's axis
  double length_m = 0.0;               // L: across it
  double unit_cell_thickness_m = 0.0;  // one cathode | separator | anode repeat with half of each collector
  double contact_resistance_ohm_m2 = 0.0;
};

enum class IndenterKind { semi_cylinder, flat_plate };
struct Indenter {
  IndenterKind kind = IndenterKind::semi_cylinder;
  double radius_m = 0.075;
};

class CrushMechanics {
 public:
  CrushMechanics(StackGeometry geometry, std::vector<CrushLayer> layers);

  double stack_strain(double stress_Pa) const;
  double stress_Pa(double stack_strain) const;  // the inverse, by safeguarded Newton
  double layer_strain(std::size_t layer, double stress_Pa) const;
  double energy_density_J_per_m3(double stress_Pa) const;  // int sigma d(eps_stack) up to this stress

  double force_N(double d, const Indenter& indenter) const;
  double strain_energy_J(double d, const Indenter& indenter) const;  // stored in the stack at indentation d
  // The indentation at which the force reaches F (bisection), or nothing below 0.99 H.
  std::optional<double> indentation_at_force(double force_N, const Indenter& indenter) const;
  // The indentation at which the first layer with a failure strain fails under the indenter's centre, and which.
  std::optional<double> onset_indentation_m() const;
  std::optional<std::size_t> failing_layer() const;
  // Failed area summed over the unit cells, and the short's resistance (infinite before the onset).
  double failed_area_m2(double d, const Indenter& indenter) const;
  double short_resistance_ohm(double d, const Indenter& indenter) const;
  // Half the width (across the indenter's axis) of the indenter's contact at indentation d, and of the
  // failed columns (0 before the onset).
  double half_contact_m(double d, const Indenter& indenter) const;
  double failed_half_width_m(double d, const Indenter& indenter) const;

  const StackGeometry& geometry() const { return geometry_; }
  const std::vector<CrushLayer>& layers() const { return layers_; }

 private:
  StackGeometry geometry_;
  std::vector<CrushLayer> layers_;
};

// The column of a pouch cell (indenter axis along the electrode width) or of a cylindrical cell's jelly roll
// taken as a block of the same cross-section (thickness D, width pi D / 4, length the coated height); throws
// InputError for other formats or when the data lacks a layer the cell has.
CrushMechanics crush_mechanics(const cell::Cell& cell, const StackMechanics& mechanics, const std::string& file = "");

}  // namespace solidcell::abuse
