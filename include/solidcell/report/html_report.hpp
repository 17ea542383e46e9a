#pragma once
// The qualify report: one self-contained HTML page (inline CSS and SVG, no scripts or links), with a
// section per capability. This section is the design: energy density, mass and volume.
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::report {

struct ReportMetadata {
  std::string version;
  std::string git_sha;
  std::string created_utc;  // ISO 8601
  std::string command;
};

struct ReportCell {
  cell::Cell cell;
  cell::DesignFigures figures;
  std::string origin;      // file path the cell came from
  std::string input_hash;  // fingerprint of that file
};

// The claim the all-solid-state industry announces, which the report checks the design against.
struct AnnouncedClaim {
  double specific_energy_Wh_per_kg = 350.0;
  double energy_density_Wh_per_L = 800.0;
  double gain_over_liquid = 0.40;
  std::string source =
      "Gotion 'Gemstone' all-solid-state cell announcements, May 2024 and May 2025 (see shared notes assb-physics.md)";
};

std::string render_qualify_report(const std::vector<ReportCell>& subjects, const ReportCell& baseline,
                                  const AnnouncedClaim& claim, const ReportMetadata& meta);

}  // namespace solidcell::report
