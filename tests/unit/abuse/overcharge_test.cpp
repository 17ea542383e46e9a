// The overcharge test: the EMF past full from the electrodes (continuous at 100 % SOC, lithium plating exactly
// where the graphite host is full), the charge and energy balances of a charged cell with its side reaction, the
// standard's limits ending the charge, the effect of the current, and the GB 38031 test on every built-in cell.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/overcharge_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;
constexpr double lithium_kg_per_mol = 6.941e-3;
const char* const builtin_cells[] = {"liquid-ncm811-graphite", "lgm50", "assb-sulfide-li", "assb-sulfide-anodefree"};

// Inventories take a DFN pulse each: build them once.
const CellInventory& inventory(const std::string& name) {
  static std::map<std::string, CellInventory> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, cell_inventory(cell::load_cell(name))).first;
  return it->second;
}

const ReactionNetwork& network_for(const CellInventory& c) {
  static std::map<std::string, ReactionNetwork> cache;
  const std::string name = default_network_name(c.chemistry);
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, load_reaction_network(name)).first;
  return it->second;
}

// Q times the integral of the EMF over the state of charge (composite Simpson): the energy charged into it.
double emf_energy_J(const CellInventory& c, double soc0, double soc1) {
  const int n = 4000;
  const double h = (soc1 - soc0) / n;
  double sum = c.open_circuit_voltage(soc0) + c.open_circuit_voltage(soc1);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4.0 : 2.0) * c.open_circuit_voltage(soc0 + i * h);
  return sum * h / 3.0 * c.capacity_Ah * constants::seconds_per_hour;
}

double counted_soc(const AbuseResult& r, const CellInventory& c, double soc0) { return soc0 + r.charge_in_Ah / c.capacity_Ah; }

}  // namespace

TEST(Overcharge, ProceduresComeFromTheStandards) {
  const auto gb = load_overcharge_procedure("gb38031-2025");
  EXPECT_DOUBLE_EQ(gb.current_A(30.0), 10.0);  // 1 I3
  ASSERT_TRUE(gb.voltage_limit_factor && gb.soc_limit);
  EXPECT_DOUBLE_EQ(*gb.voltage_limit_factor, 1.1);
  EXPECT_DOUBLE_EQ(*gb.soc_limit, 1.15);
  EXPECT_DOUBLE_EQ(gb.observation_s, 3600.0);
  const auto gbt = load_overcharge_procedure("gbt31485-2015");
  EXPECT_DOUBLE_EQ(gbt.current_A(30.0), 30.0);  // 1 I1
  ASSERT_TRUE(gbt.voltage_limit_factor && gbt.max_charge_s);
  EXPECT_DOUBLE_EQ(*gbt.voltage_limit_factor, 1.5);
  EXPECT_DOUBLE_EQ(*gbt.max_charge_s, 3600.0);
  const auto ul = load_overcharge_procedure("ul1642");
  EXPECT_DOUBLE_EQ(ul.current_A(30.0), 90.0);  // 3 I_c, I_c = 1C
  ASSERT_TRUE(ul.max_charge_input);
  EXPECT_DOUBLE_EQ(*ul.max_charge_input, 2.5);
  EXPECT_DOUBLE_EQ(ul.initial_soc, 0.0);

  // A bad value names the file, the line and the field.
  const std::string file = ::testing::TempDir() + "/bad-overcharge.toml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs("[standard]\nname = \"x\"\n[runaway_criterion]\nvoltage_drop_fraction = 0.25\ntemperature_rise_rate_C_per_s = 1\n"
               "temperature_rise_duration_s = 3\nsource = \"t\"\n[overcharge]\ncurrent_multiple = -1\ncurrent_rate_hours = 3\n"
               "initial_soc = 1\nsoc_limit = 1.15\nobservation_min = 60\nambient_C = 22\nsource = \"t\"\n"
               "[overcharge.environment]\nconvection_W_per_m2_K = 10\nemissivity = 0.8\n",
               f);
    std::fclose(f);
  }
  try {
    load_overcharge_procedure(file);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, file);
    EXPECT_NE(e.where().field.find("overcharge.current_multiple"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 9);
    EXPECT_EQ(e.value(), "-1");
  }
}

