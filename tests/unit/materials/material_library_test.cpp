#include "solidcell/materials/material_library.hpp"

#include <gtest/gtest.h>

#include "solidcell/base/constants.hpp"

namespace solidcell::materials {
namespace {

Material read(const std::string& text) {
  auto doc = io::parse_toml_text(text, "m.toml");
  return read_material(io::TomlTable(doc, "m.toml", ""), "m");
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const char* active = R"(role = "positive_active"
density_kg_per_m3 = 4800.0
source = "test"
[capacity]
usable_specific_capacity_mAh_per_g = 200.0
stoichiometry_min = 0.3
stoichiometry_max = 0.9
source = "test"
[open_circuit_potential]
value_V = 3.8
source = "test"
)";

}  // namespace

TEST(MaterialLibrary, UsableCapacityDefinesMaximumConcentration) {
  auto m = read(active);
  // c_max = q rho / (F dx): 200 mAh/g = 720000 C/kg.
  double expected = 200.0 * 3.6 / 1e-3 * 4800.0 / constants::faraday_C_per_mol / 0.6;
  EXPECT_NEAR(m.capacity->maximum_concentration_mol_per_m3, expected, 1e-9 * expected);
  EXPECT_NEAR(m.usable_specific_capacity_mAh_per_g(), 200.0, 1e-9);
  EXPECT_DOUBLE_EQ(m.open_circuit_potential_V(0.5), 3.8);
}

TEST(MaterialLibrary, LithiumMetalCapacityFollowsFromDensity) {
  auto lib = MaterialLibrary::builtin();
  const auto* li = lib.find("lithium");
  ASSERT_NE(li, nullptr);
  // 3861 mAh/g (F / M_Li) and 2061 mAh/cm3: textbook values for lithium metal.
  EXPECT_NEAR(li->usable_specific_capacity_mAh_per_g(), 3861.0, 1.0);
  EXPECT_NEAR(li->capacity->maximum_concentration_mol_per_m3 * constants::faraday_C_per_mol / 3.6 / 1e6, 2061.0, 2.0);
}

TEST(MaterialLibrary, BuiltinsAllCarrySources) {
  auto lib = MaterialLibrary::builtin();
  EXPECT_GE(lib.names().size(), 15u);
  for (const auto& name : lib.names()) {
    const auto& m = *lib.find(name);
    EXPECT_FALSE(m.source.empty()) << name;
    ASSERT_TRUE(m.density_kg_per_m3.has_value()) << name;
    if (m.is_active()) {
      EXPECT_FALSE(m.capacity->source.empty()) << name;
      EXPECT_FALSE(m.open_circuit_potential_source.empty()) << name;
    }
  }
}

TEST(MaterialLibrary, RefusesBadMaterials) {
  EXPECT_EQ(error_of("role = \"glue\"\ndensity_kg_per_m3 = 1000.0\nsource = \"x\"\n").substr(0, 23), "m.toml:1: role = \"glue\"");
  // A density typed in g/cm3 is caught by the range.
  EXPECT_EQ(error_of("role = \"binder\"\ndensity_kg_per_m3 = 1.78\nsource = \"x\"\n"),
            "m.toml:2: density_kg_per_m3 = 1.78: allowed range [100, 25000]");
  EXPECT_EQ(error_of("role = \"binder\"\ndensity_kg_per_m3 = 1780.0\n"), "m.toml:1: source: required field is missing");
  std::string no_window = active;
  no_window.replace(no_window.find("stoichiometry_max = 0.9"), 23, "stoichiometry_max = 0.2");
  EXPECT_EQ(error_of(no_window), "m.toml:7: capacity.stoichiometry_max = 0.2: must exceed stoichiometry_min = 0.3");
  std::string bad_ocp = active;
  bad_ocp.replace(bad_ocp.find("value_V = 3.8"), 13, "expression_V = \"4.2 - tanh(x\"");
  EXPECT_NE(error_of(bad_ocp).find("open_circuit_potential.expression_V"), std::string::npos);
  std::string silly_ocp = active;
  silly_ocp.replace(silly_ocp.find("value_V = 3.8"), 13, "expression_V = \"4200*x\"");
  EXPECT_NE(error_of(silly_ocp).find("evaluates to 210 V at x = 0.05"), std::string::npos);
}

}  // namespace solidcell::materials
