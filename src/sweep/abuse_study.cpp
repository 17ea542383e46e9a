// The abuse study: one abuse test (abuse/test_matrix.hpp) of a cell under a standard. Parameters are the
// conditions the sensitivity study turns ("soc", "convection_factor", "nail_contact_factor",
// "max_operating_temperature_C"), the heating test's oven ("oven_temperature_C", "hold_min",
// "ramp_C_per_min"), the nail's position ("nail_position_x", "nail_position_y": nail_test.hpp's fractions), or
// cell-file keys (the abuse case is then rebuilt for every case). `grid` sets the 3D runs' control volumes.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"
#include "study_parameters.hpp"

namespace solidcell::sweep {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double kelvin = 273.15;

enum class Role {
  soc,
  convection_factor,
  nail_contact_factor,
  max_operating_temperature_C,
  oven_temperature_C,
  hold_min,
  ramp_C_per_min,
  nail_position_x,
  nail_position_y,
  cell_key
};

struct Condition {
  const char* name;
  Role role;
  io::Range range;
  const char* only_for;  // the one test it applies to, or nullptr
};

const std::vector<Condition>& conditions() {
  static const std::vector<Condition> list{
      {"soc", Role::soc, io::Range::unit_interval(), nullptr},
      {"convection_factor", Role::convection_factor, io::Range::positive(1e3), nullptr},
      {"nail_contact_factor", Role::nail_contact_factor, io::Range::positive(1e3), nullptr},
      {"max_operating_temperature_C", Role::max_operating_temperature_C, io::Range{0.0, 200.0}, nullptr},
      {"oven_temperature_C", Role::oven_temperature_C, io::Range{25.0, 400.0}, "heating"},
      {"hold_min", Role::hold_min, io::Range::non_negative(100000.0), "heating"},
      {"ramp_C_per_min", Role::ramp_C_per_min, io::Range::positive(1000.0), "heating"},
      {"nail_position_x", Role::nail_position_x, io::Range::unit_interval(), "nail"},
      {"nail_position_y", Role::nail_position_y, io::Range::unit_interval(), "nail"},
  };
  return list;
}

struct Setup {
  std::shared_ptr<const CellTemplate> cell;
  std::string test, standard, network;
  bool three_d = false;
  std::optional<std::array<int, 3>> grid;  // of the 3D runs; none: ThreeDOptions' default
  double max_operating_C = 60.0;
  double relative_tolerance = 1e-6;
  std::vector<Role> roles;
  std::vector<std::string> cell_keys;
  bool oven_varied = false;
};

const std::vector<std::string>& abuse_scalars() {
  static const std::vector<std::string> names{
      "Peak temperature [K]", "Thermal runaway", "Pass", "EUCAR level", "Runaway onset [s]", "Maximum temperature rate [K.s-1]",
      "Electrical heat [kJ]", "Gas [mol]",       "Duration [s]",
  };
  return names;
}

class AbuseWorker : public StudyWorker {
 public:
  AbuseWorker(std::shared_ptr<const Setup> s, bool time_series) : s_(std::move(s)), time_series_(time_series) {
    if (s_->cell_keys.empty()) base_ = std::make_unique<abuse::AbuseCase>(make_case(s_->cell->base()));
    if (s_->test == "heating") heating_ = abuse::load_heating_procedure(s_->standard);
  }

  CaseOutcome run(std::span<const double> values) override {
    const auto& s = *s_;
    std::vector<double> cell_values;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (s.roles[i] == Role::cell_key) cell_values.push_back(values[i]);
    abuse::AbuseCase c = s.cell_keys.empty() ? *base_ : make_case(s.cell->with(s.cell_keys, cell_values));
    auto procedure = heating_;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = values[i];
      const auto& cond = conditions();
      for (const auto& k : cond)
        if (k.role == s.roles[i] && !k.range.contains(v)) throw InputError(InputLocation{"", 0, k.name}, io::format_number(v), k.range.describe());
      switch (s.roles[i]) {
        case Role::soc: c.options.initial_soc = v; break;
        case Role::convection_factor: c.convection_factor = v; break;
        case Role::nail_contact_factor: c.nail_contact_factor = v; break;
        case Role::max_operating_temperature_C: c.options.max_operating_temperature_K = v + kelvin; break;
        case Role::oven_temperature_C: procedure.hold_temperature_K = v + kelvin; break;
        case Role::hold_min: procedure.hold_s = 60.0 * v; break;
        case Role::ramp_C_per_min: procedure.ramp_K_per_s = v / 60.0; break;
        case Role::nail_position_x: c.nail_position_x = v; break;
        case Role::nail_position_y: c.nail_position_y = v; break;
        case Role::cell_key: break;
      }
    }
    const abuse::AbuseResult r = run_test(c, procedure);

    CaseOutcome out;
    if (!r.failure.empty()) out.failure = "solver failure: " + r.failure;
    if (r.trace.time_s.empty() && out.failure.empty()) out.failure = "the test produced no output";
    if (out.failure.empty()) {
      const auto& v = r.verdict;
      out.scalars = {v.peak_temperature_K,
                     v.thermal_runaway ? 1.0 : 0.0,
                     v.pass ? 1.0 : 0.0,
                     static_cast<double>(v.eucar_level),
                     v.onset_time_s.value_or(nan),
                     v.max_temperature_rate_K_per_s,
                     r.electrical_heat_kJ,
                     r.trace.gas_mol.empty() ? 0.0 : r.trace.gas_mol.back(),
                     r.trace.time_s.back() - r.trace.time_s.front()};
    }
    if (time_series_) {
      out.arrays = {{"Time [s]", "s", r.trace.time_s},
                    {"Temperature [K]", "K", r.trace.temperature_K},
                    {"Surroundings temperature [K]", "K", r.trace.surroundings_K},
                    {"Voltage [V]", "V", r.trace.voltage_V},
                    {"Heat rate [W]", "W", r.trace.heat_rate_W}};
    }
    return out;
  }

