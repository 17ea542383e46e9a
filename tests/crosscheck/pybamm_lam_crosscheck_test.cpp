// Cross-check of loss of active material against PyBaMM (docs/ageing.md): our DFN with stress-driven LAM on the built-in
// lgm50 cell (its [negative.active_material_loss] and [positive.active_material_loss] tables: Ai 2020 mechanics, Reniers
// 2019 LAM law, O'Kane 2022 values) against PyBaMM 26.x's DFN({"loss of active material": "stress-driven", "particle
// mechanics": "swelling only"}) on ParameterValues("Chen2020") with the same values, same mesh (10 cells per region and
// particle), isothermal at 298.15 K, from the charged state, through 3 cycles of
//   Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at 1C until 4.2 V, Hold at 4.2 V until C/20, Rest for 30 minutes,
// with the file's LAM rates (case stress_driven) and with both rates 100 times larger (stress_driven_x100).
//
// The references are written by tools/pybamm_lam_reference.py (ctest fixtures `pybamm_lam_reference_*`, skipped when up
// to date) into SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR as lam_<case>.json.
//
// Acceptance (every cycle and step): the active material lost (eps_0 - eps, x-averaged) and the lithium it held, per
// electrode, within 0.1 % of PyBaMM's largest value in the case; discharge capacity within 0.02 %; step-end voltage within
// 1 mV; particles + electrolyte + lost lithium constant to 1e-7.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "solidcell/ageing/ageing_cell.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

