#include "solidcell/cell/cell.hpp"

#include <stdexcept>

namespace solidcell::cell {

const materials::Material& Cell::material(const std::string& material_name) const {
  auto it = materials.find(material_name);
  if (it == materials.end()) throw std::out_of_range("cell '" + name + "' has no material '" + material_name + "'");
  return it->second;
}

const char* to_string(NegativeKind kind) {
  switch (kind) {
    case NegativeKind::lithium_metal: return "lithium_metal";
    case NegativeKind::anode_free: return "anode_free";
    case NegativeKind::composite: return "composite";
  }
  return "unknown";
}

const char* to_string(SeparatorKind kind) {
  switch (kind) {
    case SeparatorKind::solid_electrolyte: return "solid_electrolyte";
    case SeparatorKind::porous_film: return "porous_film";
  }
  return "unknown";
}

}  // namespace solidcell::cell
