#include "design_text.hpp"

#include <functional>

#include <fmt/format.h>

#include "solidcell/report/text_table.hpp"

namespace solidcell::cli {

std::string figures_table(const std::vector<const cell::DesignFigures*>& cells, bool with_ratio) {
  std::vector<std::string> header{"figure"};
  for (const auto* f : cells) header.push_back(f->cell_name);
  if (with_ratio && cells.size() == 2) header.push_back("ratio B/A");
  report::TextTable t(header);
  struct Row {
    std::string name;
    std::function<double(const cell::DesignFigures&)> value;
    const char* format;
  };
  const std::vector<Row> rows{
      {"capacity [Ah]", [](const auto& f) { return f.capacity_Ah; }, "{:.3f}"},
      {"energy [Wh]", [](const auto& f) { return f.energy_Wh; }, "{:.2f}"},
      {"nominal voltage [V]", [](const auto& f) { return f.nominal_voltage_V; }, "{:.3f}"},
      {"mass [g]", [](const auto& f) { return f.mass_kg * 1e3; }, "{:.1f}"},
      {"volume [cm3]", [](const auto& f) { return f.volume_m3 * 1e6; }, "{:.2f}"},
      {"specific energy [Wh/kg]", [](const auto& f) { return f.specific_energy_Wh_per_kg; }, "{:.1f}"},
      {"energy density [Wh/L]", [](const auto& f) { return f.energy_density_Wh_per_L; }, "{:.1f}"},
      {"N/P ratio", [](const auto& f) { return f.np_ratio; }, "{:.3f}"},
      {"lithium inventory [Ah]", [](const auto& f) { return f.lithium_inventory_Ah; }, "{:.3f}"},
      {"areal capacity [mAh/cm2]", [](const auto& f) { return f.areal_capacity_mAh_per_cm2; }, "{:.3f}"},
      {"positive thickness [um]", [](const auto& f) { return f.positive_thickness_m * 1e6; }, "{:.1f}"},
      {"separator thickness [um]", [](const auto& f) { return f.separator_thickness_m * 1e6; }, "{:.1f}"},
      {"negative thickness [um]", [](const auto& f) { return f.negative_thickness_m * 1e6; }, "{:.1f}"},
      {"OCV at 100 % SOC [V]", [](const auto& f) { return f.ocv_at_100_soc_V; }, "{:.3f}"},
      {"OCV at 0 % SOC [V]", [](const auto& f) { return f.ocv_at_0_soc_V; }, "{:.3f}"},
  };
  for (const auto& r : rows) {
    std::vector<std::string> line{r.name};
    for (const auto* f : cells) line.push_back(fmt::format(fmt::runtime(r.format), r.value(*f)));
    if (with_ratio && cells.size() == 2) {
      double a = r.value(*cells[0]), b = r.value(*cells[1]);
      line.push_back(a != 0.0 ? fmt::format("{:.3f}", b / a) : "-");
    }
    t.add_row(line);
  }
  std::vector<std::string> line{"limiting electrode"};
  for (const auto* f : cells) line.push_back(f->limiting_electrode);
  t.add_row(line);
  return t.render();
}

std::string breakdown_table(const cell::DesignFigures& f) {
  report::TextTable t({"component", "mass [g]", "mass [%]", "volume [cm3]", "volume [%]"});
  for (const auto& e : f.breakdown) {
    t.add_row({e.component, fmt::format("{:.2f}", e.mass_kg * 1e3), fmt::format("{:.1f}", 100 * e.mass_kg / f.mass_kg),
               fmt::format("{:.2f}", e.volume_m3 * 1e6), fmt::format("{:.1f}", 100 * e.volume_m3 / f.volume_m3)});
  }
  t.add_rule();
  t.add_row({"total", fmt::format("{:.2f}", f.mass_kg * 1e3), "100.0", fmt::format("{:.2f}", f.volume_m3 * 1e6), "100.0"});
  return t.render();
}

}  // namespace solidcell::cli