TEST(Overcharge, EmfGoesOnPastFullFromTheElectrodes) {
  for (const char* name : builtin_cells) {
    const auto& c = inventory(name);
    ASSERT_TRUE(c.electrodes) << name;
    const auto& e = *c.electrodes;
    // Continuous at 100 % SOC: the design's OCV curve below, the electrodes above.
    EXPECT_NEAR(c.open_circuit_voltage(1.0 + 1e-12), c.open_circuit_voltage(1.0), 1e-9) << name;
    EXPECT_NEAR(e.positive_potential_V(1.0) - e.negative_potential_V(1.0), c.ocv_curve.front().voltage_V, 1e-12) << name;
    // Rising past full: the positive delithiates, and it runs out of lithium where its stoichiometry reaches 0.
    double last = c.open_circuit_voltage(1.0);
    for (double soc = 1.01; soc < e.positive_empty_soc; soc += 0.01) {
      const double v = c.open_circuit_voltage(soc);
      EXPECT_GT(v, last - 1e-9) << name << " at " << soc;
      last = v;
    }
    EXPECT_NEAR(e.positive_stoichiometry(e.positive_empty_soc), 0.0, 1e-12) << name;
    EXPECT_GT(e.positive_potential_V(e.positive_empty_soc) - e.positive_potential_V(e.positive_empty_soc - 0.01), 0.5) << name;  // the wall
    if (e.negative_host) {
      // The host fills: its potential reaches 0 V vs Li at the onset, exactly where its stoichiometry meets the
      // wall of its OCP (to the wall's 4e-4), and no earlier; from there lithium plates, one atom per electron.
      const double onset = e.plating_onset_soc;
      EXPECT_GT(onset, 1.0) << name;
      EXPECT_NEAR(e.negative_stoichiometry(onset), e.negative_wall_stoichiometry, 4e-4) << name;
      EXPECT_LE(e.negative_stoichiometry(onset), e.negative_wall_stoichiometry) << name;
      EXPECT_GT(e.negative_potential_V(onset - 1e-6), 0.0) << name;
      EXPECT_NEAR(e.negative_potential_V(onset - 1e-12), 0.0, 1e-6) << name;
      EXPECT_EQ(e.negative_potential_V(onset), 0.0) << name;
      EXPECT_EQ(e.overcharge_plated_soc(onset - 1e-9), 0.0) << name;
      EXPECT_NEAR(e.overcharge_plated_soc(onset + 0.02), 0.02, 1e-12) << name;
      std::cout << name << ": the graphite host is full and lithium plates from " << 100.0 * onset << " % SOC (x_n "
                << e.negative_stoichiometry(onset) << ")\n";
    } else {
      // Lithium metal: 0 V vs Li at every state of charge, and all charge past full plates.
      EXPECT_EQ(e.negative_potential_V(1.3), 0.0) << name;
      EXPECT_NEAR(e.overcharge_plated_soc(1.1), 0.1, 1e-12) << name;
    }
  }
}

