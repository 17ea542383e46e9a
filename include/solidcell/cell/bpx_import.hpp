#pragma once
// Import of BPX (Battery Parameter eXchange) JSON files, both the 0.x layout (temperatures under "Cell",
// electrolyte "Initial concentration") and the 1.x layout (those moved into "State").
// BPX describes the electrochemistry, not the housing: the cell comes out in the lumped format, with its
// mass from "Density [kg.m-3]" x "Volume [m3]" unless the caller supplies mass and volume.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::cell {

struct BpxImportOptions {
  std::optional<double> mass_kg;    // overrides Density x Volume
  std::optional<double> volume_m3;  // overrides Volume [m3]
};

struct BpxImport {
  Cell cell;
  std::string layout;                 // "0.x" or "1.x"
  std::vector<std::string> not_carried;  // BPX values solidcell does not use yet, named by their JSON path
  std::vector<std::string> assumed;      // values the file lacks and the import had to assume, with the value
};

BpxImport import_bpx(const std::filesystem::path& path, const BpxImportOptions& options = {});
Cell import_bpx_file(const std::filesystem::path& path, const materials::MaterialLibrary& library);

}  // namespace solidcell::cell
