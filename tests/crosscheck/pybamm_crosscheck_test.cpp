// Cross-check against PyBaMM (docs/pybamm-conventions.md): our SPM, SPMe and DFN on the built-in lgm50
// cell against PyBaMM 26.10's on ParameterValues("Chen2020"), same mesh (10 cells per region and particle),
// constant-current discharges from 100 % SOC to 2.5 V at C/2, 1C and 2C (1C = 5 A), 298.15 K.
//
// The references are written by tools/pybamm_reference.py into the folder named by the environment
// variable SOLIDCELL_PYBAMM_REFERENCE_DIR (ctest does this first, as the fixture `pybamm_reference`).
// Without that folder every test here fails with a message saying so: a cross-check that silently
// skips is a cross-check that does not run.
//
// Acceptance limits: RMS voltage difference at PyBaMM's output times below 5 mV, final discharge
// capacity within 0.5 %. The measured values go into the test output (stdout and the XML properties
// rms_voltage_mV, max_voltage_mV, capacity_error_percent).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double rms_limit_mV = 5.0;
constexpr double capacity_limit_percent = 0.5;
constexpr double parameter_rtol = 1e-9;
constexpr double one_c_amperes = 5.0;  // PyBaMM's 1C: "Nominal cell capacity [A.h]" of Chen2020

// ------------------------------------------------------------------------------------ reference files

// The reference folder, or an error message that says what is wrong and how to make it.
struct ReferenceDir {
  fs::path path;
  std::string error;
};

ReferenceDir reference_dir() {
  const char* env = std::getenv("SOLIDCELL_PYBAMM_REFERENCE_DIR");
  if (env == nullptr || *env == '\0')
    return {{},
            "SOLIDCELL_PYBAMM_REFERENCE_DIR is not set. Run this test through ctest (the fixture `pybamm_reference` "
            "writes the references first), or write them yourself with `.venv/bin/python tools/pybamm_reference.py DIR` "
            "(scripts/python-env.sh creates .venv) and set SOLIDCELL_PYBAMM_REFERENCE_DIR=DIR."};
  fs::path dir(env);
  if (!fs::is_directory(dir))
    return {{},
            fmt::format("SOLIDCELL_PYBAMM_REFERENCE_DIR={} is not a folder; write the references with "
                        "`.venv/bin/python tools/pybamm_reference.py {}`",
                        env, env)};
  return {dir, ""};
}

// Reads a reference file; on failure returns false and says why in *error.
bool read_text(const fs::path& file, std::string* text, std::string* error) {
  std::ifstream in(file);
  if (!in) {
    *error = fmt::format("reference file {} is missing; rerun `.venv/bin/python tools/pybamm_reference.py {}`", file.string(),
                         file.parent_path().string());
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

bool read_json(const fs::path& file, json* out, std::string* error) {
  std::string text;
  if (!read_text(file, &text, error)) return false;
  try {
    *out = json::parse(text);
  } catch (const std::exception& e) {
    *error = fmt::format("{}: not valid JSON: {}", file.string(), e.what());
    return false;
  }
  return true;
}

struct ReferenceSeries {
  std::vector<double> time_s, current_A, voltage_V, capacity_Ah;
};

bool read_csv(const fs::path& file, ReferenceSeries* out, std::string* error) {
  std::string text;
  if (!read_text(file, &text, error)) return false;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  if (line.rfind("time_s,current_A,voltage_V,discharge_capacity_Ah", 0) != 0) {
    *error = fmt::format("{}: unexpected header \"{}\"", file.string(), line);
    return false;
  }
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    double v[4];
    std::istringstream row(line);
    std::string cell;
    for (int k = 0; k < 4; ++k) {
      if (!std::getline(row, cell, ',')) {
        *error = fmt::format("{}:{}: expected 4 columns in \"{}\"", file.string(), line_number, line);
        return false;
      }
      try {
        v[k] = std::stod(cell);
      } catch (const std::exception&) {
        *error = fmt::format("{}:{}: \"{}\" is not a number", file.string(), line_number, cell);
        return false;
      }
    }
    out->time_s.push_back(v[0]);
    out->current_A.push_back(v[1]);
    out->voltage_V.push_back(v[2]);
    out->capacity_Ah.push_back(v[3]);
  }
  if (out->time_s.size() < 2) {
    *error = fmt::format("{}: fewer than two rows", file.string());
    return false;
  }
  return true;
}

// ------------------------------------------------------------------------------------ our side

// PyBaMM's references are isothermal: switch the cell's lumped thermal model off.
electrochem::CellParameters lgm50_parameters() {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  p.thermal.reset();
  return p;
}

// Linear interpolation of (t, v) at `at`; t is non-decreasing. Values outside [t.front(), t.back()] are
// not extrapolated: callers only ask inside.
double interpolate(const std::vector<double>& t, const std::vector<double>& v, double at) {
  auto it = std::upper_bound(t.begin(), t.end(), at);
  if (it == t.begin()) return v.front();
  if (it == t.end()) return v.back();
  std::size_t k = static_cast<std::size_t>(it - t.begin());
  double t0 = t[k - 1], t1 = t[k];
  if (t1 == t0) return v[k];
  double w = (at - t0) / (t1 - t0);
  return (1.0 - w) * v[k - 1] + w * v[k];
}

// ------------------------------------------------------------------------------------ the cases

struct Case {
  std::string model;  // our factory's name
  double c_rate;

  std::string file_stem() const {  // as tools/pybamm_reference.py names them: dfn_0.5C, spme_1C
    return fmt::format("{}_{:g}C", model, c_rate);
  }
  std::string test_name() const {  // Dfn1C, Spme0_5C
    std::string rate = fmt::format("{:g}", c_rate);
    std::replace(rate.begin(), rate.end(), '.', '_');
    std::string m = model;
    m[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])));
    return m + rate + "C";
  }
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.model << ' ' << fmt::format("{:g}C", c.c_rate); }

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (std::string model : {"spm", "spme", "dfn"})
    for (double rate : {0.5, 1.0, 2.0}) cases.push_back({model, rate});
  return cases;
}