 private:
  abuse::AbuseCase make_case(const cell::Cell& cell) const {
    auto c = abuse::make_abuse_case(cell, s_->cell->file(), s_->network);
    c.options.relative_tolerance = s_->relative_tolerance;
    c.options.max_operating_temperature_K = s_->max_operating_C + kelvin;
    c.three_d = s_->three_d;
    if (s_->grid) {
      c.three_d_options.nx = (*s_->grid)[0];
      c.three_d_options.ny = (*s_->grid)[1];
      c.three_d_options.nz = (*s_->grid)[2];
    }
    return c;
  }

  // As run_abuse_test(), with the heating procedure's oven settings taken from the case when it varies them.
  abuse::AbuseResult run_test(const abuse::AbuseCase& c, abuse::HeatingProcedure p) const {
    if (s_->test != "heating" || !s_->oven_varied) return abuse::run_abuse_test(s_->test, c, s_->standard);
    p.convection_W_per_m2_K *= c.convection_factor;
    if (c.three_d) {
      auto o3 = c.three_d_options;
      o3.initial_soc = c.options.initial_soc;
      o3.max_operating_temperature_K = c.options.max_operating_temperature_K;
      return abuse::run_heating_test_3d(c.cell, c.inventory, c.network, p, o3);
    }
    return abuse::run_heating_test(c.inventory, c.network, p, c.options);
  }

  std::shared_ptr<const Setup> s_;
  bool time_series_;
  std::unique_ptr<abuse::AbuseCase> base_;
  abuse::HeatingProcedure heating_;
};

class AbuseStudy : public Study {
 public:
  explicit AbuseStudy(const SweepSpec& spec) {
    auto s = std::make_shared<Setup>();
    auto t = spec.study_table();
    s->cell = std::make_shared<const CellTemplate>(resolve_cell_path(t.string("cell"), spec.file));
    s->test = t.choice("test", abuse::abuse_test_names());
    s->standard = t.optional_string("standard").value_or("gb38031-2025");
    s->network = t.optional_string("network").value_or("");
    if (t.has("three_d")) {
      auto b = t.node("three_d")->value_exact<bool>();
      if (!b) t.fail("three_d", "", "true or false");
      s->three_d = *b;
    }
    if (t.has("grid")) {
      const auto g = t.number_array("grid", io::Range{1.0, 1000.0});
      if (g.size() != 3 || std::any_of(g.begin(), g.end(), [](double v) { return !(v >= 1.0 && v <= 1000.0 && v == std::floor(v)); }))
        t.fail("grid", "", "three whole numbers [nx, ny, nz] of 1-1000 control volumes (the 3D runs: nail, three_d)");
      s->grid = std::array<int, 3>{static_cast<int>(g[0]), static_cast<int>(g[1]), static_cast<int>(g[2])};
    }
    s->max_operating_C = t.optional_number("max_operating_temperature_C", io::Range{0.0, 200.0}).value_or(60.0);
    s->relative_tolerance = t.optional_number("relative_tolerance", io::Range{1e-12, 1e-2}).value_or(1e-6);
    t.accept("source");
    t.reject_unknown_keys();
    // The case and the standard load now, so that their errors point at [study].
    abuse::make_abuse_case(s->cell->base(), s->cell->file(), s->network);
    if (s->test == "heating") abuse::load_heating_procedure(s->standard);

    for (const auto& p : spec.parameters) {
      std::optional<Role> role;
      for (const auto& k : conditions()) {
        if (p.name != k.name) continue;
        if (k.only_for && s->test != k.only_for)
          throw InputError(InputLocation{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())}, "\"" + p.name + "\"",
                           fmt::format("a setting of the {} test: only for test = \"{}\" (this study's test is \"{}\")", k.only_for, k.only_for, s->test));
        role = k.role;
        if (k.only_for && std::string(k.only_for) == "heating") s->oven_varied = true;
      }
      if (!role && s->cell->has_number(p.name)) {
        role = Role::cell_key;
        s->cell_keys.push_back(p.name);
      }
      if (!role) {
        std::string list;
        for (const auto& k : conditions())
          if (!k.only_for || s->test == k.only_for) list += (list.empty() ? "" : ", ") + ("\"" + std::string(k.name) + "\"");
        throw InputError(InputLocation{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())}, "\"" + p.name + "\"",
                         fmt::format("a condition of the {} test ({}) or {}", s->test, list, cell_path_allowed(*s->cell, "a cell-file key", p.name)));
      }
      s->roles.push_back(*role);
    }
    setup_ = std::move(s);
  }

  std::vector<std::string> scalar_names() const override { return abuse_scalars(); }
  std::unique_ptr<StudyWorker> make_worker(bool time_series) const override { return std::make_unique<AbuseWorker>(setup_, time_series); }

 private:
  std::shared_ptr<const Setup> setup_;
};

}  // namespace

std::unique_ptr<Study> make_abuse_study(const SweepSpec& spec) { return std::make_unique<AbuseStudy>(spec); }

}  // namespace solidcell::sweep
