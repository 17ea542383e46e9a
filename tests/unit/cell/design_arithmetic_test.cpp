// The design arithmetic on a stack small enough to compute by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/design.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {
namespace {

using testing::cell_from_text;

// Two unit cells of 100 x 50 mm; a constant-OCP active material so that the energy is Q x 4 V.
const char* hand_stack = R"(
[materials.pos]
role = "positive_active"
density_kg_per_m3 = 5000.0
source = "hand example"
[materials.pos.capacity]
maximum_concentration_mol_per_m3 = 50000.0
stoichiometry_min = 0.2
stoichiometry_max = 0.9
source = "hand example"
[materials.pos.open_circuit_potential]
value_V = 4.0
source = "hand example"
[materials.se]
role = "solid_electrolyte"
density_kg_per_m3 = 2000.0
source = "hand example"

[cell]
name = "hand"
chemistry = "solid-state"
format = "pouch"
voltage_min_V = 3.0
voltage_max_V = 4.3
source = "hand example"

[positive]
active_material = "pos"
volume_fractions = { pos = 0.75, se = 0.25 }
porosity = 0.2
thickness_um = 100.0
source = "hand"

[separator]
kind = "solid_electrolyte"
volume_fractions = { se = 1.0 }
thickness_um = 20.0
porosity = 0.0
source = "hand"

[negative]
kind = "lithium_metal"
lithium_thickness_um = 10.0
source = "hand"

[current_collectors]
positive_thickness_um = 10.0
negative_thickness_um = 10.0
source = "hand"

[pouch]
electrode_length_mm = 100.0
electrode_width_mm = 50.0
unit_cells = 2
separator_overhang_mm = 0.0
negative_overhang_mm = 0.0
laminate_thickness_um = 100.0
side_seal_width_mm = 0.0
end_seal_width_mm = 0.0
tab_mass_g = 1.0
other_mass_g = 0.0
source = "hand"
)";

constexpr double F = 96485.33212;

TEST(DesignArithmetic, HandComputedPouchStack) {
  auto f = compute_design(cell_from_text(hand_stack));
  // Facing area 2 x 0.1 x 0.05 = 0.01 m2; active volume 0.01 x 100e-6 x 0.8 x 0.75 = 6e-7 m3.
  double moles_cycled = 6e-7 * 50000.0 * (0.9 - 0.2);  // 0.021 mol
  double capacity_Ah = moles_cycled * F / 3600.0;
  EXPECT_NEAR(f.capacity_Ah, capacity_Ah, 1e-12);
  EXPECT_NEAR(f.energy_Wh, 4.0 * capacity_Ah, 1e-9);
  EXPECT_NEAR(f.nominal_voltage_V, 4.0, 1e-12);
  EXPECT_NEAR(f.areal_capacity_mAh_per_cm2, capacity_Ah * 1000.0 / 100.0, 1e-12);  // 0.01 m2 = 100 cm2

  // Masses in kg: cathode active + SE, separator, lithium, one Al foil, two Cu foils, laminate, tabs.
  double mass = 6e-7 * 5000.0 + 2e-7 * 2000.0 + 0.01 * 20e-6 * 2000.0 + 0.01 * 10e-6 * 534.0 + 1 * 5e-3 * 10e-6 * 2700.0 +
                2 * 5e-3 * 10e-6 * 8960.0 + 2 * 5e-3 * 100e-6 * 1405.0 + 1e-3;
  EXPECT_NEAR(f.mass_kg, mass, 1e-15);

  // Full charge plates 0.021 mol of lithium on 0.01 m2: 2.1 mol/m2 x M/rho.
  double plated = 2.1 * 6.941e-3 / 534.0;
  EXPECT_NEAR(f.plated_lithium_thickness_m, plated, 1e-15);
  double stack_discharged = 2 * (100e-6 + 20e-6 + 10e-6) + 10e-6 + 2 * 10e-6;
  EXPECT_NEAR(f.stack_thickness_discharged_m, stack_discharged, 1e-15);
  EXPECT_NEAR(f.stack_thickness_charged_m, stack_discharged + 2 * plated, 1e-15);
  EXPECT_NEAR(f.volume_m3, 0.1 * 0.05 * (stack_discharged + 2 * plated + 2 * 100e-6), 1e-18);

  EXPECT_NEAR(f.specific_energy_Wh_per_kg, 4.0 * capacity_Ah / mass, 1e-9);
  EXPECT_NEAR(f.energy_density_Wh_per_L, 4.0 * capacity_Ah / (f.volume_m3 * 1000.0), 1e-9);
  // N/P of a lithium-metal cell: (excess + cathode lithium) / cathode lithium.
  double excess_Ah = 0.01 * 10e-6 * 534.0 / 6.941e-3 * F / 3600.0;
  EXPECT_NEAR(f.np_ratio, (capacity_Ah + excess_Ah) / capacity_Ah, 1e-12);
  EXPECT_NEAR(f.lithium_inventory_Ah, capacity_Ah + excess_Ah, 1e-12);
}

