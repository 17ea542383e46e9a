// The external short: the transport limit against its closed form and against the DFN's electrolyte depletion;
// the lumped circuit's current and Joule heat against the isothermal DFN under resistance control; the
// standard's procedure (reader errors, energy conservation, the built-in cells' verdicts).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <cstdio>
#include <limits>

#include <gtest/gtest.h>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/external_short_test.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/abuse/transport_limit.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::abuse {
namespace {

constexpr double C0 = 273.15;
constexpr double F = 96485.33212;

// The isothermal DFN discharging through a resistor (ControlKind::resistance) from `soc` for `duration` s, or until
// the salt runs out somewhere (below 1 mol/m3).
struct DfnShort {
  std::vector<double> t, current, voltage, discharged_Ah;
  bool depleted = false;
};

DfnShort dfn_short(const cell::Cell& c, double resistance, double duration, double soc) {
  auto p = electrochem::model_parameters(c);
  p.thermal.reset();
  auto model = electrochem::make_model("dfn", p);
  model->set_control(electrochem::Control{electrochem::ControlKind::resistance, resistance, {}});
  auto y = model->initial_state(soc);
  std::vector<double> yp;
  model->guess_current(y.data(), model->open_circuit_voltage(y.data()) / resistance);
  auto solver = numerics::make_integrator(numerics::IntegratorKind::ida, *model, numerics::IntegratorOptions{1e-7});
  const bool liquid = std::isfinite(model->minimum_electrolyte_concentration(y.data()));
  solver->set_events(liquid ? 1 : 0, [&](double, const double* yy, double* g) {
    if (liquid) g[0] = model->minimum_electrolyte_concentration(yy) - 1.0;
  });
  double t = 0.0;
  solver->start(t, y, yp);
  DfnShort s;
  auto record = [&] {
    s.t.push_back(t);
    s.current.push_back(model->current(y.data()));
    s.voltage.push_back(model->voltage(y.data()));
    s.discharged_Ah.push_back(model->discharge_capacity_Ah(y.data()));
  };
  record();
  while (true) {
    const auto outcome = solver->step(duration, t, y, yp);
    record();
    if (outcome == numerics::DaeIntegrator::Outcome::event) s.depleted = true;
    if (outcome != numerics::DaeIntegrator::Outcome::step) break;
  }
  return s;
}

// Trapezoid integral of f(k) over the rows up to time `until`.
template <class Fn>
double integral(const std::vector<double>& t, double until, Fn f) {
  double sum = 0.0;
  for (std::size_t k = 1; k < t.size() && t[k - 1] < until; ++k) sum += 0.5 * (f(k) + f(k - 1)) * (std::min(t[k], until) - t[k - 1]);
  return sum;
}

// Seconds the DFN carries a constant current before its salt runs out (the run's duration if it never does).
double seconds_to_depletion(const cell::Cell& c, double amperes, double duration) {
  auto p = electrochem::model_parameters(c);
  p.thermal.reset();
  auto model = electrochem::make_model("dfn", p);
  experiment::SimulationOptions o;
  o.initial_soc = 1.0;
  o.cutoff_margin_V = 2.4;  // let the voltage fall: depletion, not the window, must end the step
  const auto s = experiment::run_experiment(*model, experiment::parse_experiment("Discharge at " + std::to_string(amperes) + " A for " +
                                                                                 std::to_string(duration) + " seconds"),
                                            o);
  return s.time_s.back();
}

ReactionNetwork no_chemistry(const std::string& chemistry) {
  ReactionNetwork n;
  n.name = "none";
  n.chemistry = chemistry;
  return n;
}

}  // namespace

TEST(ExternalShort, ElectrolyteLimitMatchesTheClosedFormForAConstantDiffusivity) {
  // Equal electrodes (L_e) and porosities, constant D: the steady profile is piecewise quadratic and
  //   i_lim = F D c0 eps^b / ((1 - t+) (G(L) - mean G)),  G(L) = L_e + L_s,
  //   mean G = (L_e^2 + 1.5 L_e L_s + 0.5 L_s^2) / (2 L_e + L_s)      (both over eps^b),
  // which tends to 2 F D c0 eps^b / ((1 - t+) L_e) without a separator.
  const auto c = cell::load_cell("liquid-ncm811-graphite");
  auto p = electrochem::model_parameters(c);
  const double D = 3e-10, eps = 0.3, b = 1.5, Le = 60e-6, Ls = 20e-6;
  p.electrolyte->diffusivity = materials::StoichiometryFunction::constant(D);
  for (auto* e : {&p.positive, &*p.negative}) {
    e->thickness_m = Le;
    e->electrolyte_fraction = eps;
    e->bruggeman = b;
  }
  p.separator.thickness_m = Ls;
  p.separator.electrolyte_fraction = eps;
  p.separator.bruggeman = b;
  const double t_plus = p.electrolyte->transference_number;
  const double c0 = p.electrolyte->initial_concentration;
  const double mean_G = (Le * Le + 1.5 * Le * Ls + 0.5 * Ls * Ls) / (2 * Le + Ls);
  const double expected = F * D * c0 * std::pow(eps, b) / ((1 - t_plus) * (Le + Ls - mean_G)) * p.electrode_area_m2;
  const auto limits = transport_limits(p);
  EXPECT_NEAR(limits.electrolyte_A, expected, 1e-4 * expected);
  // The brief's rule of thumb is its thin-separator limit.
  p.separator.thickness_m = 1e-9;
  const double thin = 2 * F * D * c0 * std::pow(eps, b) / ((1 - t_plus) * Le) * p.electrode_area_m2;
  EXPECT_NEAR(transport_limits(p).electrolyte_A, thin, 1e-3 * thin);
}

