#pragma once
// The qualify report: one self-contained HTML page (inline CSS and SVG, no scripts or links), with a
// section per capability: the design (energy density, mass and volume), performance (discharge curves and
// rate capability) and safety (abuse tests judged against the standards).
#include <optional>
#include <string>
#include <vector>

#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/sensitivity.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/report/production_section.hpp"
#include "solidcell/report/road_section.hpp"

namespace solidcell::report {

struct ReportMetadata {
  std::string version;
  std::string git_sha;
  std::string created_utc;  // ISO 8601
  std::string command;
};

// One constant-current discharge of the performance section.
struct RateResult {
  double c_rate = 0.0;
  double capacity_Ah = 0.0;
  double energy_Wh = 0.0;
  double max_temperature_C = 0.0;
  std::string ended_by;
  std::vector<double> capacity_curve_Ah;
  std::vector<double> voltage_curve_V;
};

// Where a cell runs away in a constant oven, at one state of charge (abuse/oven_threshold.hpp).
struct OvenThresholdRow {
  double soc = 1.0;
  std::optional<double> threshold_C;  // none: no runaway up to the top of the search
  bool runs_away_at_low = false;      // already at the bottom of the search
};

struct ReportCell {
  cell::Cell cell;
  cell::DesignFigures figures;
  std::string origin;      // file path the cell came from
  std::string input_hash;  // fingerprint of that file
  std::vector<RateResult> rates;  // performance section (DFN discharges); empty if not run
  std::string performance_error;  // why the performance runs failed, if they did
  std::vector<abuse::AbuseResult> safety;  // safety section (abuse tests: the matrix); empty if not run
  std::vector<OvenThresholdRow> oven_thresholds;  // the runaway threshold against the state of charge
  std::vector<abuse::SensitivityStudy> sensitivities;  // which inputs decide each test's verdict
  std::string safety_error;                // why they could not run, if they could not
};

// The claim the all-solid-state industry announces, which the report checks the design against.
struct AnnouncedClaim {
  double specific_energy_Wh_per_kg = 350.0;
  double energy_density_Wh_per_L = 800.0;
  double gain_over_liquid = 0.40;
  std::string source =
      "Gotion 'Gemstone' all-solid-state cell announcements, May 2024 and May 2025 (see shared notes assb-physics.md)";
};

// `production` adds section 4 (production_section.hpp) after the safety section when it is not empty, and
// `road` section 5 (road_section.hpp) after it.
std::string render_qualify_report(const std::vector<ReportCell>& subjects, const ReportCell& baseline,
                                  const AnnouncedClaim& claim, const ReportMetadata& meta, const ProductionReport& production = {},
                                  const RoadReport& road = {});

}  // namespace solidcell::report
