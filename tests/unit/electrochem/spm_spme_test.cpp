// The single-particle models (SPM, SPMe) on the LG M50: conservation, exact bookkeeping, rest states, how
// they sit against each other and the DFN, the controls, and a few of PyBaMM's numbers
// (docs/pybamm-conventions.md, reference table) that need no PyBaMM to check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/spm_model.hpp"
#include "solidcell/electrochem/spme_model.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::electrochem {
namespace {

const CellParameters& lgm50() {
  // Isothermal, as the SPM and SPMe are: the DFN's lumped thermal model is switched off for comparisons.
  static const CellParameters p = [] {
    auto q = model_parameters(cell::load_cell("lgm50"));
    q.thermal.reset();
    return q;
  }();
  return p;
}

experiment::Solution run(const std::string& model, const std::string& protocol, double rtol = 1e-6, double soc = 1.0,
                         const CellParameters& p = lgm50()) {
  auto m = make_model(model, p);
  experiment::SimulationOptions options;
  options.relative_tolerance = rtol;
  options.initial_soc = soc;
  auto s = experiment::run_experiment(*m, experiment::parse_experiment(protocol), options);
  EXPECT_FALSE(s.failure.has_value()) << model << ": " << (s.failure ? s.failure->reason : "");
  return s;
}

double interpolate(const std::vector<double>& t, const std::vector<double>& v, double at) {
  auto it = std::lower_bound(t.begin(), t.end(), at);
  if (it == t.begin()) return v.front();
  if (it == t.end()) return v.back();
  auto k = static_cast<std::size_t>(it - t.begin());
  double w = (at - t[k - 1]) / (t[k] - t[k - 1]);
  return v[k - 1] + w * (v[k] - v[k - 1]);
}

// Voltage differences a - b on a common grid of `points` times over [0, fraction x the shorter run].
std::vector<double> differences(const experiment::Solution& a, const experiment::Solution& b, double fraction = 0.98, int points = 400) {
  double end = fraction * std::min(a.time_s.back(), b.time_s.back());
  std::vector<double> d;
  for (int k = 0; k <= points; ++k) {
    double t = end * k / points;
    d.push_back(interpolate(a.time_s, a.voltage_V, t) - interpolate(b.time_s, b.voltage_V, t));
  }
  return d;
}

double rms(const std::vector<double>& d) {
  double s = 0.0;
  for (double x : d) s += x * x;
  return std::sqrt(s / static_cast<double>(d.size()));
}

double max_abs(const std::vector<double>& d) {
  double m = 0.0;
  for (double x : d) m = std::max(m, std::abs(x));
  return m;
}

TEST(SpmSpme, FactoryBuildsBothAndRefusesSpmeWithoutLiquid) {
  EXPECT_EQ(make_model("spm", lgm50())->name(), "SPM");
  EXPECT_EQ(make_model("spme", lgm50())->name(), "SPMe");
  auto solid = model_parameters(cell::load_cell("assb-sulfide-li"));
  EXPECT_EQ(make_model("spm", solid)->name(), "SPM");  // planar lithium negative
  try {
    make_model("spme", solid);
    FAIL() << "the SPMe accepted a solid-state cell";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "model");
    EXPECT_NE(std::string(e.what()).find("liquid electrolyte"), std::string::npos) << e.what();
  }
}

TEST(SpmSpme, UnknownsAreBandedWithTheCurrentLast) {
  SpmModel spm(lgm50(), {});
  SpmeModel spme(lgm50(), {});
  // 2 x 10 shells (+ 30 electrolyte cells), voltage, capacity, current.
  EXPECT_EQ(spm.size(), 23u);
  EXPECT_EQ(spme.size(), 53u);
  EXPECT_EQ(spm.current_index(), spm.size() - 1);
  EXPECT_EQ(spme.current_index(), spme.size() - 1);
  EXPECT_EQ(spme.capacity_index(), spme.size() - 2);
  EXPECT_LT(spm.lower_bandwidth(), static_cast<int>(spm.size()) - 1);
  EXPECT_LT(spm.upper_bandwidth(), static_cast<int>(spm.size()) - 1);
}

TEST(SpmSpme, LithiumIsConservedOverDischargeRestCharge) {
  const std::string protocol =
      "Discharge at 1C until 3.0 V, Rest for 30 minutes, Charge at C/2 until 4.1 V, Hold at 4.1 V until C/50, "
      "Discharge at 10 W for 10 minutes, Rest for 10 minutes";
  for (const char* model : {"spm", "spme"}) {
    auto s = run(model, protocol);
    ASSERT_EQ(s.steps.size(), 6u) << model;
    EXPECT_EQ(s.steps[0].ended_by, "until 3.0 V") << model;
    EXPECT_EQ(s.steps[2].ended_by, "until 4.1 V") << model;
    EXPECT_EQ(s.steps[3].ended_by, "until C/50") << model;
    EXPECT_TRUE(s.stopped_early.empty()) << model << ": " << s.stopped_early;
    EXPECT_NEAR(s.lithium_moles_end / s.lithium_moles_start, 1.0, 1e-9) << model;
  }
}

