// solidcell design CELL [--json]: the design figures of one cell and where its mass and volume go.
#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "design_text.hpp"
#include "solidcell/report/design_json.hpp"

namespace solidcell::cli {

Runner add_design_command(CLI::App& app) {
  auto* sub = app.add_subcommand("design", "Design figures of a cell: capacity, energy, Wh/kg, Wh/L, mass and volume breakdown");
  auto cell = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub->add_option("CELL", *cell, "built-in cell name (see `solidcell cells`) or a cell file (.toml, or .json for BPX)")->required();
  sub->add_flag("--json", *json, "print one JSON object instead of tables");
  return [cell, json]() {
    auto loaded = load_cell_argument(*cell);
    const auto& f = loaded.figures;
    if (*json) {
      auto j = report::design_to_json(f);
      j["input_file"] = loaded.origin;
      j["input_hash"] = loaded.hash;
      fmt::print("{}\n", j.dump(2));
      return 0;
    }
    fmt::print("{} ({}, {}) from {}\n\n", f.cell_name, f.chemistry, f.format, loaded.origin);
    fmt::print("{}\n", figures_table({&f}, false));
    fmt::print("{}", breakdown_table(f));
    return 0;
  };
}

}  // namespace solidcell::cli
