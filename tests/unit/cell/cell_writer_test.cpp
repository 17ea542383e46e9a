// A cell written as TOML reads back as the same cell: same design figures, to the last digit, and the same
// degradation tables (SEI, plating, loss of active material, solid-state fade with its ranges), so it ages the same.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/bpx_import.hpp"
#include "solidcell/cell/cell_writer.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "test_cells.hpp"

namespace solidcell::cell {
namespace {

Cell write_and_read(const Cell& cell, const std::string& name) {
  auto doc = io::parse_toml_text(write_cell_toml(cell), name + ".written.toml");
  // No material library: the written file must carry every material itself.
  return read_cell_toml(doc, name + ".written.toml", materials::MaterialLibrary());
}

// Exact equality: the writer prints round-trip numbers and converts units so that they read back to the same double.
void expect_same(const ActiveMaterialLossProperties& a, const ActiveMaterialLossProperties& b, const std::string& what) {
  EXPECT_EQ(a.youngs_modulus_Pa, b.youngs_modulus_Pa) << what;
  EXPECT_EQ(a.poissons_ratio, b.poissons_ratio) << what;
  EXPECT_EQ(a.partial_molar_volume_m3_per_mol, b.partial_molar_volume_m3_per_mol) << what;
  EXPECT_EQ(a.critical_stress_Pa, b.critical_stress_Pa) << what;
  EXPECT_EQ(a.proportional_rate_per_s, b.proportional_rate_per_s) << what;
  EXPECT_EQ(a.exponent, b.exponent) << what;
  EXPECT_EQ(a.reaction_factor_m3_per_mol, b.reaction_factor_m3_per_mol) << what;
  EXPECT_EQ(a.source, b.source) << what;
}

void expect_same(const SeiProperties& a, const SeiProperties& b, const std::string& what) {
  EXPECT_EQ(a.initial_thickness_m, b.initial_thickness_m) << what;
  EXPECT_EQ(a.partial_molar_volume_m3_per_mol, b.partial_molar_volume_m3_per_mol) << what;
  EXPECT_EQ(a.exchange_current_density_A_per_m2, b.exchange_current_density_A_per_m2) << what;
  EXPECT_EQ(a.resistivity_ohm_m, b.resistivity_ohm_m) << what;
  EXPECT_EQ(a.solvent_diffusivity_m2_per_s, b.solvent_diffusivity_m2_per_s) << what;
  EXPECT_EQ(a.bulk_solvent_concentration_mol_per_m3, b.bulk_solvent_concentration_mol_per_m3) << what;
  EXPECT_EQ(a.open_circuit_potential_V, b.open_circuit_potential_V) << what;
  EXPECT_EQ(a.activation_energy_J_per_mol, b.activation_energy_J_per_mol) << what;
  EXPECT_EQ(a.transfer_coefficient, b.transfer_coefficient) << what;
  EXPECT_EQ(a.lithium_per_sei, b.lithium_per_sei) << what;
  EXPECT_EQ(a.source, b.source) << what;
}

void expect_same(const PlatingProperties& a, const PlatingProperties& b, const std::string& what) {
  EXPECT_EQ(a.kinetic_rate_constant_m_per_s, b.kinetic_rate_constant_m_per_s) << what;
  EXPECT_EQ(a.transfer_coefficient, b.transfer_coefficient) << what;
  EXPECT_EQ(a.lithium_partial_molar_volume_m3_per_mol, b.lithium_partial_molar_volume_m3_per_mol) << what;
  EXPECT_EQ(a.initial_concentration_mol_per_m3, b.initial_concentration_mol_per_m3) << what;
  EXPECT_EQ(a.dead_lithium_decay_constant_per_s, b.dead_lithium_decay_constant_per_s) << what;
  EXPECT_EQ(a.activation_energy_J_per_mol, b.activation_energy_J_per_mol) << what;
  EXPECT_EQ(a.source, b.source) << what;
}

void expect_same(const SolidStateDegradation& a, const SolidStateDegradation& b, const std::string& what) {
  EXPECT_EQ(a.stack_pressure_Pa, b.stack_pressure_Pa) << what;
  EXPECT_EQ(a.source, b.source) << what;
  EXPECT_EQ(a.cei_initial_thickness_m, b.cei_initial_thickness_m) << what;
  EXPECT_EQ(a.cei_rate_constant_m2_per_s, b.cei_rate_constant_m2_per_s) << what;
  EXPECT_EQ(a.cei_activation_energy_J_per_mol, b.cei_activation_energy_J_per_mol) << what;
  EXPECT_EQ(a.cei_onset_potential_V, b.cei_onset_potential_V) << what;
  EXPECT_EQ(a.cei_potential_factor, b.cei_potential_factor) << what;
  EXPECT_EQ(a.cei_resistivity_ohm_m, b.cei_resistivity_ohm_m) << what;
  EXPECT_EQ(a.cei_lithium_mol_per_m3, b.cei_lithium_mol_per_m3) << what;
  EXPECT_EQ(a.cei_source, b.cei_source) << what;
  EXPECT_EQ(a.cam_volume_change, b.cam_volume_change) << what;
  EXPECT_EQ(a.cam_shrink_onset_stoichiometry, b.cam_shrink_onset_stoichiometry) << what;
  EXPECT_EQ(a.cam_shrink_end_stoichiometry, b.cam_shrink_end_stoichiometry) << what;
  EXPECT_EQ(a.contact_critical_strain, b.contact_critical_strain) << what;
  EXPECT_EQ(a.contact_loss_per_strain, b.contact_loss_per_strain) << what;
  EXPECT_EQ(a.contact_pressure_exponent, b.contact_pressure_exponent) << what;
  EXPECT_EQ(a.contact_reference_pressure_Pa, b.contact_reference_pressure_Pa) << what;
  EXPECT_EQ(a.contact_source, b.contact_source) << what;
  EXPECT_EQ(a.coulombic_efficiency, b.coulombic_efficiency) << what;
  EXPECT_EQ(a.lithium_source, b.lithium_source) << what;
  EXPECT_EQ(a.void_critical_current_A_per_m2, b.void_critical_current_A_per_m2) << what;
  EXPECT_EQ(a.void_reference_pressure_Pa, b.void_reference_pressure_Pa) << what;
  EXPECT_EQ(a.void_pressure_exponent, b.void_pressure_exponent) << what;
  EXPECT_EQ(a.void_loss_per_charge_m2_per_C, b.void_loss_per_charge_m2_per_C) << what;
  EXPECT_EQ(a.void_source, b.void_source) << what;
  EXPECT_EQ(a.ccd_A_per_m2, b.ccd_A_per_m2) << what;
  EXPECT_EQ(a.ccd_reference_pressure_Pa, b.ccd_reference_pressure_Pa) << what;
  EXPECT_EQ(a.ccd_pressure_exponent, b.ccd_pressure_exponent) << what;
  EXPECT_EQ(a.ccd_activation_energy_J_per_mol, b.ccd_activation_energy_J_per_mol) << what;
  EXPECT_EQ(a.short_source, b.short_source) << what;
  EXPECT_EQ(a.ranges, b.ranges) << what;
}

// Both absent, or both present and equal; counts the tables compared.
template <class T>
void expect_same(const std::optional<T>& a, const std::optional<T>& b, const std::string& what, int& compared) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what;
  if (!a) return;
  expect_same(*a, *b, what);
  ++compared;
}

}  // namespace

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

