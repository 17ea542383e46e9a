// The ageing study: a cycling study (ageing/cycle_study.hpp) of a cell whose degradation comes from its file
// ([negative.sei] for liquid cells, [degradation] for solid-state ones), as `solidcell age` runs it.
// [study] cell, experiment (one cycle, {placeholders} allowed), cycles, and the `age` command's settings.
// Parameters: "initial_soc", "ambient_temperature_K", "stack_pressure_Pa" (solid-state cells), a {name}
// placeholder of the experiment, or a cell-file key (e.g. negative.sei.exchange_current_density_A_per_m2).
// The cell ages during a case, so every case builds its own AgeingCell.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"
#include "experiment_text.hpp"
#include "study_parameters.hpp"

namespace solidcell::sweep {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

enum class Role { initial_soc, ambient_temperature_K, stack_pressure_Pa, placeholder, cell_key };

struct Setting {
  const char* name;
  Role role;
  io::Range range;
};

const std::vector<Setting>& settings() {
  static const std::vector<Setting> s{
      {"initial_soc", Role::initial_soc, io::Range::unit_interval()},
      {"ambient_temperature_K", Role::ambient_temperature_K, io::Range{203.15, 393.15}},
      {"stack_pressure_Pa", Role::stack_pressure_Pa, io::Range{1e4, 5e8}},
  };
  return s;
}

struct Setup {
  std::shared_ptr<const CellTemplate> cell;
  std::string experiment;
  ageing::AgeingSetup ageing;
  ageing::CycleStudyOptions study;
  std::vector<Role> roles;
  std::vector<std::string> names;
  std::vector<std::string> cell_keys;
  bool has_placeholders = false;
};

const std::vector<std::string>& ageing_scalars() {
  static const std::vector<std::string> names{
      "Capacity retention",          "Cycles to 80 %",        "Resistance growth",     "First discharge capacity [A.h]",
      "Final discharge capacity [A.h]", "Lithium inventory lost [mol]", "SEI thickness [m]", "CEI thickness [m]",
      "Cathode contact fraction",    "Knee cycle",            "Cycles run",            "Cycles solved",
      "Short circuit (0/1)",
  };
  return names;
}

class AgeingWorker : public StudyWorker {
 public:
  AgeingWorker(std::shared_ptr<const Setup> s, bool time_series) : s_(std::move(s)), time_series_(time_series) {
    if (!s_->has_placeholders) steps_ = experiment::parse_experiment(s_->experiment, "experiment", 1);
  }

  CaseOutcome run(std::span<const double> values) override {
    const auto& s = *s_;
    auto setup = s.ageing;
    std::string text = s.experiment;
    std::vector<double> cell_values;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = values[i];
      for (const auto& k : settings())
        if (k.role == s.roles[i] && !k.range.contains(v)) throw InputError(InputLocation{"", 0, k.name}, io::format_number(v), k.range.describe());
      switch (s.roles[i]) {
        case Role::initial_soc: setup.initial_soc = v; break;
        case Role::ambient_temperature_K: setup.ambient_temperature_K = v; break;
        case Role::stack_pressure_Pa: setup.stack_pressure_Pa = v; break;
        case Role::placeholder: text = fill_placeholder(std::move(text), s.names[i], v); break;
        case Role::cell_key: cell_values.push_back(v); break;
      }
    }
    const auto cell = s.cell->with(s.cell_keys, cell_values);
    auto aged = ageing::make_ageing_cell(cell, s.cell->file(), setup);
    const auto steps = s.has_placeholders ? experiment::parse_experiment(text, "experiment", 1) : steps_;
    const auto r = ageing::run_cycle_study(*aged, steps, s.study);

    CaseOutcome out;
    if (r.cycles.empty()) {
      out.failure = r.stopped.empty() ? "no cycle finished" : r.stopped;
      return out;
    }
    const auto& first = r.cycles.front();
    const auto& last = r.cycles.back();
    const bool shorted = !r.events.empty();
    out.scalars = {last.capacity_retention,
                   r.end_of_life_cycle ? static_cast<double>(*r.end_of_life_cycle) : nan,
                   last.resistance_growth,
                   first.discharge_capacity_Ah,
                   last.discharge_capacity_Ah,
                   first.lithium_inventory_mol - last.lithium_inventory_mol,
                   last.sei_thickness_m,
                   last.cei_thickness_m,
                   last.contact_fraction,
                   r.knee ? static_cast<double>(r.knee->cycle) : nan,
                   static_cast<double>(r.cycles.size()),
                   static_cast<double>(r.solved_cycles),
                   shorted ? 1.0 : 0.0};
    // A study cut short by a solver failure is a failed case; one ended by a short circuit ran as the model says.
    if (!r.stopped.empty() && !shorted && static_cast<int>(r.cycles.size()) < s.study.cycles) out.failure = r.stopped;
    if (time_series_) {
      NamedArray cycle{"Cycle", "", {}}, retention{"Capacity retention", "", {}}, growth{"Resistance growth", "", {}},
          capacity{"Discharge capacity [A.h]", "A.h", {}}, lithium{"Lithium inventory [mol]", "mol", {}}, solved{"Solved (0/1)", "", {}};
      for (const auto& c : r.cycles) {
        cycle.values.push_back(c.cycle);
        retention.values.push_back(c.capacity_retention);
        growth.values.push_back(c.resistance_growth);
        capacity.values.push_back(c.discharge_capacity_Ah);
        lithium.values.push_back(c.lithium_inventory_mol);
        solved.values.push_back(c.simulated ? 1.0 : 0.0);
      }
      out.arrays = {std::move(cycle), std::move(retention), std::move(growth), std::move(capacity), std::move(lithium), std::move(solved)};
    }
    return out;
  }