TEST(Overcharge, ConservesChargeAndEnergy) {
  // The GB 38031 test on the liquid and the lithium-metal cell, and a deep overcharge (the UL 1642 charge input
  // from full at 1C) on the liquid cell, where the side reaction takes the charger's current once the positive is
  // empty. Charge: I t = (SOC_end - SOC_0) Q + side charge. Energy: stored heat = reactions + electrical +
  // surroundings; charger energy = EMF energy (Q times the EMF's integral over the SOC, by quadrature) + Joule +
  // side-reaction heat + the side products' energy.
  auto gb = load_overcharge_procedure("gb38031-2025");
  auto deep = gb;
  deep.current_rate_hours = 1.0;
  deep.soc_limit.reset();
  deep.voltage_limit_factor.reset();
  deep.max_charge_input = 0.6;
  deep.observation_s = 600.0;
  struct Case {
    const char* cell;
    const OverchargeProcedure* procedure;
  };
  for (const auto& [name, procedure] : {Case{"liquid-ncm811-graphite", &gb}, Case{"assb-sulfide-li", &gb}, Case{"liquid-ncm811-graphite", &deep}}) {
    const auto& c = inventory(name);
    const auto r = run_overcharge_test(c, network_for(c), *procedure);
    ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
    const double Q = c.capacity_Ah * constants::seconds_per_hour;
    const double soc0 = procedure->initial_soc, soc_end = r.trace.state_of_charge.back();
    const double charge_in = r.charge_in_Ah * constants::seconds_per_hour;
    const double side = r.side_reaction_charge_Ah * constants::seconds_per_hour;
    EXPECT_NEAR(charge_in, (soc_end - soc0) * Q + side, 1e-6 * charge_in) << name;
    EXPECT_GE(side, 0.0) << name;
    double reactions = 0.0;
    for (const auto& [n, kJ] : r.reaction_heat_kJ) reactions += 1000.0 * kJ;
    const double moved = std::abs(reactions) + 1000.0 * (std::abs(r.electrical_heat_kJ) + std::abs(r.heat_from_surroundings_kJ));
    EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * moved) << name;
    // Charger energy, through the terminals (charged in: negative terminal energy).
    const double charger_J = -1000.0 * r.terminal_energy_kJ;
    const double emf_J = emf_energy_J(c, soc0, soc_end);
    const double joule_J = 1000.0 * (r.electrical_heat_kJ - r.side_reaction_heat_kJ);
    const double eq = network_for(c).overcharge->equilibrium_potential_V;
    // The side products' energy is I_s U_eq integrated: U_eq times the side charge.
    const double products_J = eq * side;
    EXPECT_GT(joule_J, 0.0) << name;
    EXPECT_NEAR(charger_J, emf_J + joule_J + 1000.0 * r.side_reaction_heat_kJ + products_J, 1e-5 * charger_J) << name;
    std::cout << fmt::format("{} ({} h charge input {:.2f} C): charger {:.1f} kJ = EMF {:.1f} + Joule {:.2f} + side heat {:.2f} + side products {:.2f}; "
                             "side charge {:.3f} A.h; SOC {:.4f} -> {:.4f}; plated lithium {:.2f} g\n",
                             name, procedure->current_rate_hours, r.charge_in_Ah / c.capacity_Ah, charger_J / 1000, emf_J / 1000, joule_J / 1000,
                             r.side_reaction_heat_kJ, products_J / 1000, r.side_reaction_charge_Ah, soc0, soc_end, r.plated_lithium_g);
    if (procedure == &deep) {
      // Past the positive's wall the charger's current can only go into the side reaction.
      const auto& e = *c.electrodes;
      EXPECT_LT(soc_end, e.positive_empty_soc) << name;
      EXPECT_GT(side, charge_in - (e.positive_empty_soc - soc0) * Q) << name;
      // Lithium plated: from the full host on, at the state of charge reached.
      double soc_max = 0.0;
      for (double s : r.trace.state_of_charge) soc_max = std::max(soc_max, s);
      EXPECT_GT(r.plated_lithium_g, 0.0) << name;
      EXPECT_NEAR(r.plated_lithium_g, 1000.0 * (soc_end - e.plating_onset_soc) * Q / constants::faraday_C_per_mol * lithium_kg_per_mol,
                  1e-9 + 1e-9 * r.plated_lithium_g)
          << name;
    }
  }
}