namespace {

// Current at time `when`, linearly interpolated between rows.
double at(const std::vector<double>& t, const std::vector<double>& v, double when) {
  for (std::size_t k = 1; k < t.size(); ++k)
    if (t[k] >= when) return v[k - 1] + (v[k] - v[k - 1]) * (when - t[k - 1]) / (t[k] - t[k - 1]);
  return v.back();
}

struct Agreement {
  double worst_current = 0.0;  // largest relative difference of the current at 1, 30 and 120 s
  double heat = 0.0;           // relative difference of the Joule heat inside the cell over 120 s
};

// A short drawing about `c_rate` at 25 C for 120 s: the lumped circuit against the isothermal DFN. Heat inside the
// cell, both ways: int (U_ocv(SOC) - V) I dt with the design's open-circuit curve.
Agreement lumped_against_dfn(const cell::Cell& c, const CellInventory& inv, double c_rate) {
  const double R = inv.open_circuit_voltage(1.0) / (c_rate * inv.capacity_Ah) - inv.internal_resistance_ohm;
  const auto d = dfn_short(c, R, 120.0, 1.0);
  EXPECT_FALSE(d.depleted) << c.name << " " << c_rate << "C";
  ExternalShortProcedure p;
  p.resistance_ohm = R;
  p.short_s = 120.0;
  p.observation_s = 0.0;
  p.ambient_K = 298.15;
  const auto r = run_external_short_test(inv, no_chemistry(inv.chemistry), p);
  const auto& tr = r.trace;
  Agreement a;
  for (double when : {1.0, 30.0, 120.0}) {
    const double dfn = at(d.t, d.current, when);
    a.worst_current = std::max(a.worst_current, std::abs(at(tr.time_s, tr.current_A, when) - dfn) / dfn);
  }
  const double heat_dfn =
      integral(d.t, 120.0, [&](std::size_t k) { return (inv.open_circuit_voltage(1.0 - d.discharged_Ah[k] / inv.capacity_Ah) - d.voltage[k]) * d.current[k]; });
  const double heat_lumped = 1000.0 * r.electrical_heat_kJ;
  a.heat = std::abs(heat_lumped - heat_dfn) / heat_dfn;
  std::cout << c.name << ", short drawing " << c_rate << "C (" << R * 1e3 << " mOhm): current within " << 100 * a.worst_current
            << " %, Joule heat " << heat_lumped / 1000 << " kJ lumped, " << heat_dfn / 1000 << " kJ DFN (" << 100 * a.heat << " %)\n";
  return a;
}

}  // namespace

TEST(ExternalShort, LumpedCircuitAgreesWithTheDfnUnderResistanceControl) {
  // Tolerances (docs/abuse.md): the lumped R_int is a 10 s, 1C pulse at 50 % SOC; the DFN's resistance grows over
  // 120 s (diffusion) and falls at high rates (Butler-Volmer), which the current barely shows behind R_ext but the
  // heat, (U - V) I = I^2 R_int, shows in full.
  const auto liquid = cell::load_cell("liquid-ncm811-graphite");
  const auto liquid_inv = cell_inventory(liquid);
  for (double c_rate : {1.0, 2.0}) {  // below the liquid cell's transport limit (3.4C)
    const auto a = lumped_against_dfn(liquid, liquid_inv, c_rate);
    EXPECT_LT(a.worst_current, 0.03) << c_rate;
    EXPECT_LT(a.heat, 0.30) << c_rate;
  }
  const auto solid = cell::load_cell("assb-sulfide-li");
  const auto solid_inv = cell_inventory(solid);
  for (double c_rate : {2.0, 5.0, 10.0}) {
    const auto a = lumped_against_dfn(solid, solid_inv, c_rate);
    EXPECT_LT(a.worst_current, 0.15) << c_rate;
    EXPECT_LT(a.heat, 0.35) << c_rate;
  }
}

