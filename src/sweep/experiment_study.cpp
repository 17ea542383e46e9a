// The experiment study: a model (spm, spme, dfn) of a cell run through an experiment. Parameters are model
// inputs (BatteryModel::set_input, PyBaMM's names: the model is built once per thread and re-solved),
// "initial_soc", {placeholders} in the experiment text (e.g. "Discharge at {current_A} A until 2.5 V"), or
// cell-file keys (the model is then rebuilt for every case).
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/model_inputs.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"
#include "experiment_text.hpp"
#include "study_parameters.hpp"

namespace solidcell::sweep {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

enum class Role { model_input, initial_soc, placeholder, cell_key };

struct Setup {
  std::shared_ptr<const CellTemplate> cell;
  std::string model = "dfn";
  std::string experiment;
  int experiment_line = 1;
  bool isothermal = false;
  experiment::SimulationOptions options;
  std::vector<Role> roles;        // per spec parameter
  std::vector<std::string> names;  // per spec parameter
  std::vector<std::string> cell_keys;
  bool has_placeholders = false;
};

electrochem::CellParameters parameters_of(const Setup& s, const cell::Cell& c) {
  auto p = electrochem::model_parameters(c, s.cell->file());
  if (s.isothermal) p.thermal.reset();
  return p;
}

const std::vector<std::string>& experiment_scalars() {
  static const std::vector<std::string> names{
      "Discharge capacity [A.h]", "Discharge energy [W.h]", "Final voltage [V]", "Minimum voltage [V]", "Maximum voltage [V]",
      "Maximum temperature [K]",  "Duration [s]",           "Solver steps",
  };
  return names;
}

class ExperimentWorker : public StudyWorker {
 public:
  ExperimentWorker(std::shared_ptr<const Setup> s, bool time_series) : s_(std::move(s)), time_series_(time_series) {
    if (s_->cell_keys.empty()) model_ = electrochem::make_model(s_->model, parameters_of(*s_, s_->cell->base()));
    if (!s_->has_placeholders) steps_ = experiment::parse_experiment(s_->experiment, "experiment", 1);
  }

  CaseOutcome run(std::span<const double> values) override {
    const auto& s = *s_;
    if (!s.cell_keys.empty()) {
      std::vector<double> cell_values;
      for (std::size_t i = 0; i < values.size(); ++i)
        if (s.roles[i] == Role::cell_key) cell_values.push_back(values[i]);
      model_ = electrochem::make_model(s.model, parameters_of(s, s.cell->with(s.cell_keys, cell_values)));
    }
    auto options = s.options;
    std::string text = s.experiment;
    for (std::size_t i = 0; i < values.size(); ++i) {
      switch (s.roles[i]) {
        case Role::model_input: model_->set_input(s.names[i], values[i]); break;
        case Role::initial_soc:
          if (!(values[i] >= 0.0 && values[i] <= 1.0))
            throw InputError(InputLocation{"", 0, "initial_soc"}, io::format_number(values[i]), "allowed range [0, 1]");
          options.initial_soc = values[i];
          break;
        case Role::placeholder: text = fill_placeholder(std::move(text), s.names[i], values[i]); break;
        case Role::cell_key: break;
      }
    }
    const auto steps = s.has_placeholders ? experiment::parse_experiment(text, "experiment", 1) : steps_;
    const auto sol = experiment::run_experiment(*model_, steps, options);

    CaseOutcome out;
    if (sol.failure)
      out.failure = fmt::format("solver failure at t = {:.6g} s in step {} ({}): {}", sol.failure->time_s, sol.failure->step,
                                sol.failure->step_text, sol.failure->reason);
    else if (sol.time_s.empty())
      out.failure = "the experiment produced no output";
    if (out.failure.empty()) {
      const auto [vmin, vmax] = std::minmax_element(sol.voltage_V.begin(), sol.voltage_V.end());
      const double tmax = sol.temperature_K.empty() ? nan : *std::max_element(sol.temperature_K.begin(), sol.temperature_K.end());
      out.scalars = {sol.discharge_capacity_Ah.back(), sol.discharge_energy_Wh.back(), sol.voltage_V.back(), *vmin, *vmax, tmax,
                     sol.time_s.back() - sol.time_s.front(), static_cast<double>(sol.solver.steps)};
    }
    if (time_series_) {
      out.arrays = {{"Time [s]", "s", sol.time_s},
                    {"Current [A]", "A", sol.current_A},
                    {"Voltage [V]", "V", sol.voltage_V},
                    {"Discharge capacity [A.h]", "A.h", sol.discharge_capacity_Ah},
                    {"Temperature [K]", "K", sol.temperature_K}};
    }
    return out;
  }

