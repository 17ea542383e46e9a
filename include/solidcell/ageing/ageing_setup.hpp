#pragma once
// An AgeingCell from a cell as users describe it (what `solidcell age`, the Python package and the year study
// ask for): the degradation it has is chosen from its file: SEI growth for a liquid cell with [negative.sei],
// the solid-state fade for one with [degradation]. Bad settings are InputErrors naming the field.
#include <memory>
#include <optional>
#include <string>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/cell/cell.hpp"

namespace solidcell::ageing {

struct AgeingSetup {
  std::string sei = "reaction limited";  // or "solvent-diffusion limited" (liquid cells); "none" with plating on
  std::string plating = "none";          // lithium plating: "irreversible", "reversible", "partially reversible"
  std::string lam = "none";              // loss of active material: "stress-driven", "reaction-driven", "stress and reaction-driven"
  int mesh = 10;                          // finite volumes per region and per particle
  double initial_soc = 1.0;
  double ambient_temperature_K = 298.15;
  double relative_tolerance = 1e-6;
  numerics::IntegratorKind integrator = numerics::IntegratorKind::ida;
  bool thermal = false;                    // the cell's lumped thermal model; false: isothermal at the ambient
  std::optional<double> stack_pressure_Pa; // solid-state cells: replaces the [degradation] table's
  std::string field_prefix = "--";         // how errors name the settings: "--sei" (CLI) or "sei" (Python)
};

// Throws InputError for a setting out of range, an unknown growth law, or a cell without degradation tables.
std::unique_ptr<AgeingCell> make_ageing_cell(const cell::Cell& cell, const std::string& origin, const AgeingSetup& setup);

// "SEI (reaction limited)", "SEI (reaction limited), lithium plating (irreversible)", "lithium plating (reversible)" or
// "solid-state fade": what degrades the cell built by make_ageing_cell.
std::string degradation_description(const AgeingCell& cell);

}  // namespace solidcell::ageing