class PybammCrossCheck : public testing::TestWithParam<Case> {};

TEST_P(PybammCrossCheck, Discharge) {
  const Case& c = GetParam();
  auto dir = reference_dir();
  ASSERT_TRUE(dir.error.empty()) << dir.error;

  std::string error;
  json ref;
  ASSERT_TRUE(read_json(dir.path / (c.file_stem() + ".json"), &ref, &error)) << error;
  ReferenceSeries series;
  ASSERT_TRUE(read_csv(dir.path / (c.file_stem() + ".csv"), &series, &error)) << error;

  const double amperes = c.c_rate * one_c_amperes;
  ASSERT_NEAR(ref.at("current_A").get<double>(), amperes, 1e-12) << "the reference was made for another current";
  const double ref_capacity = ref.at("final_discharge_capacity_Ah").get<double>();

  auto parameters = lgm50_parameters();
  std::unique_ptr<electrochem::BatteryModel> model;
  try {
    model = electrochem::make_model(c.model, parameters, electrochem::Mesh{});
  } catch (const std::exception& e) {
    FAIL() << "model \"" << c.model << "\" is not available from electrochem::make_model: " << e.what();
  }
  ASSERT_TRUE(model);

  // PyBaMM's output spacing as the step's period, so that our rows fall on PyBaMM's times once the
  // simulation samples by period; until then the rows are the solver's steps and are interpolated.
  const std::string protocol =
      fmt::format("Discharge at {:g} A until 2.5 V ({:g} second period)", amperes, ref.at("output_dt_s").get<double>());
  experiment::SimulationOptions options;
  options.initial_soc = 1.0;
  options.ambient_temperature_K = 298.15;
  options.relative_tolerance = 1e-8;
  auto solution = experiment::run_experiment(*model, experiment::parse_experiment(protocol, "crosscheck"), options);
  ASSERT_FALSE(solution.failure) << "solver failure at t = " << solution.failure->time_s << " s: " << solution.failure->reason;
  ASSERT_GE(solution.time_s.size(), 2u);
  ASSERT_EQ(solution.steps.size(), 1u);
  EXPECT_NE(solution.steps[0].ended_by.find("2.5"), std::string::npos)
      << "the discharge should end at the 2.5 V limit, it ended by: " << solution.steps[0].ended_by;

  // Voltage at PyBaMM's output times (every 5 s and the cut-off), inside the time both runs cover.
  const double our_end = solution.time_s.back();
  double sum_sq = 0.0, max_abs = 0.0, t_max = 0.0;
  std::size_t n = 0, beyond = 0;
  for (std::size_t k = 0; k < series.time_s.size(); ++k) {
    double t = series.time_s[k];
    if (t > our_end) {
      ++beyond;
      continue;
    }
    double d = interpolate(solution.time_s, solution.voltage_V, t) - series.voltage_V[k];
    sum_sq += d * d;
    if (std::abs(d) > max_abs) {
      max_abs = std::abs(d);
      t_max = t;
    }
    ++n;
  }
  // Diagnostics: the other way round (PyBaMM's dense output interpolated at our rows), which separates a
  // model difference from the error of interpolating between far-apart solver steps; and the widest gap.
  double sum_sq_rows = 0.0, widest_gap = 0.0;
  std::size_t n_rows = 0;
  for (std::size_t k = 0; k < solution.time_s.size(); ++k) {
    if (k > 0) widest_gap = std::max(widest_gap, solution.time_s[k] - solution.time_s[k - 1]);
    if (solution.time_s[k] > series.time_s.back()) continue;
    double d = solution.voltage_V[k] - interpolate(series.time_s, series.voltage_V, solution.time_s[k]);
    sum_sq_rows += d * d;
    ++n_rows;
  }
  const double rms_rows_mV = n_rows ? 1e3 * std::sqrt(sum_sq_rows / static_cast<double>(n_rows)) : std::nan("");
  ASSERT_GT(n, series.time_s.size() / 2) << "our discharge ended at " << our_end << " s, PyBaMM's at " << series.time_s.back() << " s";
  const double rms_mV = 1e3 * std::sqrt(sum_sq / static_cast<double>(n));
  const double max_mV = 1e3 * max_abs;
  const double our_capacity = solution.discharge_capacity_Ah.back();
  const double capacity_error_percent = 100.0 * (our_capacity - ref_capacity) / ref_capacity;

  RecordProperty("rms_voltage_mV", fmt::format("{:.6f}", rms_mV));
  RecordProperty("max_voltage_mV", fmt::format("{:.6f}", max_mV));
  RecordProperty("capacity_error_percent", fmt::format("{:+.6f}", capacity_error_percent));
  RecordProperty("rms_voltage_at_our_rows_mV", fmt::format("{:.6f}", rms_rows_mV));
  RecordProperty("capacity_Ah", fmt::format("{:.6f}", our_capacity));
  RecordProperty("pybamm_capacity_Ah", fmt::format("{:.6f}", ref_capacity));
  std::cout << fmt::format(
                   "crosscheck {:>4s} {:>4s}: V RMS {:.4f} mV (max {:.4f} mV at t = {:.0f} s, {} points{}), "
                   "Q {:.6f} A.h vs PyBaMM {:.6f} A.h ({:+.4f} %), end {:.2f} s vs {:.2f} s; "
                   "{} rows, widest gap {:.0f} s, V RMS at our rows {:.4f} mV\n",
                   c.model, fmt::format("{:g}C", c.c_rate), rms_mV, max_mV, t_max, n,
                   beyond ? fmt::format(", {} past our end", beyond) : std::string(), our_capacity, ref_capacity,
                   capacity_error_percent, our_end, series.time_s.back(), solution.time_s.size(), widest_gap, rms_rows_mV)
            << std::flush;

  EXPECT_LT(rms_mV, rms_limit_mV) << "RMS voltage difference to PyBaMM";
  EXPECT_LT(std::abs(capacity_error_percent), capacity_limit_percent) << "final discharge capacity vs PyBaMM";
}

