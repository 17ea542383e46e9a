#pragma once
// Design figures as JSON: what `solidcell design --json` prints and the report embeds.
#include <nlohmann/json.hpp>

#include "solidcell/cell/design.hpp"

namespace solidcell::report {

nlohmann::json design_to_json(const cell::DesignFigures& figures);

}  // namespace solidcell::report
