#include "solidcell/experiment/simulation.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/numerics/ida_integrator.hpp"

namespace solidcell::experiment {
namespace {

using electrochem::Control;
using electrochem::ControlKind;

struct Event {
  std::string label;
  std::function<double(const double* y, double q_step)> g;  // crosses zero at the limit
  bool ends_experiment = false;
};

Control control_for(const Step& step, double nominal_Ah, double t_start) {
  Control c;
  switch (step.kind) {
    case StepKind::current:
    case StepKind::c_rate:
    case StepKind::rest:
      c.kind = ControlKind::current;
      c.value = step.imposed_current_A(nominal_Ah);
      break;
    case StepKind::voltage:
      c.kind = ControlKind::voltage;
      c.value = step.volts;
      break;
    case StepKind::power:
      c.kind = ControlKind::power;
      c.value = step.watts;
      break;
    case StepKind::drive_cycle: {
      auto cycle = std::make_shared<DriveCycle>(load_drive_cycle(step.drive_cycle_path, step.drive_cycle_quantity));
      c.kind = step.drive_cycle_quantity == DriveCycleQuantity::power ? ControlKind::power : ControlKind::current;
      c.profile = [cycle, t_start](double t) { return cycle->value_at(t - t_start); };
      break;
    }
  }
  return c;
}

// A step without a duration still needs an end: a drive cycle lasts its file's span; other steps long
// enough for any sensible limit to be met first.
double default_duration(const Step& step, double nominal_Ah) {
  if (step.kind == StepKind::drive_cycle) return load_drive_cycle(step.drive_cycle_path, step.drive_cycle_quantity).duration_s();
  if (step.kind == StepKind::current || step.kind == StepKind::c_rate) {
    double amps = std::abs(step.imposed_current_A(nominal_Ah));
    if (amps > 0) return 2.0 * nominal_Ah / amps * 3600.0 + 3600.0;
  }
  return 24.0 * 3600.0;
}

}  // namespace

void check_feasible(const std::vector<Step>& steps, const electrochem::CellParameters& p, const SimulationOptions& options) {
  for (const auto& step : steps) {
    auto fail = [&](const std::string& value, const std::string& allowed) {
      throw InputError(InputLocation{"", step.line, fmt::format("experiment step {}", step.number)}, value, allowed);
    };
    if (step.kind == StepKind::voltage && (step.volts < p.voltage_min_V || step.volts > p.voltage_max_V))
      fail(fmt::format("\"{}\"", step.text), fmt::format("the hold voltage must lie in the cell's window [{}, {}] V", p.voltage_min_V, p.voltage_max_V));
    for (const auto& term : step.terminations)
      if (term.quantity == Termination::Quantity::voltage && (term.value < p.voltage_min_V - 0.5 || term.value > p.voltage_max_V + 0.5))
        fail(fmt::format("\"{}\"", step.text), fmt::format("voltage limits must lie near the cell's window [{}, {}] V", p.voltage_min_V, p.voltage_max_V));
  }
  if (!(options.initial_soc >= 0.0 && options.initial_soc <= 1.0))
    throw InputError(InputLocation{"", 0, "initial SOC"}, fmt::format("{}", options.initial_soc), "allowed range [0, 1]");
  if (options.ambient_temperature_K && !(*options.ambient_temperature_K > 200.0 && *options.ambient_temperature_K < 400.0))
    throw InputError(InputLocation{"", 0, "ambient temperature"}, fmt::format("{:.2f} K", *options.ambient_temperature_K), "allowed range (200, 400) K");
}

Solution run_experiment(electrochem::BatteryModel& model, const std::vector<Step>& steps, const SimulationOptions& options) {
  auto clock_start = std::chrono::steady_clock::now();
  Solution sol;
  sol.model = model.name();
  sol.integrator = options.integrator == numerics::IntegratorKind::bdf ? "BDF" : "IDA";
  sol.integrator += options.integrator == numerics::IntegratorKind::ida && options.linear_solver == numerics::LinearSolverKind::band ? " (band)" : " (sparse)";
  const auto& p = model.parameters();
  check_feasible(steps, p, options);
  if (options.ambient_temperature_K) model.set_temperature(*options.ambient_temperature_K);
  if (!steps.empty()) model.set_control(control_for(steps.front(), p.nominal_capacity_Ah, 0.0));

  std::vector<double> y = options.initial_state ? *options.initial_state : model.initial_state(options.initial_soc), yp;
  if (y.size() != model.size())
    throw std::invalid_argument(fmt::format("run_experiment: initial state has {} unknowns, the model {}", y.size(), model.size()));
  sol.lithium_moles_start = model.lithium_moles(y.data());
  const numerics::IntegratorOptions integrator_options{options.relative_tolerance, 0.0, options.max_solver_steps_per_step,
                                                       options.linear_solver, options.absolute_tolerance};
  auto integrator = numerics::make_integrator(options.integrator, model, integrator_options);
  // When a step's integration fails: the same integrator at a tenth of the tolerance, then the other integrator,
  // each from the last good state (made when a step first needs them).
  std::vector<std::unique_ptr<numerics::DaeIntegrator>> fallbacks;
  auto fallback = [&](std::size_t k) -> numerics::DaeIntegrator* {
    while (fallbacks.size() <= k) {
      auto o = integrator_options;
      auto kind = options.integrator;
      if (fallbacks.empty()) o.relative_tolerance /= 10.0;
      else kind = kind == numerics::IntegratorKind::ida ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
      fallbacks.push_back(numerics::make_integrator(kind, model, o));
    }
    return fallbacks[k].get();
  };
  constexpr std::size_t fallback_count = 2;

  double t = 0.0;
  double energy_Wh = 0.0;
  auto record = [&](int step_number) {
    double v = model.voltage(y.data());
    double i = model.current(y.data());
    if (!sol.time_s.empty()) {
      double dt = t - sol.time_s.back();
      energy_Wh += 0.5 * (v * i + sol.voltage_V.back() * sol.current_A.back()) * dt / 3600.0;
    }
    sol.time_s.push_back(t);
    sol.current_A.push_back(i);
    sol.voltage_V.push_back(v);
    sol.discharge_capacity_Ah.push_back(model.discharge_capacity_Ah(y.data()));
    sol.discharge_energy_Wh.push_back(energy_Wh);
    sol.open_circuit_voltage_V.push_back(model.open_circuit_voltage(y.data()));
    sol.temperature_K.push_back(model.cell_temperature(y.data()));
    sol.step_number.push_back(step_number);
  };

  for (std::size_t s = 0; s < steps.size(); ++s) {
    const Step& step = steps[s];
    const double t_start = t;
    const double nominal = p.nominal_capacity_Ah;
    const Control model_control = control_for(step, nominal, t_start);
    model.set_control(model_control);

    std::vector<Event> events;
    const double margin = options.cutoff_margin_V;
    if (step.kind != StepKind::voltage) {  // a hold imposes the voltage; the window was checked before the run
      events.push_back({fmt::format("cell voltage limit {} V", p.voltage_min_V),
                        [&, margin](const double* yy, double) { return model.voltage(yy) - (p.voltage_min_V - margin); }, true});
      events.push_back({fmt::format("cell voltage limit {} V", p.voltage_max_V),
                        [&, margin](const double* yy, double) { return (p.voltage_max_V + margin) - model.voltage(yy); }, true});
    }
    // A liquid cell whose salt runs out cannot carry the current: PyBaMM's "zero electrolyte" cut-off.
    if (std::isfinite(model.minimum_electrolyte_concentration(y.data()))) {
      events.push_back({"electrolyte depletion (salt below 1 mol/m3 somewhere in the cell)",
                        [&](const double* yy, double) { return model.minimum_electrolyte_concentration(yy) - 1.0; }, true});
    }
    for (const auto& term : step.terminations) {
      Event e;
      e.label = "until " + term.text;
      bool falling = term.crossing == Termination::Crossing::falling;
      switch (term.quantity) {
        case Termination::Quantity::voltage:
          e.g = [&, v = term.value, falling](const double* yy, double) { return falling ? model.voltage(yy) - v : v - model.voltage(yy); };
          break;
        case Termination::Quantity::current:
        case Termination::Quantity::c_rate: {
          double amps = limit_current_A(term, nominal);
          e.g = [&, amps, falling](const double* yy, double) {
            double i = std::abs(model.current(yy));
            return falling ? i - amps : amps - i;
          };
          break;
        }
        case Termination::Quantity::capacity:
          e.g = [v = term.value](const double*, double q_step) { return v - std::abs(q_step); };
          break;
      }
      events.push_back(e);
    }
    const double q_start = model.discharge_capacity_Ah(y.data());
    const auto event_values = [&](double, const double* yy, double* g) {
      double q_step = model.discharge_capacity_Ah(yy) - q_start;
      for (std::size_t k = 0; k < events.size(); ++k) g[k] = events[k].g(yy, q_step);
    };
    numerics::DaeIntegrator* solver = integrator.get();  // every step starts with the chosen integrator
    solver->set_events(static_cast<int>(events.size()), event_values);

    double duration = step.duration_s.value_or(default_duration(step, nominal));
    double t_stop = t_start + duration;
    StepSummary summary;
    summary.number = step.number;
    summary.text = step.text;
    summary.start_s = t_start;
    double energy_at_start = energy_Wh;
    // Where the step starts: a failed attempt is dropped and the step solved again from here by a fallback
    // (a restart from the last good state can land on another branch of the algebraic equations near an OCP wall).
    const std::vector<double> y_start = y;
    const std::size_t rows_at_start = sol.time_s.size();
    std::size_t attempt = 0;
    for (;;) {
      try {
        const Control& c = model_control;
        double v_now = model.voltage(y.data());
        if (c.kind == ControlKind::current) model.guess_current(y.data(), c.at(t));
        if (c.kind == ControlKind::power && v_now > 0) {
          // Power couples the current to the voltage; settle the potentials at the current P/V first, then
          // impose the power from that nearly consistent state.
          Control settle{ControlKind::current, c.at(t) / v_now, {}};
          model.set_control(settle);
          model.guess_current(y.data(), settle.value);
          solver->start(t, y, yp);
          model.set_control(c);
        }
        solver->start(t, y, yp);
        if (s == 0 && sol.time_s.empty()) record(step.number);
        // A step whose own limit holds already at its (consistent) start is over before it begins, as in PyBaMM: a
        // charge "until 4.2 V" of a cell above 4.2 V, a hold "until C/50" whose current starts below C/50. The
        // root finder would never see such a limit cross.
        int reached = -1;
        for (std::size_t k = 0; k < events.size() && reached < 0; ++k)
          if (!events[k].ends_experiment && events[k].g(y.data(), 0.0) <= 0.0) reached = static_cast<int>(k);
        if (reached >= 0) summary.ended_by = events[static_cast<std::size_t>(reached)].label + " (reached at the start of the step)";
        double next_output = t;
        while (reached < 0) {
          int which = -1;
          // Rows at every solver step, or at the step's "(N second period)" when it gives one.
          auto outcome = step.period_s ? solver->advance_to(next_output += *step.period_s, t_stop, t, y, yp, &which)
                                       : solver->step(t_stop, t, y, yp, &which);
          record(step.number);
          if (outcome == numerics::DaeIntegrator::Outcome::reached_stop_time) {
            summary.ended_by = "duration";
            break;
          }
          if (outcome == numerics::DaeIntegrator::Outcome::event) {
            summary.ended_by = which >= 0 ? events[static_cast<std::size_t>(which)].label : "event";
            if (which >= 0 && events[static_cast<std::size_t>(which)].ends_experiment)
              sol.stopped_early = fmt::format("step {} (\"{}\") reached the {} at t = {:.1f} s", step.number, step.text,
                                              events[static_cast<std::size_t>(which)].label, t);
            break;
          }
        }
        break;
      } catch (const numerics::SolverFailure& f) {
        SolverFailureInfo info{f.time(), step.number, step.text, f.reason()};
        // A step that fails before it gets anywhere (its consistent initial values, its first steps) fails for its
        // starting state, which the caller knows how to handle (a cycle study undoes the jump that made it); no
        // fallback then.
        const bool no_progress = sol.time_s.size() <= rows_at_start + (s == 0 ? 1 : 0);
        if (!options.switch_integrator_on_failure || attempt == fallback_count || (attempt == 0 && no_progress)) {
          sol.failure = info;
          summary.ended_by = "solver failure";
          break;
        }
        if (attempt == 0) sol.recovered_failures.push_back(info);
        solver = fallback(attempt++);
        solver->set_events(static_cast<int>(events.size()), event_values);
        for (auto* v : {&sol.time_s, &sol.current_A, &sol.voltage_V, &sol.discharge_capacity_Ah, &sol.discharge_energy_Wh,
                        &sol.open_circuit_voltage_V, &sol.temperature_K})
          v->resize(rows_at_start);
        sol.step_number.resize(rows_at_start);
        energy_Wh = energy_at_start;
        y = y_start;
        t = t_start;
        summary.ended_by.clear();
      }
    }
    summary.end_s = t;
    summary.capacity_Ah = model.discharge_capacity_Ah(y.data()) - q_start;
    summary.energy_Wh = energy_Wh - energy_at_start;
    sol.steps.push_back(summary);
    if (options.record_profiles) {
      sol.profile_time_s.push_back(t);
      sol.profiles.push_back(model.profiles(y.data()));
    }
    if (options.progress) options.progress(static_cast<int>(s + 1), static_cast<int>(steps.size()), t);
    if (sol.failure || !sol.stopped_early.empty()) break;
  }
  sol.lithium_moles_end = model.lithium_moles(y.data());
  sol.final_state = y;
  sol.solver = integrator->statistics();
  for (const auto& f : fallbacks) {
    const auto o = f->statistics();
    sol.solver.steps += o.steps;
    sol.solver.residual_evaluations += o.residual_evaluations;
    sol.solver.jacobian_evaluations += o.jacobian_evaluations;
    sol.solver.jacobian_residual_evaluations += o.jacobian_residual_evaluations;
  }
  sol.solve_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return sol;
}

}  // namespace solidcell::experiment