INSTANTIATE_TEST_SUITE_P(, PybammCrossCheck, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& param_info) { return param_info.param.test_name(); });

// ------------------------------------------------------------------------------------ parameters

// Every number our lgm50 cell gives the models, against the value PyBaMM's Chen2020 used in the reference
// run (the JSON records them), to 1e-9 relative: a drift in data/cells/lgm50.toml or data/materials
// shows here, by name, rather than as a few mV somewhere in a discharge.
class ParameterCheck {
 public:
  explicit ParameterCheck(const json& ref) : ref_(ref) {}

  // A number from the reference's "parameters" table.
  double pybamm(const std::string& key) const {
    const auto& table = ref_.at("parameters");
    auto it = table.find(key);
    if (it == table.end()) {
      ADD_FAILURE() << "reference JSON has no parameter \"" << key << "\"";
      return std::nan("");
    }
    if (!it->is_number()) {
      ADD_FAILURE() << "reference parameter \"" << key << "\" is not a number: " << it->dump();
      return std::nan("");
    }
    return it->get<double>();
  }
  double derived(const std::string& key) const { return ref_.at("derived").at(key).get<double>(); }

  void expect(const std::string& what, double ours, double theirs) {
    ++checked_;
    double rel = std::abs(ours - theirs) / std::max(std::abs(theirs), 1e-300);
    if (!(rel <= parameter_rtol)) {
      ++failed_;
      ADD_FAILURE() << fmt::format("{}: ours {:.12g}, PyBaMM {:.12g} (relative difference {:.3g}, allowed {:g})", what, ours,
                                   theirs, rel, parameter_rtol);
    }
  }
  int checked() const { return checked_; }
  int failed() const { return failed_; }