TEST(CellWriter, EveryBuiltinKeepsItsDegradationTables) {
  int sei = 0, plating = 0, positive_lam = 0, negative_lam = 0, degradation = 0, voids = 0, shorts = 0;
  for (const auto& name : builtin_cell_names()) {
    auto original = load_cell(name);
    auto reread = write_and_read(original, name);
    expect_same(original.negative.sei, reread.negative.sei, name + " [negative.sei]", sei);
    expect_same(original.negative.plating, reread.negative.plating, name + " [negative.plating]", plating);
    expect_same(original.positive.active_material_loss, reread.positive.active_material_loss,
                name + " [positive.active_material_loss]", positive_lam);
    ASSERT_EQ(original.negative.composite.has_value(), reread.negative.composite.has_value()) << name;
    if (original.negative.composite) {
      expect_same(original.negative.composite->active_material_loss, reread.negative.composite->active_material_loss,
                  name + " [negative.active_material_loss]", negative_lam);
    }
    expect_same(original.degradation, reread.degradation, name + " [degradation]", degradation);
    if (original.degradation && original.degradation->void_critical_current_A_per_m2 > 0.0) ++voids;
    if (original.degradation && original.degradation->ccd_A_per_m2 > 0.0) ++shorts;
  }
  // The built-ins hold every table at least once, so none of the comparisons above is vacuous.
  EXPECT_GT(sei, 0);
  EXPECT_GT(plating, 0);
  EXPECT_GT(positive_lam, 0);
  EXPECT_GT(negative_lam, 0);
  EXPECT_GT(degradation, 0);
  EXPECT_GT(voids, 0);
  EXPECT_GT(shorts, 0);
}