TEST(DesignArithmetic, BreakdownAddsUpToTheCell) {
  for (const auto& name : builtin_cell_names()) {
    auto f = compute_design(load_cell(name));
    double m = 0.0, v = 0.0;
    for (const auto& e : f.breakdown) {
      EXPECT_GE(e.mass_kg, 0.0) << name << " " << e.component;
      EXPECT_GE(e.volume_m3, -1e-15) << name << " " << e.component;
      m += e.mass_kg;
      v += e.volume_m3;
    }
    EXPECT_NEAR(m, f.mass_kg, 1e-12 * f.mass_kg) << name;
    EXPECT_NEAR(v, f.volume_m3, 1e-12 * f.volume_m3) << name;
  }
}

TEST(DesignArithmetic, PlatingTakesFourPointEightFiveMicronsPerMilliampHourPerSquareCentimetre) {
  auto f = compute_design(load_cell("assb-sulfide-anodefree"));
  EXPECT_NEAR(f.plated_lithium_thickness_m / f.areal_capacity_mAh_per_cm2, 4.85e-6, 0.005e-6);
  EXPECT_NEAR(f.lithium_inventory_Ah, f.capacity_Ah, 1e-12);  // anode-free: the cathode's lithium is all there is
  EXPECT_DOUBLE_EQ(f.np_ratio, 1.0);
}

TEST(DesignArithmetic, ThicknessFromArealCapacityAndMassLoadingAgree) {
  // 3 mAh/cm2 of a 200 mAh/g material at 80 wt% is 18.75 mg/cm2 of composite: both inputs, one layer.
  std::string base = R"(
[cell]
name = "x"
chemistry = "solid-state"
format = "pouch"
voltage_min_V = 2.5
voltage_max_V = 4.25
source = "s"
[positive]
active_material = "ncm811"
mass_fractions = { ncm811 = 0.8, li6ps5cl = 0.2 }
porosity = 0.1
LOADING
source = "s"
[separator]
kind = "solid_electrolyte"
mass_fractions = { li6ps5cl = 1.0 }
thickness_um = 30.0
porosity = 0.0
source = "s"
[negative]
kind = "anode_free"
source = "s"
[current_collectors]
positive_thickness_um = 12.0
negative_thickness_um = 10.0
source = "s"
[pouch]
electrode_length_mm = 100.0
electrode_width_mm = 100.0
unit_cells = 2
separator_overhang_mm = 0.0
negative_overhang_mm = 0.0
laminate_thickness_um = 100.0
side_seal_width_mm = 0.0
end_seal_width_mm = 0.0
tab_mass_g = 0.0
other_mass_g = 0.0
source = "s"
)";
  auto with = [&](const std::string& loading) {
    auto text = base;
    text.replace(text.find("LOADING"), 7, loading);
    return cell_from_text(text);
  };
  auto by_capacity = with("areal_capacity_mAh_per_cm2 = 3.0");
  auto by_mass = with("areal_mass_loading_mg_per_cm2 = 18.75");
  EXPECT_NEAR(by_capacity.positive.thickness_m, by_mass.positive.thickness_m, 1e-12);
  auto f = compute_design(by_capacity);
  EXPECT_NEAR(f.areal_capacity_mAh_per_cm2, 3.0, 1e-12);
  auto by_thickness = with(fmt::format("thickness_um = {}", by_capacity.positive.thickness_m * 1e6));
  EXPECT_NEAR(compute_design(by_thickness).capacity_Ah, f.capacity_Ah, 1e-9);
}

}  // namespace
}  // namespace solidcell::cell
