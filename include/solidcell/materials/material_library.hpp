#pragma once
// Reading materials from TOML (a file per material in data/materials, or [materials.NAME] tables inside a
// cell file) and looking them up by name.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material.hpp"

namespace solidcell::materials {

// Reads one material from its table. `name` is the material's name (the file stem or the table key).
Material read_material(const io::TomlTable& table, const std::string& name);

class MaterialLibrary {
 public:
  // Every *.toml in `dir`; the file stem is the material's name.
  static MaterialLibrary load_directory(const std::filesystem::path& dir);
  static MaterialLibrary builtin();  // data/materials of the built-in data folder

  void add(Material material);  // replaces a material of the same name
  bool contains(const std::string& name) const { return materials_.contains(name); }
  const Material* find(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Material> materials_;
};

}  // namespace solidcell::materials
