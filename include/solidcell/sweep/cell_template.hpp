#pragma once
// A cell file held as its TOML document, so that a sweep can set any numeric key by its dotted path
// ("positive.thickness_um", "positive.mass_fractions.ncm811", "pouch.length_mm") and read the cell again
// through the same reader: the file's units, range checks and derived values apply to swept values too.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "solidcell/cell/cell.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::sweep {

// CELL as a spec names it: a path relative to the spec's folder, a path relative to the working folder, or
// a built-in cell name. Returns the path to read ("" and an InputError from load_cell when none fits).
std::string resolve_cell_path(const std::string& name_or_path, const std::string& spec_file);
// The file `name` beside the spec, when `name` is relative and such a file exists: where a spec's files are
// looked for first (cells, packs, vehicles, speed traces).
std::optional<std::string> file_beside_spec(const std::string& name, const std::string& spec_file);

class CellTemplate {
 public:
  // `cell` as resolve_cell_path() returns it. BPX (.json) cells load, but have no TOML keys to set.
  explicit CellTemplate(const std::string& cell);

  const std::string& file() const { return file_; }
  bool is_toml() const { return is_toml_; }
  bool has_number(const std::string& path) const;
  std::vector<std::string> number_paths() const;  // every numeric key, for error messages
  // The cell as its file says, and with the keys set (integers must get whole numbers). Throws InputError
  // from the cell reader for values it refuses.
  const cell::Cell& base() const { return base_; }
  cell::Cell with(std::span<const std::string> paths, std::span<const double> values) const;

 private:
  std::string file_;
  bool is_toml_ = false;
  toml::table doc_;
  std::shared_ptr<const materials::MaterialLibrary> library_;
  cell::Cell base_;
};

}  // namespace solidcell::sweep
