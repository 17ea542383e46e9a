#pragma once
// A traction battery pack: N_s cells in series, N_p in parallel, and the packaging around them, either as
// cell-to-pack ratios (the share of the pack's mass and volume that is cell) or as explicit components
// (housing, busbars, BMS, cooling). Its figures are pure functions of the pack and its cell's design figures.
// Files: data/packs/*.toml (docs/vehicle.md).
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::vehicle {

struct PackComponent {
  std::string name;
  double mass_kg = 0.0;
  double volume_m3 = 0.0;
};

enum class Packaging { cell_to_pack_ratios, components };

struct Pack {
  std::string name;
  std::string description;
  std::string file;
  std::string cell;  // the cell it holds: a built-in name or a file
  int series = 1;
  int parallel = 1;
  double soc_min = 0.0;  // the window the battery management system allows
  double soc_max = 1.0;
  Packaging packaging = Packaging::cell_to_pack_ratios;
  double gravimetric_efficiency = 1.0;  // cell mass / pack mass
  double volumetric_efficiency = 1.0;   // cell volume / pack volume
  std::vector<PackComponent> components;
};

struct PackFigures {
  int cells = 0;
  double cells_mass_kg = 0.0;
  double cells_volume_m3 = 0.0;
  double mass_kg = 0.0;
  double volume_m3 = 0.0;
  double capacity_Ah = 0.0;  // N_p x cell capacity
  double energy_Wh = 0.0;    // N_s N_p x cell energy
  double usable_energy_Wh = 0.0;  // energy x (soc_max - soc_min), the nominal estimate
  double specific_energy_Wh_per_kg = 0.0;
  double energy_density_Wh_per_L = 0.0;
  double nominal_voltage_V = 0.0;  // N_s x the cell's
  double voltage_min_V = 0.0;      // N_s x the cell's limits
  double voltage_max_V = 0.0;
};

// The figures of a pack of `cell`, whose design figures are `cell_figures` (its voltage limits come from `cell`).
PackFigures pack_figures(const Pack& pack, const cell::Cell& cell, const cell::DesignFigures& cell_figures);

// A built-in name (data/packs/<name>.toml) or a file.
Pack load_pack(const std::string& name_or_path);
Pack read_pack_toml(const std::string& text, const std::string& source);

enum class PackMatch { volume, mass };
PackMatch parse_pack_match(const std::string& text);  // "volume" or "mass"; InputError (field "--match") otherwise
const char* to_string(PackMatch match);

// A pack of `cell` with the reference's packaging and SOC window that fits the reference pack's volume or mass:
// the most cells (series x parallel) whose nominal voltage lies within +-10 % of the reference's, so the new
// pack never exceeds the reference in the matched quantity. Throws InputError when not even one
// parallel string fits.
Pack size_pack_to_match(const Pack& reference, const PackFigures& reference_figures, const std::string& cell_name, const cell::Cell& cell,
                        const cell::DesignFigures& cell_figures, PackMatch match);

}  // namespace solidcell::vehicle
