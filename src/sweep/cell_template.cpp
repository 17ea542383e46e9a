#include "solidcell/sweep/cell_template.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;

std::string resolve_cell_path(const std::string& name_or_path, const std::string& spec_file) {
  std::error_code ec;
  const auto beside = fs::path(spec_file).parent_path() / name_or_path;
  if (!spec_file.empty() && fs::path(name_or_path).is_relative() && fs::is_regular_file(beside, ec)) return beside.string();
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  const bool plain_name = name_or_path.find('/') == std::string::npos && name_or_path.find('.') == std::string::npos;
  if (plain_name && fs::is_regular_file(cell::builtin_cell_path(name_or_path), ec)) return cell::builtin_cell_path(name_or_path).string();
  cell::load_cell(name_or_path);  // throws the reader's error, which lists the built-in cells
  return name_or_path;
}

namespace {

// The node at a dotted path, or null.
toml::node* find_node(toml::table& doc, const std::string& path) {
  toml::node* n = &doc;
  std::size_t start = 0;
  while (n) {
    const auto dot = path.find('.', start);
    const auto key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    auto* t = n->as_table();
    if (!t) return nullptr;
    n = t->get(key);
    if (dot == std::string::npos) return n;
    start = dot + 1;
  }
  return nullptr;
}

void collect(const toml::table& t, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : t) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (v.is_table()) collect(*v.as_table(), path, out);
    else if (v.is_floating_point() || v.is_integer()) out.push_back(path);
  }
}

}  // namespace

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
  if (!is_toml_) return false;
  const auto* n = find_node(const_cast<toml::table&>(doc_), path);
  return n && (n->is_floating_point() || n->is_integer());
}

std::vector<std::string> CellTemplate::number_paths() const {
  std::vector<std::string> out;
  if (is_toml_) collect(doc_, "", out);
  return out;
}

cell::Cell CellTemplate::with(std::span<const std::string> paths, std::span<const double> values) const {
  if (paths.empty()) return base_;
  toml::table doc = doc_;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto* n = find_node(doc, paths[i]);
    if (!n) throw InputError(InputLocation{file_, 0, paths[i]}, "", "not a key of the cell file");
    const double v = values[i];
    if (n->is_integer()) {
      if (!(std::isfinite(v) && v == std::round(v)))
        throw InputError(InputLocation{file_, 0, paths[i]}, io::format_number(v), "must be a whole number (the cell file has an integer)");
      *n->as_integer() = static_cast<std::int64_t>(v);
    } else {
      *n->as_floating_point() = v;
    }
  }
  return cell::read_cell_toml(doc, file_, *library_);
}

}  // namespace solidcell::sweep