TEST(ExternalShort, TransportLimitIsTheCurrentTheDfnSustainsForTheShortsTenMinutes) {
  // The liquid cell's steady electrolyte limit against the DFN at constant current from full charge: 10 % below
  // it the salt lasts the standard's 10 min, 10 % above it runs out within them; a hard short's 2-3 times the
  // limit depletes the DFN within 10-20 s, where the lumped model goes on at the limit.
  const auto c = cell::load_cell("liquid-ncm811-graphite");
  const auto inv = cell_inventory(c);
  const auto limits = transport_limits(electrochem::model_parameters(c));
  EXPECT_EQ(limits.limited_by(), "electrolyte");
  EXPECT_DOUBLE_EQ(inv.limiting_current_A, limits.limiting_A());
  const double below = seconds_to_depletion(c, 0.9 * limits.electrolyte_A, 600.0);
  const double above = seconds_to_depletion(c, 1.1 * limits.electrolyte_A, 600.0);
  const double hard = seconds_to_depletion(c, 2.0 * limits.electrolyte_A, 600.0);
  std::cout << "electrolyte limit " << limits.electrolyte_A << " A (" << limits.electrolyte_A / inv.capacity_Ah << "C); DFN salt lasts " << below
            << " s at 0.9x, " << above << " s at 1.1x, " << hard << " s at 2x\n";
  EXPECT_GE(below, 600.0 - 1e-6);
  EXPECT_LT(above, 600.0);
  EXPECT_LT(hard, 30.0);
  // Solid-state: no salt, so the particles limit; a short below it is ohmic (the lumped current is then within
  // 1 % of E / (R_int + R_ext)).
  const auto s = cell::load_cell("assb-sulfide-li");
  const auto sl = transport_limits(electrochem::model_parameters(s));
  EXPECT_TRUE(std::isinf(sl.electrolyte_A));
  EXPECT_EQ(sl.limited_by(), "positive particles");
}

TEST(ExternalShort, BuiltInCellsThroughTheStandards) {
  const auto gb = load_external_short_procedure("gb38031-2025");
  EXPECT_NEAR(gb.resistance_ohm, 0.005, 1e-12);
  EXPECT_NEAR(gb.short_s, 600.0, 1e-9);
  EXPECT_FALSE(gb.until_ambient_within_K);
  const auto ul = load_external_short_procedure("ul1642");
  EXPECT_NEAR(ul.ambient_K, 55.0 + C0, 1e-9);
  ASSERT_TRUE(ul.max_case_temperature_K);
  for (const char* name : {"liquid-ncm811-graphite", "assb-sulfide-li", "assb-sulfide-anodefree", "lgm50"}) {
    const auto c = cell::load_cell(name);
    const auto inv = cell_inventory(c);
    const auto net = load_reaction_network(default_network_name(c.chemistry));
    for (const auto* p : {&gb, &ul}) {
      const auto r = run_external_short_test(inv, net, *p);
      ASSERT_TRUE(r.failure.empty()) << name << ": " << r.failure;
      double released = 0.0;
      for (const auto& [n, kJ] : r.reaction_heat_kJ) released += std::abs(kJ);
      const double scale = 1000.0 * (released + std::abs(r.heat_from_surroundings_kJ) + std::abs(r.electrical_heat_kJ)) + 1e-6;
      EXPECT_LT(std::abs(r.energy_balance_error_J), 1e-6 * scale) << name;
      // The short's current never passes the transport limit nor E / (R_int + R_ext); the cell warms.
      const double peak = *std::max_element(r.trace.current_A.begin(), r.trace.current_A.end());
      EXPECT_LE(peak, inv.limiting_current_A * (1 + 1e-9)) << name;
      EXPECT_LE(peak, inv.open_circuit_voltage(1.0) / (inv.internal_resistance_ohm + p->resistance_ohm) * (1 + 1e-9)) << name;
      EXPECT_GT(r.verdict.peak_temperature_K, p->ambient_K + 1.0) << name;
      EXPECT_GT(r.terminal_energy_kJ, 0.0) << name;
      std::cout << name << " (" << p->standard << "): peak " << r.verdict.peak_temperature_K - C0 << " C, runaway " << r.verdict.thermal_runaway
                << ", EUCAR " << r.verdict.eucar_level << ", " << (r.verdict.pass ? "pass" : "fail") << "\n";
      for (const auto& s : r.verdict.reasons) std::cout << "  " << s << "\n";
    }
  }
}

TEST(ExternalShort, BadProcedureFilesNameTheField) {
  const std::string file = ::testing::TempDir() + "/bad-short.toml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs("[standard]\nname = \"x\"\n[runaway_criterion]\nvoltage_drop_fraction = 0.25\ntemperature_rise_rate_C_per_s = 1\n"
               "temperature_rise_duration_s = 3\nsource = \"t\"\n[external_short]\nresistance_mohm = -5\n",
               f);
    std::fclose(f);
  }
  try {
    load_external_short_procedure(file);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, file);
    EXPECT_NE(e.where().field.find("external_short.resistance_mohm"), std::string::npos) << e.what();
    EXPECT_GT(e.where().line, 0);
  }
  // A standard without the test says so (GB/T 31485-2015 has no [external_short] in the notes).
  EXPECT_THROW(load_external_short_procedure("gbt31485-2015"), InputError);
}

}  // namespace solidcell::abuse
