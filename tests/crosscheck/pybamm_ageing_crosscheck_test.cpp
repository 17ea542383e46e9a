// Cross-check of SEI growth against PyBaMM (docs/ageing.md): our DFN with SEI growth on the built-in lgm50 cell
// against PyBaMM 26.x's DFN({"SEI": "reaction limited"}) and DFN({"SEI": "solvent-diffusion limited"}) on
// ParameterValues("Chen2020") (its SEI values), same mesh (10 cells per region and particle), isothermal at 298.15 K, 100 cycles of
//   Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20.
//
// The references are written by tools/pybamm_ageing_reference.py (ctest runs it first as the fixtures
// `pybamm_ageing_reference_*`, which, like the discharge cross-check's, skip the work when their output is newer
// than the script and was made with the same settings) into the folder named by
// SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR, as reaction_limited_100.json and solvent_diffusion_limited_100.json.
// Without them the tests fail saying so.
//
// Acceptance: capacity retention within 1 point at every 10th cycle; lithium lost to SEI within 2 % at
// cycle 100 (reported with the SEI thickness).
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

namespace solidcell {
namespace {

constexpr double retention_limit = 0.01;        // 1 point
constexpr double lithium_limit_relative = 0.02;

nlohmann::json load_reference(const std::string& name, const std::string& sei, std::string* error) {
  const char* env = std::getenv("SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR");
  if (env == nullptr || *env == '\0') {
    *error = fmt::format("SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR is not set. Run this test through ctest (the fixtures "
                         "`pybamm_ageing_reference_*` write the references first), or write them with `.venv/bin/python "
                         "tools/pybamm_ageing_reference.py DIR/{} --sei \"{}\"` and set SOLIDCELL_PYBAMM_AGEING_REFERENCE_DIR=DIR.",
                         name, sei);
    return {};
  }
  const std::string file = std::string(env) + "/" + name;
  std::ifstream in(file);
  if (!in) {
    *error = fmt::format("reference {} is missing; write it with `.venv/bin/python tools/pybamm_ageing_reference.py {} --sei \"{}\"`", file,
                         file, sei);
    return {};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

void cross_check(electrochem::SeiGrowth law, const std::string& file) {
  std::string error;
  auto ref = load_reference(file, electrochem::to_string(law), &error);
  ASSERT_TRUE(error.empty()) << error;
  const auto& settings = ref.at("settings");
  ASSERT_EQ(settings.at("sei").get<std::string>(), electrochem::to_string(law));
  const int cycles = settings.at("cycles").get<int>();
  ASSERT_EQ(cycles, 100);
  std::string text;
  for (const auto& s : settings.at("cycle")) text += (text.empty() ? "" : ", ") + s.get<std::string>();

  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();  // PyBaMM's default DFN is isothermal
  ageing::AgeingCellOptions co;
  co.sei = law;
  co.simulation.ambient_temperature_K = settings.at("temperature_K").get<double>();
  co.simulation.relative_tolerance = 1e-6;
  ageing::AgeingCell cell(p, co);
  ageing::CycleStudyOptions so;
  so.cycles = cycles;
  auto ours = ageing::run_cycle_study(cell, experiment::parse_experiment(text), so);
  ASSERT_EQ(ours.cycles.size(), static_cast<std::size_t>(cycles)) << ours.stopped;
  const auto& theirs = ref.at("cycles");
  ASSERT_EQ(theirs.size(), static_cast<std::size_t>(cycles));

  double worst = 0.0;
  std::cout << fmt::format("{:>6} {:>14} {:>14} {:>10}\n", "cycle", "retention ours", "PyBaMM", "diff [pt]");
  for (int n = 1; n <= cycles; ++n) {
    const auto& a = ours.cycles[static_cast<std::size_t>(n - 1)];
    const auto& b = theirs[static_cast<std::size_t>(n - 1)];
    ASSERT_EQ(b.at("steps_completed").get<int>(), 3) << "PyBaMM cycle " << n << " stopped early";
    const double diff = a.capacity_retention - b.at("capacity_retention").get<double>();
    if (n == 1 || n % 10 == 0) {
      std::cout << fmt::format("{:>6} {:>14.6f} {:>14.6f} {:>10.5f}\n", n, a.capacity_retention, b.at("capacity_retention").get<double>(), 100 * diff);
      EXPECT_LT(std::abs(diff), retention_limit) << "cycle " << n;
      worst = std::max(worst, std::abs(diff));
    }
  }
  const auto& a = ours.cycles.back();
  const auto& b = theirs.back();
  const double li_ref = b.at("loss_of_lithium_to_sei_mol").get<double>();
  const double l_ref = b.at("sei_thickness_m").get<double>();
  std::cout << fmt::format(
      "cycle 100: capacity ours {:.5f} A.h, PyBaMM {:.5f} A.h; lithium to SEI ours {:.5e} mol, PyBaMM {:.5e} mol ({:+.2f} %); SEI thickness "
      "ours {:.4f} nm, PyBaMM {:.4f} nm; worst retention difference {:.5f} points; our study {:.1f} s, PyBaMM {:.1f} s\n",
      a.discharge_capacity_Ah, b.at("discharge_capacity_Ah").get<double>(), a.lithium_lost_to_sei_mol, li_ref,
      100 * (a.lithium_lost_to_sei_mol / li_ref - 1), 1e9 * a.sei_thickness_m, 1e9 * l_ref, 100 * worst, ours.wall_time_s,
      ref.value("wall_time_s", 0.0));
  ::testing::Test::RecordProperty("worst_retention_difference_points", fmt::format("{:.5f}", 100 * worst));
  EXPECT_NEAR(a.lithium_lost_to_sei_mol, li_ref, lithium_limit_relative * li_ref);
  EXPECT_NEAR(a.sei_thickness_m, l_ref, lithium_limit_relative * l_ref);
}

}  // namespace

TEST(PybammAgeingCrossCheck, ReactionLimitedSeiFadeOver100Cycles) {
  cross_check(electrochem::SeiGrowth::reaction_limited, "reaction_limited_100.json");
}

TEST(PybammAgeingCrossCheck, SolventDiffusionLimitedSeiFadeOver100Cycles) {
  cross_check(electrochem::SeiGrowth::solvent_diffusion_limited, "solvent_diffusion_limited_100.json");
}

}  // namespace solidcell