// Values whose unit conversion does not invert exactly (492.8 nm is 4.928e-7 m, and 4.928e-7 / 1e-9 prints as
// 492.80000000000007) are written as the file had them, read back to the same double, and stay inside a range whose
// end they sit on (61.93 mA/cm2 is 619.3 A/m2, and 619.3 / 10 is 61.92999999999999, below 61.93).
TEST(CellWriter, DegradationValuesReadBackExactlyAfterUnitConversion) {
  auto cell = load_cell("assb-sulfide-li");
  ASSERT_TRUE(cell.degradation.has_value());
  auto& g = *cell.degradation;
  g.cei_initial_thickness_m = 492.8 * 1e-9;  // what the reader makes of 492.8 nm
  g.ccd_A_per_m2 = 61.93 * 10.0;
  g.ranges["short.critical_current_density_mA_per_cm2"] = {61.93, 80.0};
  const auto text = write_cell_toml(cell);
  EXPECT_NE(text.find("initial_thickness_nm = 492.8\n"), std::string::npos) << text;
  EXPECT_NE(text.find("critical_current_density_mA_per_cm2 = 61.93\ncritical_current_density_mA_per_cm2_range = [61.93, 80.0]\n"),
            std::string::npos)
      << text;
  auto reread = write_and_read(cell, "converted");
  ASSERT_TRUE(reread.degradation.has_value());
  EXPECT_EQ(reread.degradation->cei_initial_thickness_m, g.cei_initial_thickness_m);
  EXPECT_EQ(reread.degradation->ccd_A_per_m2, g.ccd_A_per_m2);
  EXPECT_EQ(reread.degradation->ranges, g.ranges);
}

// A written-and-read LG M50 ages as the original: SEI, partially reversible plating and stress-driven LAM over two
// fast-charge cycles on a coarse mesh.
TEST(CellWriter, WrittenLgm50AgesAsTheOriginal) {
  ageing::AgeingSetup setup;
  setup.plating = "partially reversible";
  setup.lam = "stress-driven";
  setup.mesh = 5;
  const auto cycle = experiment::parse_experiment("Discharge at 1C until 2.5 V, Rest for 10 minutes, Charge at 2C until 4.2 V, Hold at 4.2 V until C/10");
  ageing::CycleStudyOptions options;
  options.cycles = 2;
  auto original = load_cell("lgm50");
  auto reread = write_and_read(original, "lgm50");
  auto a_cell = ageing::make_ageing_cell(original, "lgm50", setup);
  auto b_cell = ageing::make_ageing_cell(reread, "lgm50.written.toml", setup);
  EXPECT_EQ(ageing::degradation_description(*a_cell), ageing::degradation_description(*b_cell));
  auto a = ageing::run_cycle_study(*a_cell, cycle, options);
  auto b = ageing::run_cycle_study(*b_cell, cycle, options);
  ASSERT_EQ(a.cycles.size(), 2u) << a.stopped;
  ASSERT_EQ(b.cycles.size(), 2u) << b.stopped;
  auto near = [](double x, double y) { return std::abs(x - y) <= 1e-12 * std::max(std::abs(x), std::abs(y)); };
  for (std::size_t i = 0; i < a.cycles.size(); ++i) {
    const auto& x = a.cycles[i];
    const auto& y = b.cycles[i];
    EXPECT_PRED2(near, x.discharge_capacity_Ah, y.discharge_capacity_Ah) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.lithium_lost_to_sei_mol, y.lithium_lost_to_sei_mol) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.sei_thickness_m, y.sei_thickness_m) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.plated_lithium_mol, y.plated_lithium_mol) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.dead_lithium_mol, y.dead_lithium_mol) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.negative_active_fraction, y.negative_active_fraction) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.positive_active_fraction, y.positive_active_fraction) << "cycle " << x.cycle;
    EXPECT_PRED2(near, x.lithium_lost_to_active_material_loss_mol, y.lithium_lost_to_active_material_loss_mol) << "cycle " << x.cycle;
  }
  // The mechanisms were on: the comparison is of ageing, not of a fresh cell.
  EXPECT_GT(a.cycles.back().lithium_lost_to_sei_mol, 0.0);
  EXPECT_GT(a.cycles.back().plated_lithium_mol + a.cycles.back().dead_lithium_mol, 0.0);
  EXPECT_LT(a.cycles.back().negative_active_fraction, a.cycles.front().negative_active_fraction);
}

TEST(CellWriter, BpxCellRoundTrips) {
  auto imported = import_bpx(std::string(SOLIDCELL_TEST_DATA_DIR) + "/lgm50_bpx_v0.json").cell;
  auto doc = io::parse_toml_text(write_cell_toml(imported), "bpx.toml");
  auto reread = read_cell_toml(doc, "bpx.toml", materials::MaterialLibrary());
  EXPECT_DOUBLE_EQ(compute_design(imported).energy_Wh, compute_design(reread).energy_Wh);
}

}  // namespace solidcell::cell
