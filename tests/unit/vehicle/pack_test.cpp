// Pack figures by hand, both packagings, sizing a pack of another cell to a reference's volume or mass, and
// the pack file's checks.
#include <gtest/gtest.h>

#include <cmath>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/pack.hpp"

namespace solidcell::vehicle {
namespace {

cell::Cell test_cell() {
  cell::Cell c;
  c.name = "test-cell";
  c.voltage_min_V = 2.5;
  c.voltage_max_V = 4.2;
  return c;
}

cell::DesignFigures test_figures() {
  cell::DesignFigures d;
  d.capacity_Ah = 50.0;
  d.energy_Wh = 180.0;
  d.nominal_voltage_V = 3.6;
  d.mass_kg = 0.7;
  d.volume_m3 = 0.3e-3;
  return d;
}

Pack ratio_pack() {
  Pack p;
  p.name = "ratios";
  p.series = 96;
  p.parallel = 4;
  p.soc_min = 0.1;
  p.soc_max = 0.9;
  p.gravimetric_efficiency = 0.7;
  p.volumetric_efficiency = 0.5;
  return p;
}

TEST(PackFigures, CellToPackRatiosByHand) {
  const auto f = pack_figures(ratio_pack(), test_cell(), test_figures());
  EXPECT_EQ(f.cells, 384);
  EXPECT_DOUBLE_EQ(f.capacity_Ah, 200.0);
  EXPECT_DOUBLE_EQ(f.energy_Wh, 384 * 180.0);
  EXPECT_DOUBLE_EQ(f.usable_energy_Wh, 384 * 180.0 * 0.8);
  EXPECT_DOUBLE_EQ(f.mass_kg, 384 * 0.7 / 0.7);
  EXPECT_DOUBLE_EQ(f.volume_m3, 384 * 0.3e-3 / 0.5);
  EXPECT_DOUBLE_EQ(f.specific_energy_Wh_per_kg, 384 * 180.0 / 384.0);
  EXPECT_DOUBLE_EQ(f.energy_density_Wh_per_L, 384 * 180.0 / (384 * 0.3 / 0.5));
  EXPECT_DOUBLE_EQ(f.nominal_voltage_V, 96 * 3.6);
  EXPECT_DOUBLE_EQ(f.voltage_min_V, 240.0);
  EXPECT_DOUBLE_EQ(f.voltage_max_V, 96 * 4.2);
}

TEST(PackFigures, ExplicitComponentsByHand) {
  Pack p = ratio_pack();
  p.packaging = Packaging::components;
  p.components = {{"housing", 60.0, 40e-3}, {"busbars", 8.0, 2e-3}, {"bms", 3.0, 1.5e-3}, {"cooling", 20.0, 15e-3}};
  const auto f = pack_figures(p, test_cell(), test_figures());
  EXPECT_DOUBLE_EQ(f.mass_kg, 384 * 0.7 + 91.0);
  EXPECT_NEAR(f.volume_m3, 384 * 0.3e-3 + 58.5e-3, 1e-15);
}

TEST(PackSizing, SameVolumeOrMassNeverExceedsTheReference) {
  const auto ref = ratio_pack();
  const auto ref_f = pack_figures(ref, test_cell(), test_figures());
  auto denser = test_figures();  // a cell with 30 % more energy per litre and 40 % more per kilogram
  denser.volume_m3 = 0.3e-3 / 1.3;
  denser.mass_kg = 0.5;
  denser.nominal_voltage_V = 3.8;
  for (auto match : {PackMatch::volume, PackMatch::mass}) {
    const auto p = size_pack_to_match(ref, ref_f, "denser", test_cell(), denser, match);
    const auto f = pack_figures(p, test_cell(), denser);
    if (match == PackMatch::volume) {
      EXPECT_LE(f.volume_m3, ref_f.volume_m3 * (1 + 1e-12));
      // no room left for another parallel string at this series count
      EXPECT_GT((p.parallel + 1) * p.series * denser.volume_m3 / ref.volumetric_efficiency, ref_f.volume_m3);
      EXPECT_GT(f.energy_Wh, 1.2 * ref_f.energy_Wh);
    } else {
      EXPECT_LE(f.mass_kg, ref_f.mass_kg * (1 + 1e-12));
      EXPECT_GT((p.parallel + 1) * p.series * denser.mass_kg / ref.gravimetric_efficiency, ref_f.mass_kg);
    }
    EXPECT_NEAR(f.nominal_voltage_V, ref_f.nominal_voltage_V, 0.1 * ref_f.nominal_voltage_V + 3.8);
    EXPECT_EQ(p.soc_min, ref.soc_min);
    EXPECT_EQ(p.cell, "denser");
  }
  // The same cell in its own pack's volume gives the same pack back.
  const auto same = size_pack_to_match(ref, ref_f, "test-cell", test_cell(), test_figures(), PackMatch::volume);
  EXPECT_EQ(same.series * same.parallel, ref.series * ref.parallel);
}

TEST(PackSizing, BuiltInSolidStatePackIsTheVolumeMatchOfTheLiquidOne) {
  const auto liquid_pack = load_pack("model3-class-ncm811");
  const auto liquid = cell::load_cell(liquid_pack.cell);
  const auto liquid_f = pack_figures(liquid_pack, liquid, cell::compute_design(liquid));
  EXPECT_NEAR(liquid_f.energy_Wh / 1e3, 77.2, 0.5);  // a 75-80 kWh Model-3-class pack
  const auto solid = cell::load_cell("assb-sulfide-li");
  const auto solid_d = cell::compute_design(solid);
  const auto matched = size_pack_to_match(liquid_pack, liquid_f, "assb-sulfide-li", solid, solid_d, PackMatch::volume);
  const auto file = load_pack("model3-class-assb-sulfide-li");
  EXPECT_EQ(matched.series, file.series);
  EXPECT_EQ(matched.parallel, file.parallel);
  const auto solid_f = pack_figures(file, solid, solid_d);
  EXPECT_LE(solid_f.volume_m3, liquid_f.volume_m3);
  EXPECT_GT(solid_f.energy_Wh, 1.15 * liquid_f.energy_Wh);
  EXPECT_LT(solid_f.mass_kg, liquid_f.mass_kg);
}

const char* pack_text = R"(
[pack]
name = "p"
cell = "liquid-ncm811-graphite"
series = 96
parallel = PARALLEL
soc_min = 0.05
soc_max = 0.95
source = "test"
[components.housing]
mass_kg = 50.0
volume_L = 30.0
source = "test"
[components.bms]
mass_kg = 2.0
volume_L = 1.0
source = "test"
)";

std::string with(const std::string& parallel) {
  std::string s = pack_text;
  s.replace(s.find("PARALLEL"), 8, parallel);
  return s;
}

TEST(PackFile, ComponentsAreReadWithUnits) {
  const auto p = read_pack_toml(with("4"), "p.toml");
  EXPECT_EQ(p.packaging, Packaging::components);
  ASSERT_EQ(p.components.size(), 2u);
  EXPECT_DOUBLE_EQ(p.components[0].volume_m3 + p.components[1].volume_m3, 31e-3);
}

TEST(PackFile, BadValuesNameTheField) {
  try {
    read_pack_toml(with("0"), "p.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "pack.parallel");
    EXPECT_EQ(e.where().line, 6);
  }
  std::string neg = with("4");
  neg.replace(neg.find("mass_kg = 50.0"), 14, "mass_kg = -50.0");
  try {
    read_pack_toml(neg, "p.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "components.housing.mass_kg");
  }
  std::string both = with("4") + "[cell_to_pack]\ngravimetric_efficiency = 0.7\nvolumetric_efficiency = 0.4\nsource = \"x\"\n";
  EXPECT_THROW(read_pack_toml(both, "p.toml"), InputError);
  std::string window = with("4");
  window.replace(window.find("soc_max = 0.95"), 14, "soc_max = 0.01");
  EXPECT_THROW(read_pack_toml(window, "p.toml"), InputError);
  EXPECT_THROW(parse_pack_match("energy"), InputError);
  EXPECT_THROW(load_pack("no-such-pack"), InputError);
}

}  // namespace
}  // namespace solidcell::vehicle
