// The built-in cells against the figures they are meant to reach, and the design sensitivities that the
// literature reports (thicker separators and more lithium excess cost energy density).
#include <gtest/gtest.h>

#include "solidcell/cell/design.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {

TEST(BuiltinCells, AllFourLoad) {
  auto names = builtin_cell_names();
  for (const char* n : {"assb-sulfide-li", "assb-sulfide-anodefree", "liquid-ncm811-graphite", "lgm50"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(BuiltinCells, LgM50CapacityMatchesTheDatasheet) {
  // LG M50: 5.0 Ah nominal, 4.85 Ah minimum (datasheet); Chen 2020's windows give the negative-limited value.
  auto f = compute_design(load_cell("lgm50"));
  EXPECT_GE(f.capacity_Ah, 4.8);
  EXPECT_LE(f.capacity_Ah, 5.1);
  EXPECT_EQ(f.limiting_electrode, "negative");
  // 21 x 70 mm: 24.2 cm3 (PyBaMM's Chen2020 cell volume 2.42e-5 m3); M50 cells weigh 67.5-70 g (LG datasheets).
  EXPECT_NEAR(f.volume_m3, 2.42e-5, 0.01e-5);
  EXPECT_GE(f.mass_kg, 0.0665);
  EXPECT_LE(f.mass_kg, 0.0700);
  // Open-circuit voltage at full charge is the 4.2 V cut-off of the cell, within the fit's accuracy.
  EXPECT_NEAR(f.ocv_at_100_soc_V, 4.2, 0.02);
}

TEST(BuiltinCells, SolidStateDesignReachesTheAnnouncedClass) {
  auto f = compute_design(load_cell("assb-sulfide-li"));
  EXPECT_GE(f.specific_energy_Wh_per_kg, 330.0);
  EXPECT_LE(f.specific_energy_Wh_per_kg, 370.0);
  EXPECT_GE(f.energy_density_Wh_per_L, 750.0);
  EXPECT_LE(f.energy_density_Wh_per_L, 850.0);
  EXPECT_EQ(f.limiting_electrode, "positive");
}

TEST(BuiltinCells, LiquidBaselineIsTodaysMassProduction) {
  auto f = compute_design(load_cell("liquid-ncm811-graphite"));
  EXPECT_GE(f.specific_energy_Wh_per_kg, 240.0);
  EXPECT_LE(f.specific_energy_Wh_per_kg, 280.0);
  // Electrolyte of mass-production cells: about 1-2 g/Ah (ID.3 0.95 g/Ah, BatPaC-class designs 2 g/Ah).
  double electrolyte_kg = 0.0;
  for (const auto& e : f.breakdown)
    if (e.component == "electrolyte") electrolyte_kg = e.mass_kg;
  EXPECT_GE(electrolyte_kg * 1e3 / f.capacity_Ah, 0.9);
  EXPECT_LE(electrolyte_kg * 1e3 / f.capacity_Ah, 2.2);
}

TEST(BuiltinCells, AnodeFreeGainsOverLithiumExcess) {
  auto li = compute_design(load_cell("assb-sulfide-li"));
  auto af = compute_design(load_cell("assb-sulfide-anodefree"));
  EXPECT_NEAR(af.capacity_Ah, li.capacity_Ah, 1e-12);
  EXPECT_GT(af.specific_energy_Wh_per_kg, li.specific_energy_Wh_per_kg);
  EXPECT_GT(af.energy_density_Wh_per_L, li.energy_density_Wh_per_L);
}

TEST(BuiltinCells, ThickerSeparatorLowersBothFigures) {
  auto base = load_cell("assb-sulfide-li");
  auto f0 = compute_design(base);
  auto thick = base;
  thick.separator.layer.thickness_m += 10e-6;
  auto f1 = compute_design(thick);
  EXPECT_LT(f1.specific_energy_Wh_per_kg, f0.specific_energy_Wh_per_kg);
  EXPECT_LT(f1.energy_density_Wh_per_L, f0.energy_density_Wh_per_L);
  // Shared notes (assb-physics.md 3.2) estimate -16 Wh/kg and -46 Wh/L per +10 um around a similar design.
  EXPECT_NEAR(f1.specific_energy_Wh_per_kg - f0.specific_energy_Wh_per_kg, -16.0, 8.0);
  EXPECT_NEAR(f1.energy_density_Wh_per_L - f0.energy_density_Wh_per_L, -46.0, 15.0);
}

TEST(BuiltinCells, MoreLithiumExcessLowersBothFigures) {
  auto base = load_cell("assb-sulfide-li");
  auto f0 = compute_design(base);
  auto more = base;
  more.negative.lithium_foil_thickness_m += 10e-6;
  auto f1 = compute_design(more);
  EXPECT_LT(f1.specific_energy_Wh_per_kg, f0.specific_energy_Wh_per_kg);
  EXPECT_LT(f1.energy_density_Wh_per_L, f0.energy_density_Wh_per_L);
  EXPECT_NEAR(f1.energy_density_Wh_per_L - f0.energy_density_Wh_per_L, -46.0, 15.0);
  EXPECT_NEAR(f1.capacity_Ah, f0.capacity_Ah, 1e-12);  // excess lithium adds no capacity
  EXPECT_GT(f1.np_ratio, f0.np_ratio);
}

TEST(BuiltinCells, LithiumExcessCoversTheFirstCycleLoss) {
  auto base = load_cell("assb-sulfide-li");
  auto lossy = base;
  lossy.negative.first_cycle_loss_fraction = 0.05;  // smaller than the 5 um (about 1 mAh/cm2) excess of 3 mAh/cm2
  EXPECT_NEAR(compute_design(lossy).capacity_Ah, compute_design(base).capacity_Ah, 1e-12);
  auto af = load_cell("assb-sulfide-anodefree");
  auto af_lossy = af;
  af_lossy.negative.first_cycle_loss_fraction = 0.05;
  EXPECT_NEAR(compute_design(af_lossy).capacity_Ah, 0.95 * compute_design(af).capacity_Ah, 1e-9);
}

}  // namespace solidcell::cell