 private:
  const json& ref_;
  int checked_ = 0;
  int failed_ = 0;
};

TEST(PybammReference, ParametersMatchOurs) {
  auto dir = reference_dir();
  ASSERT_TRUE(dir.error.empty()) << dir.error;
  std::string error;
  json ref;
  ASSERT_TRUE(read_json(dir.path / "dfn_1C.json", &ref, &error)) << error;

  const auto p = lgm50_parameters();
  ASSERT_TRUE(p.negative.has_value()) << "lgm50 should have a porous negative";
  ASSERT_TRUE(p.electrolyte.has_value()) << "lgm50 should have a liquid electrolyte";
  const auto& neg = *p.negative;
  const auto& pos = p.positive;
  const auto& el = *p.electrolyte;
  ParameterCheck check(ref);

  // Geometry and microstructure.
  check.expect("negative thickness [m]", neg.thickness_m, check.pybamm("Negative electrode thickness [m]"));
  check.expect("separator thickness [m]", p.separator.thickness_m, check.pybamm("Separator thickness [m]"));
  check.expect("positive thickness [m]", pos.thickness_m, check.pybamm("Positive electrode thickness [m]"));
  check.expect("negative porosity", neg.porosity, check.pybamm("Negative electrode porosity"));
  check.expect("separator porosity", p.separator.porosity, check.pybamm("Separator porosity"));
  check.expect("positive porosity", pos.porosity, check.pybamm("Positive electrode porosity"));
  check.expect("negative active fraction", neg.active_fraction, check.pybamm("Negative electrode active material volume fraction"));
  check.expect("positive active fraction", pos.active_fraction, check.pybamm("Positive electrode active material volume fraction"));
  check.expect("negative particle radius [m]", neg.particle_radius_m, check.pybamm("Negative particle radius [m]"));
  check.expect("positive particle radius [m]", pos.particle_radius_m, check.pybamm("Positive particle radius [m]"));
  check.expect("negative a = 3 eps_s / R [1/m]", neg.surface_area_per_volume, check.derived("a_n = 3 eps_s_n / R_n [m-1]"));
  check.expect("positive a = 3 eps_s / R [1/m]", pos.surface_area_per_volume, check.derived("a_p = 3 eps_s_p / R_p [m-1]"));
  check.expect("negative Bruggeman (electrolyte)", neg.bruggeman, check.pybamm("Negative electrode Bruggeman coefficient (electrolyte)"));
  check.expect("separator Bruggeman (electrolyte)", p.separator.bruggeman, check.pybamm("Separator Bruggeman coefficient (electrolyte)"));
  check.expect("positive Bruggeman (electrolyte)", pos.bruggeman, check.pybamm("Positive electrode Bruggeman coefficient (electrolyte)"));
  // PyBaMM's electrode Bruggeman is 0 for Chen2020; compare 1 + b so that a relative test is meaningful.
  check.expect("1 + negative Bruggeman (electrode)", 1.0 + neg.electrode_bruggeman,
               1.0 + check.pybamm("Negative electrode Bruggeman coefficient (electrode)"));
  check.expect("1 + positive Bruggeman (electrode)", 1.0 + pos.electrode_bruggeman,
               1.0 + check.pybamm("Positive electrode Bruggeman coefficient (electrode)"));
  check.expect("electrode area [m2]", p.electrode_area_m2, check.derived("A_cc [m2]"));

  // Particles and kinetics.
  check.expect("negative c_max [mol/m3]", neg.max_concentration, check.pybamm("Maximum concentration in negative electrode [mol.m-3]"));
  check.expect("positive c_max [mol/m3]", pos.max_concentration, check.pybamm("Maximum concentration in positive electrode [mol.m-3]"));
  check.expect("negative stoichiometry at 100 % SOC (PyBaMM's initial)", neg.stoichiometry_at_100_soc,
               check.derived("initial negative stoichiometry"));
  check.expect("positive stoichiometry at 100 % SOC (PyBaMM's initial)", pos.stoichiometry_at_100_soc,
               check.derived("initial positive stoichiometry"));
  check.expect("negative particle diffusivity [m2/s]", neg.diffusivity, check.pybamm("Negative particle diffusivity [m2.s-1]"));
  check.expect("positive particle diffusivity [m2/s]", pos.diffusivity, check.pybamm("Positive particle diffusivity [m2.s-1]"));
  check.expect("negative conductivity [S/m]", neg.conductivity, check.pybamm("Negative electrode conductivity [S.m-1]"));
  check.expect("positive conductivity [S/m]", pos.conductivity, check.pybamm("Positive electrode conductivity [S.m-1]"));
  // Exchange current at PyBaMM's initial state: ours is j0_ref (at x = 0.5, c_e = 1000) x 2 sqrt(x (1 - x)) x sqrt(c_e / 1000).
  const double c_e0 = check.pybamm("Initial concentration in electrolyte [mol.m-3]");
  auto j0 = [&](const electrochem::ElectrodeParameters& e, double x) {
    return e.exchange_current_reference * 2.0 * std::sqrt(x * (1.0 - x)) * std::sqrt(c_e0 / 1000.0);
  };
  check.expect("negative j0 at the initial state [A/m2]", j0(neg, check.derived("initial negative stoichiometry")),
               check.derived("j0_n(c_e0, c_n0, T) [A.m-2]"));
  check.expect("positive j0 at the initial state [A/m2]", j0(pos, check.derived("initial positive stoichiometry")),
               check.derived("j0_p(c_e0, c_p0, T) [A.m-2]"));
  const auto& samples = ref.at("derived").at("samples");
  const auto sto = samples.at("sto").get<std::vector<double>>();
  const auto u_n = samples.at("U_n(sto) [V]").get<std::vector<double>>();
  const auto u_p = samples.at("U_p(sto) [V]").get<std::vector<double>>();
  for (std::size_t k = 0; k < sto.size(); ++k) {
    check.expect(fmt::format("negative OCP at x = {:g} [V]", sto[k]), neg.open_circuit_potential(sto[k]), u_n[k]);
    check.expect(fmt::format("positive OCP at x = {:g} [V]", sto[k]), pos.open_circuit_potential(sto[k]), u_p[k]);
  }

  // Electrolyte.
  check.expect("initial electrolyte concentration [mol/m3]", el.initial_concentration, c_e0);
  check.expect("transference number", el.transference_number, check.pybamm("Cation transference number"));
  check.expect("thermodynamic factor", el.thermodynamic_factor, check.pybamm("Thermodynamic factor"));
  const auto c_e = samples.at("c_e [mol.m-3]").get<std::vector<double>>();
  const auto d_e = samples.at("D_e(c_e, T) [m2.s-1]").get<std::vector<double>>();
  const auto kappa = samples.at("kappa_e(c_e, T) [S.m-1]").get<std::vector<double>>();
  for (std::size_t k = 0; k < c_e.size(); ++k) {
    check.expect(fmt::format("electrolyte diffusivity at {:g} mol/m3 [m2/s]", c_e[k]), el.diffusivity(c_e[k]), d_e[k]);
    check.expect(fmt::format("electrolyte conductivity at {:g} mol/m3 [S/m]", c_e[k]), el.conductivity(c_e[k]), kappa[k]);
  }

  // Cell.
  check.expect("nominal capacity [A.h]", p.nominal_capacity_Ah, check.pybamm("Nominal cell capacity [A.h]"));
  check.expect("lower voltage cut-off [V]", p.voltage_min_V, check.pybamm("Lower voltage cut-off [V]"));
  check.expect("upper voltage cut-off [V]", p.voltage_max_V, check.pybamm("Upper voltage cut-off [V]"));
  check.expect("reference temperature [K]", p.reference_temperature_K, check.pybamm("Reference temperature [K]"));

  // The reference's mesh and tolerances are the ones the cross-check assumes.
  const electrochem::Mesh mesh{};
  const auto& var_pts = ref.at("mesh").at("var_pts");
  EXPECT_EQ(var_pts.at("x_n").get<int>(), mesh.negative);
  EXPECT_EQ(var_pts.at("x_s").get<int>(), mesh.separator);
  EXPECT_EQ(var_pts.at("x_p").get<int>(), mesh.positive);
  EXPECT_EQ(var_pts.at("r_n").get<int>(), mesh.particle);
  EXPECT_EQ(var_pts.at("r_p").get<int>(), mesh.particle);
  EXPECT_EQ(ref.at("solver").at("rtol").get<double>(), 1e-8);

  RecordProperty("parameters_checked", check.checked());
  RecordProperty("parameters_differing", check.failed());
  std::cout << fmt::format("parameters: {} compared with PyBaMM's Chen2020 to {:g} relative, {} differ\n", check.checked(),
                           parameter_rtol, check.failed());
}

}  // namespace
}  // namespace solidcell