TEST(Overcharge, TheStandardsLimitEndsTheCharge) {
  const auto gb = load_overcharge_procedure("gb38031-2025");
  for (const char* name : builtin_cells) {
    const auto& c = inventory(name);
    const auto& net = network_for(c);
    const double v_limit = 1.1 * c.charge_voltage_max_V;
    const auto r = run_overcharge_test(c, net, gb);
    ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
    // The voltage at the charge's end, and the largest before it.
    double v_end = 0.0, v_max = 0.0;
    for (std::size_t i = 0; i < r.trace.time_s.size() && r.trace.time_s[i] <= r.charge_end_s; ++i) {
      v_end = r.trace.voltage_V[i];
      v_max = std::max(v_max, v_end);
    }
    const double soc_counted = counted_soc(r, c, 1.0);
    if (r.charge_end == "voltage limit") {
      EXPECT_NEAR(v_end, v_limit, 1e-6 * v_limit) << name;
      EXPECT_LT(soc_counted, 1.15) << name;
    } else {
      ASSERT_EQ(r.charge_end, "state-of-charge limit") << name;
      EXPECT_NEAR(soc_counted, 1.15, 1e-12) << name;
      EXPECT_LT(v_max, v_limit) << name;
      // Independently: the EMF at the reached state of charge plus the ohmic rise stays under the limit.
      const double soc_reached = r.trace.state_of_charge[0] + (1.15 - 1.0) - r.side_reaction_charge_Ah / c.capacity_Ah;
      EXPECT_LT(c.open_circuit_voltage(soc_reached), v_limit) << name;
    }
    std::cout << fmt::format("{}: charge ended at the {} after {:.0f} s, {:.2f} % SOC counted, {:.4f} V (limit {:.3f} V)\n", name, r.charge_end,
                             r.charge_end_s, 100.0 * soc_counted, v_end, v_limit);
    // A tighter voltage limit ends the charge there, at the voltage, before 115 %.
    auto tight = gb;
    tight.voltage_limit_factor = 1.0 + 0.5 * (v_max / c.charge_voltage_max_V - 1.0);
    ASSERT_GT(*tight.voltage_limit_factor, 1.0) << name;
    const auto t = run_overcharge_test(c, net, tight);
    ASSERT_TRUE(t.failure.empty()) << name << ": " << t.failure;
    EXPECT_EQ(t.charge_end, "voltage limit") << name;
    EXPECT_LT(t.charge_end_s, r.charge_end_s) << name;
    double vt = 0.0;
    for (std::size_t i = 0; i < t.trace.time_s.size() && t.trace.time_s[i] <= t.charge_end_s; ++i) vt = t.trace.voltage_V[i];
    EXPECT_NEAR(vt, *tight.voltage_limit_factor * c.charge_voltage_max_V, 1e-6 * v_limit) << name;
  }
}

TEST(Overcharge, AHigherCurrentHeatsTheCellMore) {
  // To the same 115 % the Joule heat grows with the current (I^2 R over a time 1/I) and comes in a shorter time.
  auto p = load_overcharge_procedure("gb38031-2025");
  for (const char* name : {"liquid-ncm811-graphite", "assb-sulfide-li"}) {
    const auto& c = inventory(name);
    double last_peak = 0.0;
    for (double multiple : {1.0, 3.0}) {
      p.current_multiple = multiple;
      const auto r = run_overcharge_test(c, network_for(c), p);
      ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
      std::cout << fmt::format("{}: {:g} I3 -> peak {:.3f} C\n", name, multiple, r.verdict.peak_temperature_K - C0);
      EXPECT_GT(r.verdict.peak_temperature_K, last_peak) << name << " at " << multiple << " I3";
      last_peak = r.verdict.peak_temperature_K;
    }
  }
}

TEST(Overcharge, Gb38031OnEveryBuiltInCell) {
  const auto gb = load_overcharge_procedure("gb38031-2025");
  for (const char* name : builtin_cells) {
    const auto& c = inventory(name);
    const auto r = run_overcharge_test(c, network_for(c), gb);
    ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
    EXPECT_EQ(r.test, "overcharge");
    // Physically necessary: the charge heats the cell (Joule heat), the observation cools it back towards the room,
    // the verdict follows the EUCAR level, and a graphite cell that plated lithium is at least damaged.
    EXPECT_GT(r.verdict.peak_temperature_K, gb.ambient_K) << name;
    EXPECT_LT(r.trace.temperature_K.back(), r.verdict.peak_temperature_K) << name;
    EXPECT_EQ(r.verdict.pass, r.verdict.eucar_level <= 4) << name;
    if (c.electrodes->negative_host && r.plated_lithium_g > 0.0) {
      EXPECT_GE(r.verdict.eucar_level, 2) << name;
    }
    std::cout << fmt::format("GB 38031 overcharge, {}: {} after {:.0f} s ({:.2f} % SOC counted), peak {:.2f} C, side charge {:.2e} A.h, "
                             "plated lithium {:.2f} g, runaway {}, EUCAR {}, {}\n",
                             name, r.charge_end, r.charge_end_s, 100.0 * counted_soc(r, c, 1.0), r.verdict.peak_temperature_K - C0,
                             r.side_reaction_charge_Ah, r.plated_lithium_g, r.verdict.thermal_runaway, r.verdict.eucar_level,
                             r.verdict.pass ? "pass" : "fail");
  }
}