namespace solidcell {
namespace {

constexpr double lam_limit_relative = 0.001;  // of the case's largest value (measured: 0.006 % at worst)
constexpr double capacity_limit_relative = 0.0002;
constexpr double step_voltage_limit_V = 0.001;

nlohmann::json load_reference(const std::string& name, std::string* error) {
  const char* env = std::getenv("SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR");
  const std::string file = std::string(env ? env : "") + "/lam_" + name + ".json";
  if (env == nullptr || *env == '\0') {
    *error = fmt::format("SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR is not set. Run this test through ctest (the fixtures "
                         "`pybamm_lam_reference_*` write the references first), or write them with `.venv/bin/python "
                         "tools/pybamm_lam_reference.py DIR/lam_{}.json --case {}` and set SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR=DIR.",
                         name, name);
    return {};
  }
  std::ifstream in(file);
  if (!in) {
    *error = fmt::format("reference {} is missing; write it with `.venv/bin/python tools/pybamm_lam_reference.py {} --case {}`", file, file, name);
    return {};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

void cross_check(const std::string& name) {
  std::string error;
  auto ref = load_reference(name, &error);
  ASSERT_TRUE(error.empty()) << error;
  const auto& settings = ref.at("settings");
  ASSERT_EQ(settings.at("case").get<std::string>(), name);
  const int cycles = settings.at("cycles").get<int>();
  std::string text;
  for (const auto& s : settings.at("cycle")) text += (text.empty() ? "" : ", ") + s.get<std::string>();
  const auto steps = experiment::parse_experiment(text);

  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();  // PyBaMM's default DFN is isothermal
  const double factor = settings.at("rate_factor").get<double>();
  for (auto [e, domain] : {std::pair{&*p.negative, "Negative"}, std::pair{&p.positive, "Positive"}}) {
    ASSERT_TRUE(e->active_material_loss.has_value()) << domain;
    auto& lam = *e->active_material_loss;
    const auto& m = settings.at("mechanics").at(domain);
    // The same values on both sides: the reference states the ones it used.
    EXPECT_EQ(lam.youngs_modulus, m.at("youngs_modulus_Pa").get<double>()) << domain;
    EXPECT_EQ(lam.poissons_ratio, m.at("poissons_ratio").get<double>()) << domain;
    EXPECT_EQ(lam.partial_molar_volume, m.at("partial_molar_volume_m3_per_mol").get<double>()) << domain;
    EXPECT_EQ(lam.critical_stress, m.at("critical_stress_Pa").get<double>()) << domain;
    EXPECT_EQ(lam.proportional_rate, m.at("proportional_rate_per_s").get<double>()) << domain;
    EXPECT_EQ(lam.exponent, m.at("exponent").get<double>()) << domain;
    lam.proportional_rate *= factor;
  }
  ageing::AgeingCellOptions co;
  co.sei = electrochem::SeiGrowth::none;
  co.active_material_loss = electrochem::ActiveMaterialLoss::stress_driven;
  co.simulation.ambient_temperature_K = settings.at("temperature_K").get<double>();
  co.simulation.relative_tolerance = 1e-6;
  ageing::AgeingCell cell(p, co);
  const double lithium0 = cell.lithium_moles();
  const double eps_n0 = p.negative->active_fraction, eps_p0 = p.positive.active_fraction;

  const auto& theirs = ref.at("cycles");
  ASSERT_EQ(theirs.size(), static_cast<std::size_t>(cycles));
  double eps_scale[2] = {0, 0}, li_scale[2] = {0, 0};
  const char* domains[2] = {"negative", "positive"};
  const double eps0[2] = {eps_n0, eps_p0};
  for (const auto& c : theirs)
    for (const auto& s : c.at("steps"))
      for (int d = 0; d < 2; ++d) {
        eps_scale[d] = std::max(eps_scale[d], eps0[d] - s.at(fmt::format("{}_active_fraction", domains[d])).get<double>());
        li_scale[d] = std::max(li_scale[d], s.at(fmt::format("{}_lam_lithium_mol", domains[d])).get<double>());
      }
  for (int d = 0; d < 2; ++d) ASSERT_GT(eps_scale[d], 0.0) << domains[d];

  double worst_eps[2] = {0, 0}, worst_li[2] = {0, 0}, worst_capacity = 0.0, worst_v = 0.0, worst_conservation = 0.0;
  std::cout << fmt::format("{}: {:>5} {:>4} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n", name, "cycle", "step", "d eps_n", "PyBaMM", "d eps_p",
                           "PyBaMM", "Li LAM_p", "PyBaMM");
  for (int n = 1; n <= cycles; ++n) {
    const auto& b = theirs[static_cast<std::size_t>(n - 1)];
    ASSERT_EQ(b.at("steps_completed").get<int>(), static_cast<int>(steps.size())) << "PyBaMM cycle " << n << " stopped early";
    double discharge_Ah = 0.0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
      auto sol = cell.advance({steps[k]});
      ASSERT_FALSE(sol.failure.has_value()) << "cycle " << n << " step " << k + 1;
      if (k == 0) discharge_Ah = sol.discharge_capacity_Ah.back() - sol.discharge_capacity_Ah.front();
      const auto& s = b.at("steps")[k];
      for (int d = 0; d < 2; ++d) {
        const bool positive = d == 1;
        const double lost = eps0[d] - cell.active_material_fraction(positive);
        const double lost_ref = eps0[d] - s.at(fmt::format("{}_active_fraction", domains[d])).get<double>();
        const double li = cell.model().lost_active_material_lithium_moles(cell.state().data(), positive);
        const double li_ref = s.at(fmt::format("{}_lam_lithium_mol", domains[d])).get<double>();
        worst_eps[d] = std::max(worst_eps[d], std::abs(lost - lost_ref) / eps_scale[d]);
        worst_li[d] = std::max(worst_li[d], std::abs(li - li_ref) / li_scale[d]);
        EXPECT_NEAR(lost, lost_ref, lam_limit_relative * eps_scale[d]) << domains[d] << " cycle " << n << " step " << k + 1;
        EXPECT_NEAR(li, li_ref, lam_limit_relative * li_scale[d]) << domains[d] << " cycle " << n << " step " << k + 1;
      }
      const double v = sol.voltage_V.back(), v_ref = s.at("voltage_V").get<double>();
      worst_v = std::max(worst_v, std::abs(v - v_ref));
      EXPECT_NEAR(v, v_ref, step_voltage_limit_V) << "cycle " << n << " step " << k + 1;
      worst_conservation = std::max(worst_conservation, std::abs(cell.lithium_moles() - lithium0) / lithium0);
      std::cout << fmt::format("{:>{}} {:>5} {:>4} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e} {:>11.4e}\n", "", name.size() + 1, n, k + 1,
                               eps_n0 - cell.active_material_fraction(false), eps_n0 - s.at("negative_active_fraction").get<double>(),
                               eps_p0 - cell.active_material_fraction(true), eps_p0 - s.at("positive_active_fraction").get<double>(),
                               cell.model().lost_active_material_lithium_moles(cell.state().data(), true), s.at("positive_lam_lithium_mol").get<double>());
    }
    const double q_ref = b.at("discharge_capacity_Ah").get<double>();
    worst_capacity = std::max(worst_capacity, std::abs(discharge_Ah / q_ref - 1));
    EXPECT_NEAR(discharge_Ah, q_ref, capacity_limit_relative * q_ref) << "cycle " << n;
  }
  std::cout << fmt::format(
      "{}: worst active material lost {:.3f} % (negative, of {:.4e}) and {:.3f} % (positive, of {:.4e}); lithium in it {:.3f} % and {:.3f} %; "
      "capacity {:.4f} %; step-end voltage {:.3f} mV; lithium conserved to {:.1e}; PyBaMM {:.1f} s\n",
      name, 100 * worst_eps[0], eps_scale[0], 100 * worst_eps[1], eps_scale[1], 100 * worst_li[0], 100 * worst_li[1], 100 * worst_capacity, 1e3 * worst_v,
      worst_conservation, ref.value("wall_time_s", 0.0));
  EXPECT_LT(worst_conservation, 1e-7);
}

}  // namespace

TEST(PybammLamCrossCheck, StressDrivenWithTheFileRates) { cross_check("stress_driven"); }

TEST(PybammLamCrossCheck, StressDrivenWithRatesTimes100) { cross_check("stress_driven_x100"); }

}  // namespace solidcell
