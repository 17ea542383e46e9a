#pragma once
// Builds a model by name ("spm", "spme", "dfn"): the one place the CLI, the tests and the benchmarks
// turn a user's choice into a discretised model.
#include <memory>
#include <string>
#include <vector>

#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/electrochem/dfn_model.hpp"

namespace solidcell::electrochem {

std::vector<std::string> model_names();
// Throws InputError (field "model") for an unknown name or a model that does not fit the cell.
std::unique_ptr<BatteryModel> make_model(const std::string& name, const CellParameters& parameters, const Mesh& mesh = {});

}  // namespace solidcell::electrochem
