#include "solidcell/vehicle/pack.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::vehicle {

namespace {

using io::Range;
using io::TomlTable;

double components_mass(const Pack& p) {
  double m = 0.0;
  for (const auto& c : p.components) m += c.mass_kg;
  return m;
}

double components_volume(const Pack& p) {
  double v = 0.0;
  for (const auto& c : p.components) v += c.volume_m3;
  return v;
}

Pack read(const toml::table& doc, const std::string& file) {
  TomlTable root(doc, file, "");
  Pack p;
  p.file = file;
  const auto head = root.table("pack");
  p.name = head.string("name");
  p.description = head.optional_string("description").value_or("");
  p.cell = head.string("cell");
  p.series = static_cast<int>(head.integer("series", 1, 10000));
  p.parallel = static_cast<int>(head.integer("parallel", 1, 10000));
  p.soc_min = head.number("soc_min", Range::unit_interval());
  p.soc_max = head.number("soc_max", Range::unit_interval());
  if (p.soc_max <= p.soc_min) head.fail("soc_max", io::format_number(p.soc_max), fmt::format("must exceed soc_min ({})", io::format_number(p.soc_min)));
  head.string("source");
  head.reject_unknown_keys();

  const auto ratios = root.optional_table("cell_to_pack");
  const auto parts = root.optional_table("components");
  if (ratios.has_value() == parts.has_value())
    root.fail("cell_to_pack", ratios ? "both [cell_to_pack] and [components]" : "neither",
              "give either [cell_to_pack] (gravimetric and volumetric ratios) or [components] (masses and volumes)");
  if (ratios) {
    p.packaging = Packaging::cell_to_pack_ratios;
    p.gravimetric_efficiency = ratios->number("gravimetric_efficiency", Range{0.0, 1.0, true, false});
    p.volumetric_efficiency = ratios->number("volumetric_efficiency", Range{0.0, 1.0, true, false});
    ratios->string("source");
    ratios->reject_unknown_keys();
  } else {
    p.packaging = Packaging::components;
    for (const auto& key : parts->keys()) {
      const auto c = parts->table(key);
      PackComponent part;
      part.name = key;
      part.mass_kg = c.number("mass_kg", Range::non_negative(1e5));
      part.volume_m3 = c.number("volume_L", Range::non_negative(1e5)) * 1e-3;
      c.string("source");
      c.reject_unknown_keys();
      p.components.push_back(part);
    }
    if (p.components.empty()) parts->fail("", "empty table", "at least one component with mass_kg, volume_L and source");
  }
  root.reject_unknown_keys();
  return p;
}

}  // namespace

PackFigures pack_figures(const Pack& p, const cell::Cell& cell, const cell::DesignFigures& d) {
  PackFigures f;
  f.cells = p.series * p.parallel;
  f.cells_mass_kg = f.cells * d.mass_kg;
  f.cells_volume_m3 = f.cells * d.volume_m3;
  if (p.packaging == Packaging::cell_to_pack_ratios) {
    f.mass_kg = f.cells_mass_kg / p.gravimetric_efficiency;
    f.volume_m3 = f.cells_volume_m3 / p.volumetric_efficiency;
  } else {
    f.mass_kg = f.cells_mass_kg + components_mass(p);
    f.volume_m3 = f.cells_volume_m3 + components_volume(p);
  }
  f.capacity_Ah = p.parallel * d.capacity_Ah;
  f.energy_Wh = f.cells * d.energy_Wh;
  f.usable_energy_Wh = f.energy_Wh * (p.soc_max - p.soc_min);
  f.specific_energy_Wh_per_kg = f.energy_Wh / f.mass_kg;
  f.energy_density_Wh_per_L = f.energy_Wh / (f.volume_m3 * 1e3);
  f.nominal_voltage_V = p.series * d.nominal_voltage_V;
  f.voltage_min_V = p.series * cell.voltage_min_V;
  f.voltage_max_V = p.series * cell.voltage_max_V;
  return f;
}

Pack read_pack_toml(const std::string& text, const std::string& source) { return read(io::parse_toml_text(text, source), source); }

Pack load_pack(const std::string& name_or_path) {
  const auto path = builtin_or_given_file(name_or_path, "packs", "pack").string();
  return read(io::load_toml_file(path), path);
}

PackMatch parse_pack_match(const std::string& text) {
  if (text == "volume") return PackMatch::volume;
  if (text == "mass") return PackMatch::mass;
  throw InputError(InputLocation{"", 0, "--match"}, text, "volume or mass");
}

const char* to_string(PackMatch match) { return match == PackMatch::volume ? "volume" : "mass"; }

Pack size_pack_to_match(const Pack& ref, const PackFigures& ref_f, const std::string& cell_name, const cell::Cell& cell,
                        const cell::DesignFigures& d, PackMatch match) {
  Pack p = ref;
  p.cell = cell_name;
  p.name = fmt::format("{} ({}-matched, {})", ref.name, to_string(match), cell.name);
  p.description = fmt::format("{} cells in the {} of {}", cell.name, to_string(match), ref.name);
  p.file.clear();
  // The share of the reference's volume or mass that the new cells may fill.
  double budget = 0.0, per_cell = 0.0;
  if (match == PackMatch::volume) {
    budget = ref.packaging == Packaging::cell_to_pack_ratios ? ref_f.volume_m3 * ref.volumetric_efficiency : ref_f.volume_m3 - components_volume(ref);
    per_cell = d.volume_m3;
  } else {
    budget = ref.packaging == Packaging::cell_to_pack_ratios ? ref_f.mass_kg * ref.gravimetric_efficiency : ref_f.mass_kg - components_mass(ref);
    per_cell = d.mass_kg;
  }
  // The most cells in series x parallel within +-10 % of the reference's nominal voltage (a whole number of
  // parallel strings wastes less room when the series count may move a little); ties go to the nearest voltage.
  // A hair of tolerance keeps a pack sized exactly to the budget from losing a string to rounding.
  const double ideal = ref_f.nominal_voltage_V / d.nominal_voltage_V;
  const int lo = std::max(1, static_cast<int>(std::ceil(0.9 * ideal))), hi = std::max(lo, static_cast<int>(std::floor(1.1 * ideal)));
  p.series = std::max(1, static_cast<int>(std::lround(ideal)));
  p.parallel = 0;
  for (int ns = lo; ns <= hi; ++ns) {
    const int np = static_cast<int>(std::floor(budget / (ns * per_cell) * (1.0 + 1e-12)));
    const long cells = static_cast<long>(ns) * np, best = static_cast<long>(p.series) * p.parallel;
    if (cells > best || (cells == best && cells > 0 && std::abs(ns - ideal) < std::abs(p.series - ideal))) {
      p.series = ns;
      p.parallel = np;
    }
  }
  if (p.parallel < 1)
    throw InputError(InputLocation{ref.file, 0, "--match"}, to_string(match),
                     fmt::format("not one string of {} {} cells fits the {} of pack {}", p.series, cell.name, to_string(match), ref.name));
  return p;
}

}  // namespace solidcell::vehicle
