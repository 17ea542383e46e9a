// solidcell check FILE: validates a cell file (TOML or BPX JSON) or a material file, and says what it is.
#include <filesystem>

#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::cli {

Runner add_check_command(CLI::App& app) {
  auto* sub = app.add_subcommand("check", "Validate a cell file (.toml or BPX .json) or a material file; exit 2 on the first error");
  auto file = std::make_shared<std::string>();
  sub->add_option("FILE", *file, "file to check")->required();
  return [file]() {
    std::filesystem::path p(*file);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) throw InputError(InputLocation{*file, 0, ""}, "", "file not found");
    if (p.extension() == ".toml") {
      auto doc = io::load_toml_file(*file);
      if (!doc.contains("cell") && doc.contains("role")) {
        auto m = materials::read_material(io::TomlTable(doc, *file, ""), p.stem().string());
        fmt::print("ok: {} is a valid material file ({}, {})\n", *file, m.name, materials::to_string(m.role));
        return 0;
      }
    }
    auto loaded = load_cell_argument(*file);
    const auto& f = loaded.figures;
    fmt::print("ok: {} is a valid cell file ({}: {:.3f} Ah, {:.1f} Wh/kg, {:.1f} Wh/L)\n", *file, f.cell_name, f.capacity_Ah,
               f.specific_energy_Wh_per_kg, f.energy_density_Wh_per_L);
    return 0;
  };
}

}  // namespace solidcell::cli