TEST(Overcharge, DeepOverchargeOfGbt31485AndUl1642) {
  // 1C for 1 h from full (GB/T 31485) and 3C for 2.5 capacities from empty (UL 1642) drive every cell past its
  // positive's wall: from there on only the side reaction can take the charger's current, and its heat I (V - U_eq)
  // at about 5 V heats the cell at tens to hundreds of watts. Necessary: the state of charge stays below the wall,
  // the side reaction took at least the charge put in beyond it, and the books balance.
  for (const char* standard : {"gbt31485-2015", "ul1642"}) {
    const auto p = load_overcharge_procedure(standard);
    for (const char* name : builtin_cells) {
      const auto& c = inventory(name);
      const auto r = run_overcharge_test(c, network_for(c), p);
      ASSERT_TRUE(r.failure.empty()) << standard << ", " << name << ": " << r.failure;
      const auto& e = *c.electrodes;
      const double Q = c.capacity_Ah * constants::seconds_per_hour;
      double soc_max = 0.0;
      for (double s : r.trace.state_of_charge) soc_max = std::max(soc_max, s);
      EXPECT_LT(soc_max, e.positive_empty_soc) << standard << ", " << name;
      const double beyond_wall_C = r.charge_in_Ah * constants::seconds_per_hour - (e.positive_empty_soc - p.initial_soc) * Q;
      if (!r.short_onset_s || *r.short_onset_s > r.charge_end_s) {  // a separator short takes the charger's current itself
        EXPECT_GT(r.side_reaction_charge_Ah * constants::seconds_per_hour, beyond_wall_C) << standard << ", " << name;
      }
      // Charge: all of it into the electrodes and the side reaction, unless a separator short drained some.
      const double in_C = r.charge_in_Ah * constants::seconds_per_hour;
      const double kept_C = (r.trace.state_of_charge.back() - p.initial_soc) * Q + r.side_reaction_charge_Ah * constants::seconds_per_hour;
      if (r.short_onset_s) EXPECT_GT(in_C, kept_C) << standard << ", " << name;
      else EXPECT_NEAR(in_C, kept_C, 1e-6 * in_C) << standard << ", " << name;
      double reactions = 0.0;
      for (const auto& [n, kJ] : r.reaction_heat_kJ) reactions += 1000.0 * kJ;
      const double moved = std::abs(reactions) + 1000.0 * (std::abs(r.electrical_heat_kJ) + std::abs(r.heat_from_surroundings_kJ));
      EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * moved) << standard << ", " << name;
      EXPECT_EQ(r.verdict.pass, r.verdict.eucar_level <= 4) << standard << ", " << name;
      double v_peak = 0.0;
      for (double v : r.trace.voltage_V) v_peak = std::max(v_peak, v);
      std::cout << fmt::format("{} overcharge, {}: {} after {:.0f} s ({:.0f} % of capacity in), SOC max {:.1f} % (positive empty at {:.1f} %), "
                               "peak {:.4f} V, side charge {:.2f} A.h, side heat {:.1f} kJ, reactions {:.1f} kJ, plated lithium {:.2f} g, peak {:.1f} C, "
                               "runaway {}{}, EUCAR {}, {}\n",
                               standard, name, r.charge_end, r.charge_end_s, 100.0 * r.charge_in_Ah / c.capacity_Ah, 100.0 * soc_max,
                               100.0 * e.positive_empty_soc, v_peak, r.side_reaction_charge_Ah, r.side_reaction_heat_kJ, reactions / 1000.0,
                               r.plated_lithium_g, r.verdict.peak_temperature_K - C0, r.verdict.thermal_runaway,
                               r.verdict.onset_time_s ? fmt::format(" at {:.0f} s", *r.verdict.onset_time_s) : std::string(), r.verdict.eucar_level,
                               r.verdict.pass ? "pass" : "fail");
      for (const auto& reason : r.verdict.reasons) std::cout << "    " << reason << "\n";
    }
  }
}

}  // namespace solidcell::abuse
