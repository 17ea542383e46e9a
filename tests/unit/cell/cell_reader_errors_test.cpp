// Bad cell files: each fault gives one InputError naming file:line, the field, the value and what is allowed.
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/design.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {
namespace {

using testing::cell_from_text;
using testing::input_error_of;

std::string builtin_text(const std::string& name) {
  std::ifstream in(builtin_cell_path(name));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The built-in solid-state cell with one line replaced.
std::string edited(const std::string& from, const std::string& to) {
  auto text = builtin_text("assb-sulfide-li");
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

int line_of(const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

std::string error_for(const std::string& text) {
  return input_error_of([&] { cell_from_text(text, "bad.toml"); });
}

}  // namespace

TEST(CellReaderErrors, OutOfRangeValue) {
  auto text = edited("porosity = 0.08", "porosity = 1.5");
  EXPECT_EQ(error_for(text), fmt::format("bad.toml:{}: positive.porosity = 1.5: allowed range [0, 0.95]", line_of(text, "porosity = 1.5")));
}

TEST(CellReaderErrors, FractionsThatDoNotAddUp) {
  auto text = edited("ncm811 = 0.80,", "ncm811 = 0.70,");
  EXPECT_EQ(error_for(text), fmt::format("bad.toml:{}: positive.mass_fractions = 0.9 (sum): fractions of the solids must sum to 1 (within 1e-6)",
                                         line_of(text, "mass_fractions")));
}

TEST(CellReaderErrors, UnknownMaterial) {
  auto text = edited("active_material = \"ncm811\"", "active_material = \"ncm999\"");
  EXPECT_NE(error_for(text).find(fmt::format("bad.toml:{}: positive.active_material = \"ncm999\": unknown material", line_of(text, "ncm999"))),
            std::string::npos);
}

TEST(CellReaderErrors, MaterialInTheWrongPlace) {
  auto text = edited("active_material = \"ncm811\"", "active_material = \"graphite\"");
  EXPECT_NE(error_for(text).find("material has role negative_active, but this place needs positive_active"), std::string::npos);
}

TEST(CellReaderErrors, UnknownKey) {
  auto text = edited("porosity = 0.08", "porosity = 0.08\nporossity = 0.1");
  EXPECT_EQ(error_for(text), fmt::format("bad.toml:{}: positive.porossity: unknown key in [positive] (check the spelling against docs/cell-files.md)",
                                         line_of(text, "porossity")));
}

TEST(CellReaderErrors, MissingField) {
  auto text = edited("lithium_thickness_um = 5.0\n", "");
  EXPECT_EQ(error_for(text), fmt::format("bad.toml:{}: negative.lithium_thickness_um: required field is missing from [negative]",
                                         line_of(text, "[negative]")));
}

TEST(CellReaderErrors, TwoLoadingsAtOnce) {
  auto text = edited("areal_capacity_mAh_per_cm2 = 3.0", "areal_capacity_mAh_per_cm2 = 3.0\nthickness_um = 60.0");
  EXPECT_NE(error_for(text).find("give exactly one of thickness_um, areal_capacity_mAh_per_cm2, areal_mass_loading_mg_per_cm2"), std::string::npos);
}

TEST(CellReaderErrors, WrongType) {
  auto text = edited("unit_cells = 40", "unit_cells = 40.5");
  EXPECT_EQ(error_for(text), fmt::format("bad.toml:{}: pouch.unit_cells = 40.5: must be an integer", line_of(text, "unit_cells")));
}

TEST(CellReaderErrors, VoltageLimitsOutOfOrder) {
  auto text = edited("voltage_max_V = 4.3", "voltage_max_V = 2.0");
  EXPECT_NE(error_for(text).find("cell.voltage_max_V = 2: must exceed voltage_min_V = 2.5"), std::string::npos);
}

TEST(CellReaderErrors, LiquidCellWithoutElectrolyte) {
  auto text = builtin_text("liquid-ncm811-graphite");
  auto start = text.find("[electrolyte]");
  text.erase(start, text.find("[pouch]") - start);
  EXPECT_NE(input_error_of([&] { cell_from_text(text, "bad.toml"); }).find("needs an [electrolyte] table"), std::string::npos);
}

TEST(CellReaderErrors, SyntaxError) {
  auto text = edited("porosity = 0.08", "porosity = = 0.08");
  EXPECT_EQ(error_for(text).rfind(fmt::format("bad.toml:{}: TOML syntax error", line_of(text, "= = 0.08")), 0), 0u);
}

TEST(CellReaderErrors, WindingThatDoesNotFitItsCan) {
  auto text = builtin_text("lgm50");
  text.replace(text.find("electrode_length_mm = 790.0"), 27, "electrode_length_mm = 990.0");
  auto msg = input_error_of([&] { compute_design(cell_from_text(text, "big.toml"), "big.toml"); });
  EXPECT_NE(msg.find(fmt::format("big.toml:{}: cylinder.electrode_length_mm = 990: the winding would be", line_of(text, "[cylinder]"))),
            std::string::npos) << msg;
}

TEST(CellReaderErrors, UnknownBuiltinNameListsTheBuiltins) {
  auto msg = input_error_of([] { load_cell("assb-nonexistent"); });
  EXPECT_NE(msg.find("not a built-in cell (built-ins: assb-sulfide-anodefree, assb-sulfide-li, lgm50, liquid-ncm811-graphite)"), std::string::npos);
}

}  // namespace solidcell::cell