 private:
  std::shared_ptr<const Setup> s_;
  bool time_series_;
  std::vector<experiment::Step> steps_;
};

class AgeingStudy : public Study {
 public:
  explicit AgeingStudy(const SweepSpec& spec) {
    auto s = std::make_shared<Setup>();
    auto t = spec.study_table();
    s->cell = std::make_shared<const CellTemplate>(resolve_cell_path(t.string("cell"), spec.file));
    s->experiment = t.string("experiment");
    const int experiment_line = t.where("experiment").line;
    s->study.cycles = static_cast<int>(t.integer("cycles", 1, 1000000));
    if (t.has("accelerate")) {
      auto b = t.node("accelerate")->value_exact<bool>();
      if (!b) t.fail("accelerate", "", "true or false");
      s->study.accelerate = *b;
    }
    s->study.tolerance = t.optional_number("tolerance", io::Range{1e-6, 0.05}).value_or(s->study.tolerance);
    if (t.has("sei")) s->ageing.sei = t.choice("sei", {"reaction limited", "solvent-diffusion limited"});
    if (t.has("mesh")) s->ageing.mesh = static_cast<int>(t.integer("mesh", 2, 200));
    s->ageing.initial_soc = t.optional_number("initial_soc", io::Range::unit_interval()).value_or(1.0);
    s->ageing.ambient_temperature_K = t.optional_number("ambient_temperature_K", io::Range{203.15, 393.15}).value_or(298.15);
    s->ageing.relative_tolerance = t.optional_number("relative_tolerance", io::Range{1e-12, 1e-2}).value_or(1e-6);
    if (t.has("integrator"))
      s->ageing.integrator = t.choice("integrator", {"ida", "bdf"}) == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    if (t.has("thermal")) {
      auto b = t.node("thermal")->value_exact<bool>();
      if (!b) t.fail("thermal", "", "true or false");
      s->ageing.thermal = *b;
    }
    if (t.has("stack_pressure_Pa")) s->ageing.stack_pressure_Pa = t.number("stack_pressure_Pa", io::Range{1e4, 5e8});
    s->ageing.field_prefix = "study.";
    t.accept("source");
    t.reject_unknown_keys();
    // The cell must age (it has degradation tables) and the settings must fit it: errors now, pointing at [study].
    try {
      ageing::make_ageing_cell(s->cell->base(), s->cell->file(), s->ageing);
    } catch (const InputError& e) {
      throw InputError(t.where("cell"), "\"" + s->cell->file() + "\"", e.what());
    }

    for (const auto& p : spec.parameters) {
      std::optional<Role> role;
      for (const auto& k : settings())
        if (p.name == k.name) role = k.role;
      if (!role && s->experiment.find("{" + p.name + "}") != std::string::npos) role = Role::placeholder;
      if (!role && s->cell->has_number(p.name)) role = Role::cell_key;
      if (!role) {
        std::string list;
        for (const auto& k : settings()) list += (list.empty() ? "" : ", ") + ("\"" + std::string(k.name) + "\"");
        throw InputError(InputLocation{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())}, "\"" + p.name + "\"",
                         fmt::format("a setting of the ageing study ({}), a {{name}} placeholder in the study's experiment, or {}", list,
                                     cell_path_allowed(*s->cell, "a cell-file key", p.name)));
      }
      if (*role == Role::cell_key) s->cell_keys.push_back(p.name);
      if (*role == Role::placeholder) s->has_placeholders = true;
      s->roles.push_back(*role);
      s->names.push_back(p.name);
    }
    check_placeholders(t, s->experiment, s->names);
    if (!s->has_placeholders) experiment::parse_experiment(s->experiment, spec.file, experiment_line);
    setup_ = std::move(s);
  }

  std::vector<std::string> scalar_names() const override { return ageing_scalars(); }
  std::unique_ptr<StudyWorker> make_worker(bool time_series) const override { return std::make_unique<AgeingWorker>(setup_, time_series); }

 private:
  std::shared_ptr<const Setup> setup_;
};

}  // namespace

std::unique_ptr<Study> make_ageing_study(const SweepSpec& spec) { return std::make_unique<AgeingStudy>(spec); }

}  // namespace solidcell::sweep
