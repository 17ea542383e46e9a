#include "solidcell/production/bill_of_materials.hpp"

#include <variant>

namespace solidcell::production {
namespace {

void split_layer(const cell::Cell& cell, const cell::CompositeLayer& layer, double mass_kg, std::map<std::string, double>& out) {
  // Mass shares of the solids: volume fraction x density, normalised.
  double total = 0.0;
  for (const auto& s : layer.solids) total += s.volume_fraction * cell.material(s.material).density_kg_per_m3.value_or(0.0);
  if (!(total > 0.0)) return;
  for (const auto& s : layer.solids)
    out[s.material] += mass_kg * s.volume_fraction * cell.material(s.material).density_kg_per_m3.value_or(0.0) / total;
}

}  // namespace

std::map<std::string, double> bill_of_materials_kg(const cell::Cell& cell, const cell::DesignFigures& design) {
  std::map<std::string, double> out;
  for (const auto& e : design.breakdown) {
    if (!(e.mass_kg > 0.0)) continue;
    const auto& c = e.component;
    if (c == "positive electrode") {
      split_layer(cell, cell.positive, e.mass_kg, out);
    } else if (c == "separator") {
      split_layer(cell, cell.separator.layer, e.mass_kg, out);
    } else if (c == "negative electrode" && cell.negative.composite) {
      split_layer(cell, *cell.negative.composite, e.mass_kg, out);
    } else if (c == "lithium excess") {
      out[cell.negative.lithium_material] += e.mass_kg;
    } else if (c == "positive current collector") {
      out[cell.collectors.positive_material] += e.mass_kg;
    } else if (c == "negative current collector") {
      out[cell.collectors.negative_material] += e.mass_kg;
    } else if (c == "electrolyte" && cell.electrolyte) {
      out[cell.electrolyte->material] += e.mass_kg;
    } else if (c == "pouch laminate") {
      out[std::get<cell::PouchFormat>(cell.format).laminate_material] += e.mass_kg;
    } else if (c == "can") {
      out[std::get<cell::CylindricalFormat>(cell.format).can_material] += e.mass_kg;
    } else if (c.find("tabs") != std::string::npos) {
      out["tabs_and_parts"] += e.mass_kg;
    } else {
      out["housing_and_rest"] += e.mass_kg;
    }
  }
  return out;
}

}  // namespace solidcell::production
