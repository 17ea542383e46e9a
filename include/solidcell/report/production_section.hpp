#pragma once
// The qualify report's production section: each pilot line's output, bottleneck, OEE per station, cost breakdown
// and cost tornado, side by side, and the cell-to-cell distributions of the variability study with their yields.
// The caller runs the studies (command_qualify.cpp); this only renders them.
#include <string>
#include <vector>

#include "solidcell/production/cost_model.hpp"
#include "solidcell/production/line.hpp"
#include "solidcell/production/line_simulation.hpp"
#include "solidcell/production/variability.hpp"

namespace solidcell::report {

struct ProductionLineResult {
  std::string name;   // the line as the user named it (shown when it failed to load)
  production::Line line;
  production::SimulationResult simulation;
  production::CostBreakdown cost;
  std::vector<production::TornadoRow> tornado;
  std::string error;  // why the line could not be run, if it could not
};

struct ProductionVariabilityResult {
  std::string cell_name;
  production::VariabilityResult result;
  std::string error;
};

struct ProductionReport {
  std::vector<ProductionLineResult> lines;              // e.g. the sulfide pilot line beside the liquid line
  std::vector<ProductionVariabilityResult> variability;  // e.g. the solid-state cell beside the liquid cell
  bool empty() const { return lines.empty() && variability.empty(); }
};

// "<h2>4. Production ...</h2>" and what follows; empty for an empty report.
std::string production_section(const ProductionReport& report);

}  // namespace solidcell::report