TEST(SpmSpme, CapacityIsCurrentTimesTime) {
  for (const char* model : {"spm", "spme"}) {
    auto s = run(model, "Discharge at 1C for 30 minutes");
    ASSERT_GT(s.time_s.size(), 10u);
    for (std::size_t k = 0; k < s.time_s.size(); ++k)
      EXPECT_NEAR(s.discharge_capacity_Ah[k], 5.0 * s.time_s[k] / 3600.0, 1e-12 * 5.0) << model << " row " << k;
    EXPECT_NEAR(s.discharge_capacity_Ah.back(), 2.5, 1e-12) << model;
  }
}

TEST(SpmSpme, OpenCircuitVoltageAtRestIsTheOcpDifferenceOfTheParticleAverages) {
  const auto& p = lgm50();
  const auto& ne = *p.negative;
  const auto& pe = p.positive;
  // After 30 minutes at 1C and 10 hours' rest, particles and electrolyte have relaxed. The averages follow
  // from the charge passed alone.
  for (const char* model : {"spm", "spme"}) {
    auto s = run(model, "Discharge at 1C for 30 minutes, Rest for 10 hours", 1e-8);
    const double q = s.discharge_capacity_Ah.back() * constants::seconds_per_hour / constants::faraday_C_per_mol;  // mol
    const double x_n = ne.stoichiometry_at_100_soc - q / (p.electrode_area_m2 * ne.thickness_m * ne.active_fraction * ne.max_concentration);
    const double x_p = pe.stoichiometry_at_100_soc + q / (p.electrode_area_m2 * pe.thickness_m * pe.active_fraction * pe.max_concentration);
    const double ocv = pe.open_circuit_potential(x_p) - ne.open_circuit_potential(x_n);
    EXPECT_NEAR(s.open_circuit_voltage_V.back(), ocv, 1e-9) << model;
    EXPECT_NEAR(s.voltage_V.back(), ocv, 2e-6) << model;  // relaxed: no overpotential, uniform c_e
    EXPECT_EQ(s.current_A.back(), 0.0) << model;
  }
  // At the start, uniform particles at rest: V = OCV exactly.
  for (const char* model : {"spm", "spme"}) {
    auto m = make_model(model, lgm50());
    m->set_control(Control{ControlKind::current, 0.0, {}});
    auto y = m->initial_state(0.6);
    double x_n = ne.stoichiometry_at_0_soc + 0.6 * (ne.stoichiometry_at_100_soc - ne.stoichiometry_at_0_soc);
    double x_p = pe.stoichiometry_at_0_soc + 0.6 * (pe.stoichiometry_at_100_soc - pe.stoichiometry_at_0_soc);
    double ocv = pe.open_circuit_potential(x_p) - ne.open_circuit_potential(x_n);
    EXPECT_NEAR(m->open_circuit_voltage(y.data()), ocv, 1e-12) << model;
    EXPECT_NEAR(m->voltage(y.data()), ocv, 1e-12) << model;
  }
}

TEST(SpmSpme, AtC20AllThreeModelsAgree) {
  // The models differ by the electrolyte's and the electrodes' polarisation, which scales with the current:
  // at C/20 the SPM is 1.3-3.7 mV above the DFN (RMS 2.8 mV, a tenth of its 26 mV at C/2), the SPMe within
  // -0.17 to +0.85 mV of it (RMS 0.25 mV; the excursion sits on the graphite stage change mid-discharge,
  // where the DFN's reaction is not uniform in x). Measured over the first 10 of the 20 hours.
  const std::string protocol = "Discharge at C/20 for 10 hours";
  auto spm = run("spm", protocol, 1e-8);
  auto spme = run("spme", protocol, 1e-8);
  auto dfn = run("dfn", protocol, 1e-8);
  auto spm_dfn = differences(spm, dfn, 1.0);
  auto spme_dfn = differences(spme, dfn, 1.0);
  EXPECT_LT(max_abs(spm_dfn), 5e-3);
  EXPECT_LT(rms(spm_dfn), 3.5e-3);
  EXPECT_LT(max_abs(spme_dfn), 1.5e-3);
  EXPECT_LT(rms(spme_dfn), 0.5e-3);
  EXPECT_LT(max_abs(differences(spm, spme, 1.0)), 5e-3);
  for (double d : spm_dfn) EXPECT_GT(d, 0.0);  // no electrolyte or solid losses: the SPM's voltage is higher
}