 private:
  std::shared_ptr<const Setup> s_;
  bool time_series_;
  std::unique_ptr<electrochem::BatteryModel> model_;
  std::vector<experiment::Step> steps_;
};

class ExperimentStudy : public Study {
 public:
  explicit ExperimentStudy(const SweepSpec& spec) {
    auto s = std::make_shared<Setup>();
    auto t = spec.study_table();
    s->cell = std::make_shared<const CellTemplate>(resolve_cell_path(t.string("cell"), spec.file));
    if (t.has("model")) s->model = t.choice("model", electrochem::model_names());
    s->experiment = t.string("experiment");
    s->experiment_line = t.where("experiment").line;
    s->options.initial_soc = t.optional_number("initial_soc", io::Range::unit_interval()).value_or(1.0);
    s->options.ambient_temperature_K = t.optional_number("ambient_temperature_K", io::Range{150.0, 500.0});
    s->options.relative_tolerance = t.optional_number("relative_tolerance", io::Range{1e-12, 1e-2}).value_or(1e-6);
    s->options.absolute_tolerance = t.optional_number("absolute_tolerance", io::Range::non_negative(1e-2)).value_or(0.0);
    if (t.has("integrator"))
      s->options.integrator = t.choice("integrator", {"ida", "bdf"}) == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    if (t.has("isothermal")) {
      auto b = t.node("isothermal")->value_exact<bool>();
      if (!b) t.fail("isothermal", "", "true or false");
      s->isothermal = *b;
    }
    t.accept("source");
    t.reject_unknown_keys();

    // The base model tells which inputs apply to this cell and model; it also checks the cell fits the model.
    std::unique_ptr<electrochem::BatteryModel> probe;
    try {
      probe = electrochem::make_model(s->model, parameters_of(*s, s->cell->base()));
    } catch (const InputError& e) {
      throw InputError(t.where("model"), "\"" + s->model + "\"", e.what());
    }
    const auto inputs = probe->input_names();
    for (const auto& p : spec.parameters) {
      Role role;
      if (std::find(inputs.begin(), inputs.end(), p.name) != inputs.end()) role = Role::model_input;
      else if (p.name == "initial_soc") role = Role::initial_soc;
      else if (s->experiment.find("{" + p.name + "}") != std::string::npos) role = Role::placeholder;
      else if (s->cell->has_number(p.name)) role = Role::cell_key;
      else {
        std::string list;
        for (const auto& n : inputs) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
        throw InputError(InputLocation{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())}, "\"" + p.name + "\"",
                         fmt::format("an input of the {} model ({}), \"initial_soc\", a {{name}} placeholder in the study's experiment, or {}",
                                     s->model, list, cell_path_allowed(*s->cell, "a cell-file key", p.name)));
      }
      if (role == Role::cell_key) s->cell_keys.push_back(p.name);
      if (role == Role::placeholder) s->has_placeholders = true;
      s->roles.push_back(role);
      s->names.push_back(p.name);
    }
    const auto& text = s->experiment;
    check_placeholders(t, text, s->names);
    if (!s->has_placeholders) experiment::parse_experiment(text, spec.file, s->experiment_line);  // errors now, with the line
    setup_ = std::move(s);
  }

  std::vector<std::string> scalar_names() const override { return experiment_scalars(); }
  std::unique_ptr<StudyWorker> make_worker(bool time_series) const override {
    return std::make_unique<ExperimentWorker>(setup_, time_series);
  }

 private:
  std::shared_ptr<const Setup> setup_;
};

}  // namespace

std::unique_ptr<Study> make_experiment_study(const SweepSpec& spec) { return std::make_unique<ExperimentStudy>(spec); }

}  // namespace solidcell::sweep
