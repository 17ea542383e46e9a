#pragma once
// The production part of `solidcell qualify`: both built-in lines for one operating year and a small
// variability study of a solid-state cell and the liquid baseline, kept to a few seconds in all.
#include <string>

#include "solidcell/cell/cell.hpp"
#include "solidcell/report/production_section.hpp"

namespace solidcell::cli {

report::ProductionReport qualify_production(const cell::Cell& subject, const std::string& subject_origin, const cell::Cell& baseline,
                                            const std::string& baseline_origin);

// A few lines for the terminal: output, bottleneck, cost per line; spread and yield per cell.
std::string production_text(const report::ProductionReport& p);

}  // namespace solidcell::cli
