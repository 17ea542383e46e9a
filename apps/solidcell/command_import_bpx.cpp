// solidcell import-bpx FILE -o CELL.toml: a BPX (0.x or 1.x) JSON file as a solidcell cell file.
#include <cmath>

#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "solidcell/io/text_file.hpp"
#include "commands.hpp"
#include "solidcell/cell/bpx_import.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/cell_writer.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::cli {

Runner add_import_bpx_command(CLI::App& app) {
  auto* sub = app.add_subcommand("import-bpx", "Convert a BPX JSON parameter file (0.x or 1.x layout) into a solidcell cell file");
  auto file = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto mass_g = std::make_shared<double>(0.0);
  auto volume_cm3 = std::make_shared<double>(0.0);
  sub->add_option("FILE", *file, "BPX file (.json)")->required();
  sub->add_option("-o,--output", *output, "cell file to write (.toml)")->required();
  sub->add_option("--mass-g", *mass_g, "cell mass in g, when the BPX file has no Density and Volume")->check(CLI::PositiveNumber);
  sub->add_option("--volume-cm3", *volume_cm3, "cell volume in cm3, when the BPX file has no Volume")->check(CLI::PositiveNumber);
  return [file, output, mass_g, volume_cm3]() {
    cell::BpxImportOptions options;
    if (*mass_g > 0) options.mass_kg = *mass_g * 1e-3;
    if (*volume_cm3 > 0) options.volume_m3 = *volume_cm3 * 1e-6;
    auto imported = cell::import_bpx(*file, options);
    auto text = cell::write_cell_toml(imported.cell);

    // Read the text back before writing it: the file on disk must describe the same cell.
    auto doc = io::parse_toml_text(text, *output);
    auto reread = cell::read_cell_toml(doc, *output, materials::MaterialLibrary());
    auto a = cell::compute_design(imported.cell, *file);
    auto b = cell::compute_design(reread, *output);
    if (std::abs(a.energy_Wh - b.energy_Wh) > 1e-9 * a.energy_Wh || std::abs(a.capacity_Ah - b.capacity_Ah) > 1e-9 * a.capacity_Ah) {
      throw std::runtime_error("the written cell file does not reproduce the imported cell");
    }
    io::write_text_file_atomically(*output, text);
    fmt::print("wrote {} from {} (BPX {} layout): {:.3f} Ah, {:.2f} Wh, {:.1f} Wh/kg, {:.1f} Wh/L\n", *output, *file, imported.layout,
               a.capacity_Ah, a.energy_Wh, a.specific_energy_Wh_per_kg, a.energy_density_Wh_per_L);
    for (const auto& assumption : imported.assumed) fmt::print(stderr, "note: assumed {}\n", assumption);
    if (!imported.not_carried.empty()) {
      fmt::print(stderr, "note: {} BPX values are not used by solidcell's design figures and were not carried into {}:\n",
                 imported.not_carried.size(), *output);
      for (const auto& k : imported.not_carried) fmt::print(stderr, "  {}\n", k);
    }
    return 0;
  };
}

}  // namespace solidcell::cli
