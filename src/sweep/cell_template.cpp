#include "solidcell/sweep/cell_template.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/io/toml_table.hpp"
#include "toml_paths.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;

std::optional<std::string> file_beside_spec(const std::string& name, const std::string& spec_file) {
  std::error_code ec;
  const auto beside = fs::path(spec_file).parent_path() / name;
  if (!spec_file.empty() && fs::path(name).is_relative() && fs::is_regular_file(beside, ec)) return beside.string();
  return std::nullopt;
}

std::string resolve_cell_path(const std::string& name_or_path, const std::string& spec_file) {
  if (auto beside = file_beside_spec(name_or_path, spec_file)) return *beside;
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  const bool plain_name = name_or_path.find('/') == std::string::npos && name_or_path.find('.') == std::string::npos;
  if (plain_name && fs::is_regular_file(cell::builtin_cell_path(name_or_path), ec)) return cell::builtin_cell_path(name_or_path).string();
  cell::load_cell(name_or_path);  // throws the reader's error, which lists the built-in cells
  return name_or_path;
}

CellTemplate::CellTemplate(const std::string& cell)
    : file_(cell), library_(std::make_shared<materials::MaterialLibrary>(materials::MaterialLibrary::builtin())) {
  is_toml_ = fs::path(cell).extension() != ".json";
  if (is_toml_) {
    doc_ = io::load_toml_file(cell);
    base_ = cell::read_cell_toml(doc_, file_, *library_);
  } else {
    base_ = cell::read_cell_file(cell, *library_);
  }
}

bool CellTemplate::has_number(const std::string& path) const {
  return is_toml_ && has_toml_number(doc_, path);
}

std::vector<std::string> CellTemplate::number_paths() const {
  return is_toml_ ? toml_number_paths(doc_) : std::vector<std::string>{};
}

cell::Cell CellTemplate::with(std::span<const std::string> paths, std::span<const double> values) const {
  if (paths.empty()) return base_;
  toml::table doc = doc_;
  for (std::size_t i = 0; i < paths.size(); ++i) set_toml_number(doc, paths[i], values[i], file_);
  return cell::read_cell_toml(doc, file_, *library_);
}

}  // namespace solidcell::sweep