TEST(SpmSpme, AtHalfCTheSpmeSitsWithTheDfnAndTheSpmAbove) {
  // Physics: on discharge the SPM omits the electrolyte's ohmic and concentration losses, so its voltage is
  // higher than both; the SPMe adds them to first order and lands close to the DFN (sometimes just above,
  // sometimes just below: it is not strictly between). Found: SPM - DFN 13-30 mV (RMS 26 mV), SPMe - DFN
  // -2.7 to +3.4 mV (RMS 1.5 mV), SPMe between SPM and DFN about a third of the time.
  const std::string protocol = "Discharge at C/2 until 2.5 V";
  auto spm = run("spm", protocol, 1e-8);
  auto spme = run("spme", protocol, 1e-8);
  auto dfn = run("dfn", protocol, 1e-8);
  auto spm_dfn = differences(spm, dfn);
  auto spme_dfn = differences(spme, dfn);
  auto spm_spme = differences(spm, spme);
  for (std::size_t k = 0; k < spm_dfn.size(); ++k) {
    EXPECT_GT(spm_dfn[k], 5e-3) << k;
    EXPECT_GT(spm_spme[k], 5e-3) << k;
  }
  EXPECT_LT(rms(spme_dfn), 0.1 * rms(spm_dfn));
  EXPECT_LT(max_abs(spme_dfn), 5e-3);
  // Capacity to 2.5 V: the SPM's is the largest; SPMe and DFN agree to 0.01 % (PyBaMM: 5.022119, 5.015723,
  // 5.015826 A.h).
  double q_spm = spm.discharge_capacity_Ah.back(), q_spme = spme.discharge_capacity_Ah.back(), q_dfn = dfn.discharge_capacity_Ah.back();
  EXPECT_GT(q_spm, q_dfn);
  EXPECT_GT(q_spm, q_spme);
  EXPECT_NEAR(q_spme / q_dfn, 1.0, 1e-4);
}

TEST(SpmSpme, MatchPyBammsReferenceNumbersAt1C) {
  // docs/pybamm-conventions.md, reference table (PyBaMM 26.10, Chen2020, 10 cells everywhere): final
  // capacity at 2.5 V and V(t = 0). Rounded 100 % SOC stoichiometries in the built-in cell (0.9014 and 0.2700
  // against Chen2020's initial 0.901397 and 0.269999) are worth +0.0003 % in capacity and -0.004 mV; with
  // Chen2020's values the SPM and SPMe reproduce PyBaMM to 1e-5 mV.
  struct Case {
    const char* model;
    double q_Ah, v0_V;
  };
  for (Case c : {Case{"spm", 4.956061, 4.063389}, Case{"spme", 4.939389, 4.036344}}) {
    auto s = run(c.model, "Discharge at 1C until 2.5 V", 1e-8);
    EXPECT_NEAR(s.discharge_capacity_Ah.back() / c.q_Ah, 1.0, 5e-5) << c.model;
    EXPECT_NEAR(s.voltage_V.front(), c.v0_V, 2e-5) << c.model;
    EXPECT_NEAR(s.voltage_V.back(), 2.5, 1e-6) << c.model;
  }
}

TEST(SpmSpme, VoltageAndPowerControl) {
  for (const char* model : {"spm", "spme"}) {
    auto s = run(model, "Discharge at 12 W for 20 minutes, Hold at 3.9 V for 20 minutes", 1e-8);
    ASSERT_EQ(s.steps.size(), 2u);
    for (std::size_t k = 0; k < s.time_s.size(); ++k) {
      if (s.step_number[k] == 1) {
        EXPECT_NEAR(s.current_A[k] * s.voltage_V[k], 12.0, 1e-6) << model << " row " << k;
      } else if (s.time_s[k] > s.steps[1].start_s) {
        EXPECT_NEAR(s.voltage_V[k], 3.9, 1e-6) << model << " row " << k;
      }
    }
  }
}

TEST(SpmSpme, SpmRunsASolidStateCellWithALithiumNegative) {
  auto p = model_parameters(cell::load_cell("assb-sulfide-li"));
  auto s = run("spm", "Discharge at C/5 for 30 minutes, Rest for 10 minutes, Charge at C/5 for 20 minutes", 1e-8, 0.9, p);
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_NEAR(s.lithium_moles_end / s.lithium_moles_start, 1.0, 1e-9);
  // Discharging lowers the voltage; resting and charging raise it again.
  EXPECT_LT(s.voltage_V[s.voltage_V.size() / 2], s.voltage_V.front());
  EXPECT_GT(s.voltage_V.back(), s.voltage_V[s.voltage_V.size() / 2]);
}

TEST(SpmSpme, ProfilesSpanTheCell) {
  for (const char* model : {"spm", "spme"}) {
    auto s = run(model, "Discharge at 1C for 10 minutes");
    ASSERT_FALSE(s.profiles.empty());
    const auto& pr = s.profiles.back();
    ASSERT_EQ(pr.x_m.size(), 30u) << model;
    EXPECT_EQ(pr.electrolyte_potential.size(), 30u);
    EXPECT_TRUE(std::isnan(pr.solid_potential[15])) << model;  // separator
    EXPECT_NEAR(pr.solid_potential[0], 0.0, 1e-3) << model;   // grounded negative collector
    EXPECT_NEAR(pr.solid_potential[29], s.voltage_V.back(), 3e-3) << model;  // half a cell from x = L
  }
}

}  // namespace
}  // namespace solidcell::electrochem
