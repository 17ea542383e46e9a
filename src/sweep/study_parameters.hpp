#pragma once
// Helpers the study kinds share (private to src/sweep).
#include <memory>
#include <string>

#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"

namespace solidcell::sweep {

// "allowed: ..." for a parameter `name` that is not a numeric key of the cell file: the keys of the table the
// name points into first, then others.
std::string cell_path_allowed(const CellTemplate& cell, const std::string& what, const std::string& name);

std::unique_ptr<Study> make_design_study(const SweepSpec& spec);
std::unique_ptr<Study> make_experiment_study(const SweepSpec& spec);
std::unique_ptr<Study> make_abuse_study(const SweepSpec& spec);
std::unique_ptr<Study> make_ageing_study(const SweepSpec& spec);
std::unique_ptr<Study> make_vehicle_study(const SweepSpec& spec);

}  // namespace solidcell::sweep
