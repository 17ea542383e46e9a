// BPX import, both layouts, against the same cell written in solidcell's TOML.
#include <fstream>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/bpx_import.hpp"
#include "solidcell/cell/design.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {
namespace {

const std::string data = SOLIDCELL_TEST_DATA_DIR;

void expect_same_figures(const DesignFigures& a, const DesignFigures& b, double rel) {
  EXPECT_NEAR(a.capacity_Ah, b.capacity_Ah, rel * b.capacity_Ah);
  EXPECT_NEAR(a.energy_Wh, b.energy_Wh, rel * b.energy_Wh);
  EXPECT_NEAR(a.nominal_voltage_V, b.nominal_voltage_V, rel * b.nominal_voltage_V);
  EXPECT_NEAR(a.mass_kg, b.mass_kg, rel * b.mass_kg);
  EXPECT_NEAR(a.volume_m3, b.volume_m3, rel * b.volume_m3);
  EXPECT_NEAR(a.specific_energy_Wh_per_kg, b.specific_energy_Wh_per_kg, rel * b.specific_energy_Wh_per_kg);
  EXPECT_NEAR(a.energy_density_Wh_per_L, b.energy_density_Wh_per_L, rel * b.energy_density_Wh_per_L);
  EXPECT_NEAR(a.np_ratio, b.np_ratio, rel * b.np_ratio);
}

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(BpxImport, BothLayoutsGiveTheFiguresOfTheEquivalentToml) {
  auto reference = compute_design(load_cell(data + "/lgm50_lumped.toml"));
  auto v0 = import_bpx(data + "/lgm50_bpx_v0.json");
  auto v1 = import_bpx(data + "/lgm50_bpx_v1.json");
  EXPECT_EQ(v0.layout, "0.x");
  EXPECT_EQ(v1.layout, "1.x");
  // The active fraction comes back through a R / 3, so agreement is to rounding, not bit for bit.
  expect_same_figures(compute_design(v0.cell), reference, 1e-9);
  expect_same_figures(compute_design(v1.cell), reference, 1e-9);
}

TEST(BpxImport, CapacityAndEnergyMatchTheBuiltinCylinder) {
  // Same electrochemistry as the built-in lgm50 (whose winding gives the same 0.1027 m2): same Ah and Wh.
  auto bpx = compute_design(import_bpx(data + "/lgm50_bpx_v0.json").cell);
  auto builtin = compute_design(load_cell("lgm50"));
  EXPECT_NEAR(bpx.capacity_Ah, builtin.capacity_Ah, 1e-9 * builtin.capacity_Ah);
  EXPECT_NEAR(bpx.energy_Wh, builtin.energy_Wh, 1e-9 * builtin.energy_Wh);
}

TEST(BpxImport, ReadsBpxFilesThroughLoadCell) {
  auto f = compute_design(load_cell(data + "/lgm50_bpx_v1.json"));
  EXPECT_GE(f.capacity_Ah, 4.8);
  EXPECT_LE(f.capacity_Ah, 5.1);
}

TEST(BpxImport, ListsWhatItDoesNotCarry) {
  auto v0 = import_bpx(data + "/lgm50_bpx_v0.json");
  auto has = [&](const std::string& k) { return std::find(v0.not_carried.begin(), v0.not_carried.end(), k) != v0.not_carried.end(); };
  EXPECT_TRUE(has("Parameterisation/Cell/Specific heat capacity [J.K-1.kg-1]"));
  EXPECT_FALSE(has("Parameterisation/Electrolyte/Conductivity [S.m-1]"));
  EXPECT_FALSE(has("Parameterisation/Positive electrode/Reaction rate constant [mol.m-2.s-1]"));
  EXPECT_FALSE(has("Parameterisation/Positive electrode/Thickness [m]"));
}

TEST(BpxImport, CarriesKineticsTransportAndElectrolyte) {
  auto cell = import_bpx(data + "/lgm50_bpx_v0.json").cell;
  const auto& pos = cell.material(cell.positive.active_material);
  // k = 7.07e-5 mol/m2/s: j0 at x = 0.5 and c_e = c_e0 = 1000 is F k / 2.
  EXPECT_NEAR(*pos.kinetics.exchange_current_density_A_per_m2, 96485.33212 * 7.07e-5 * 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(pos.kinetics.activation_energy_J_per_mol, 17800.0);
  EXPECT_NEAR(*cell.positive.particle_radius_m, 5.22e-6, 1e-18);
  EXPECT_NEAR(cell.positive.bruggeman_exponent, std::log(0.1939) / std::log(0.335), 1e-12);
  const auto& liquid = cell.material(cell.electrolyte->material);
  ASSERT_TRUE(liquid.electrolyte.has_value());
  EXPECT_DOUBLE_EQ(liquid.electrolyte->transference_number, 0.2594);
  EXPECT_NEAR(liquid.electrolyte->conductivity_S_per_m(1000.0), 0.1297 - 2.51 + 3.329, 1e-12);
  EXPECT_DOUBLE_EQ(cell.electrolyte->initial_concentration_mol_per_m3, 1000.0);
}

TEST(BpxImport, Errors) {
  auto v0 = read_text(data + "/lgm50_bpx_v0.json");
  auto err = [&](const std::string& from, const std::string& to) {
    auto text = v0;
    auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    text.replace(pos, from.size(), to);
    auto path = write_temp("solidcell_bad_bpx.json", text);
    return testing::input_error_of([&] { import_bpx(path); });
  };
  EXPECT_NE(err("\"Porosity\": 0.335", "\"Porosity\": 1.335").find("Parameterisation/Positive electrode/Porosity = 1.335: allowed range [0, 0.95]"),
            std::string::npos);
  EXPECT_NE(err("\"Porosity\": 0.335", "\"Porosity\": 0.335, \"Colour\": 1").find("Positive electrode/Colour: unknown BPX key"), std::string::npos);
  EXPECT_NE(err("\"Thickness [m]\": 7.56e-05,", "").find("Positive electrode/Thickness [m]: required BPX field is missing"), std::string::npos);
  EXPECT_NE(err("\"Maximum stoichiometry\": 0.9084", "\"Maximum stoichiometry\": 0.2").find("must exceed \"Minimum stoichiometry\""), std::string::npos);
  EXPECT_NE(err("\"Header\": {", "\"Header\": {,").find("JSON syntax error"), std::string::npos);
  auto line = err("\"Porosity\": 0.335", "\"Porosity\": 1.335");
  // The error names the line of the offending key in the file.
  auto expected_line = 1 + std::count(v0.begin(), v0.begin() + static_cast<long>(v0.find("\"Porosity\": 0.335")), '\n');
  EXPECT_NE(line.find(fmt::format("solidcell_bad_bpx.json:{}:", expected_line)), std::string::npos) << line;
}

TEST(BpxImport, RefusesMixedLayouts) {
  auto v1 = read_text(data + "/lgm50_bpx_v1.json");
  v1.replace(v1.find("\"Reference temperature [K]\""), 0, "\"Ambient temperature [K]\": 298.15, ");
  auto path = write_temp("solidcell_mixed_bpx.json", v1);
  EXPECT_NE(testing::input_error_of([&] { import_bpx(path); }).find("State: a 1.x \"State\" section cannot be combined"), std::string::npos);
}

}  // namespace solidcell::cell
