#pragma once
// The qualify report's road section (section 5): packs of the same volume for the solid-state cell(s) and the
// liquid baseline in the reference car, their consumption and range on NEDC (and the user's cycle files), and a
// year of daily driving's capacity fade side by side. The caller runs the studies (apps/solidcell/road_report.cpp);
// this only renders them.
#include <optional>
#include <string>
#include <vector>

#include "solidcell/vehicle/pack.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

namespace solidcell::report {

struct RoadCycleResult {
  std::string cycle, source;
  double distance_km = 0.0;
  double consumption_kWh_per_100km = 0.0;
  double range_km = 0.0;
  std::string range_method;  // how the range was found, in words
  std::string error;         // why the drive could not be run, if it could not
};

struct RoadCellResult {
  std::string cell_name;
  bool baseline = false;
  vehicle::Pack pack;
  vehicle::PackFigures figures;
  double vehicle_mass_kg = 0.0;
  std::string model;  // the cell model the drives ran
  std::vector<RoadCycleResult> cycles;
  std::optional<vehicle::YearResult> year;
  std::string error;       // why the pack could not be sized, if it could not
  std::string year_error;  // why the year could not be run, if it could not
};

struct RoadReport {
  std::string vehicle_name, vehicle_source;
  std::string reference_pack;  // the pack whose volume every pack keeps
  std::string year_setup;      // the year's day, charge and climate, in words
  std::vector<RoadCellResult> cells;
  bool empty() const { return cells.empty(); }
};

// "<h2 id="road">5. Road ...</h2>" and what follows; empty for an empty report.
std::string road_section(const RoadReport& report);

}  // namespace solidcell::report
