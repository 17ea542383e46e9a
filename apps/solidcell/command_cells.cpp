// solidcell cells [--materials] [--json]: the built-in cells (or materials) with their headline figures.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/materials/material_library.hpp"
#include "solidcell/report/text_table.hpp"

namespace solidcell::cli {

Runner add_cells_command(CLI::App& app) {
  auto* sub = app.add_subcommand("cells", "List the built-in cells (or, with --materials, the built-in materials)");
  auto materials = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--materials", *materials, "list the built-in materials instead");
  sub->add_flag("--json", *json, "print JSON");
  return [materials, json]() {
    if (*materials) {
      auto lib = materials::MaterialLibrary::builtin();
      report::TextTable t({"material", "role", "density [kg/m3]", "usable capacity [mAh/g]"});
      t.align_left(1);
      nlohmann::json j = nlohmann::json::array();
      for (const auto& name : lib.names()) {
        const auto& m = *lib.find(name);
        double q = m.usable_specific_capacity_mAh_per_g();
        t.add_row({name, materials::to_string(m.role), m.density_kg_per_m3 ? fmt::format("{:.0f}", *m.density_kg_per_m3) : "-",
                   q > 0 ? fmt::format("{:.1f}", q) : "-"});
        j.push_back({{"name", name}, {"role", materials::to_string(m.role)}, {"source", m.source}});
      }
      fmt::print("{}", *json ? j.dump(2) + "\n" : t.render());
      return 0;
    }
    report::TextTable t({"cell", "chemistry", "format", "capacity [Ah]", "Wh/kg", "Wh/L", "description"});
    t.align_left(1);
    t.align_left(2);
    t.align_left(6);
    nlohmann::json j = nlohmann::json::array();
    for (const auto& name : cell::builtin_cell_names()) {
      auto c = load_cell_argument(name);
      const auto& f = c.figures;
      t.add_row({name, f.chemistry, f.format, fmt::format("{:.2f}", f.capacity_Ah), fmt::format("{:.0f}", f.specific_energy_Wh_per_kg),
                 fmt::format("{:.0f}", f.energy_density_Wh_per_L), c.cell.description});
      j.push_back({{"name", name}, {"chemistry", f.chemistry}, {"format", f.format}, {"file", c.origin}, {"description", c.cell.description}});
    }
    fmt::print("{}", *json ? j.dump(2) + "\n" : t.render());
    return 0;
  };
}

}  // namespace solidcell::cli
