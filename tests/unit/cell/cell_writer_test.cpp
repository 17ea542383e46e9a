// A cell written as TOML reads back as the same cell: same design figures, to the last digit.
#include <gtest/gtest.h>

#include "solidcell/cell/bpx_import.hpp"
#include "solidcell/cell/cell_writer.hpp"
#include "solidcell/cell/design.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {

TEST(CellWriter, EveryBuiltinRoundTrips) {
  for (const auto& name : builtin_cell_names()) {
    auto original = load_cell(name);
    auto text = write_cell_toml(original);
    auto doc = io::parse_toml_text(text, name + ".written.toml");
    // No material library: the written file must carry every material itself.
    auto reread = read_cell_toml(doc, name + ".written.toml", materials::MaterialLibrary());
    auto a = compute_design(original);
    auto b = compute_design(reread);
    EXPECT_DOUBLE_EQ(a.capacity_Ah, b.capacity_Ah) << name;
    EXPECT_DOUBLE_EQ(a.energy_Wh, b.energy_Wh) << name;
    EXPECT_NEAR(a.mass_kg, b.mass_kg, 1e-14) << name;
    EXPECT_NEAR(a.volume_m3, b.volume_m3, 1e-17) << name;
  }
}

TEST(CellWriter, BpxCellRoundTrips) {
  auto imported = import_bpx(std::string(SOLIDCELL_TEST_DATA_DIR) + "/lgm50_bpx_v0.json").cell;
  auto doc = io::parse_toml_text(write_cell_toml(imported), "bpx.toml");
  auto reread = read_cell_toml(doc, "bpx.toml", materials::MaterialLibrary());
  EXPECT_DOUBLE_EQ(compute_design(imported).energy_Wh, compute_design(reread).energy_Wh);
}

}  // namespace solidcell::cell
