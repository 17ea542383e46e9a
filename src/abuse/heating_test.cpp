#include "solidcell/abuse/heating_test.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "solidcell/abuse/thermal_runaway_model.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double celsius_to_K = 273.15;

std::filesystem::path standard_path(const std::string& name_or_path) {
  std::filesystem::path path = name_or_path;
  if (name_or_path.find('/') == std::string::npos && path.extension() != ".toml") path = builtin_data_dir() / "standards" / (name_or_path + ".toml");
  if (!std::filesystem::exists(path)) {
    std::string known;
    for (const auto& entry : std::filesystem::directory_iterator(builtin_data_dir() / "standards"))
      if (entry.path().extension() == ".toml") known += (known.empty() ? "" : ", ") + entry.path().stem().string();
    throw InputError(InputLocation{"", 0, "standard"}, name_or_path, "a file, or a built-in standard: " + known);
  }
  return path;
}

}  // namespace

HeatingProcedure load_heating_procedure(const std::string& name_or_path) {
  const std::string file = standard_path(name_or_path).string();
  const auto doc = io::load_toml_file(file);
  io::TomlTable root(doc, file, "");
  HeatingProcedure p;
  {
    auto s = root.table("standard");
    p.standard = s.string("name");
    p.title = s.optional_string("title").value_or("");
    for (const auto& key : s.keys()) s.accept(key);
  }
  {
    auto c = root.table("runaway_criterion");
    p.criterion.voltage_drop_fraction = c.number("voltage_drop_fraction", Range{0.0, 1.0, true, false});
    p.criterion.temperature_rate_K_per_s = c.number("temperature_rise_rate_C_per_s", Range::positive(1000.0));
    p.criterion.duration_s = c.number("temperature_rise_duration_s", Range::non_negative(3600.0));
    p.criterion.source = c.string("source");
    c.accept("uncertainty");
    c.reject_unknown_keys();
  }
  auto h = root.table("heating");
  p.ramp_K_per_s = h.number("ramp_C_per_min", Range::positive(100.0)) / 60.0;
  p.hold_temperature_K = h.number("hold_temperature_C", Range{0.0, 500.0}) + celsius_to_K;
  p.hold_s = 60.0 * h.number("hold_min", Range::non_negative(1e4));
  p.observation_s = 60.0 * h.number("observation_min", Range::non_negative(1e4));
  p.ambient_K = h.number("ambient_C", Range{-50.0, 60.0}) + celsius_to_K;
  p.initial_soc = h.number("initial_soc", Range::unit_interval());
  p.source = h.string("source");
  if (p.hold_temperature_K <= p.ambient_K) h.fail("hold_temperature_C", fmt::format("{:g}", p.hold_temperature_K - celsius_to_K), "above ambient_C");
  auto chamber = h.table("chamber");
  p.convection_W_per_m2_K = chamber.number("convection_W_per_m2_K", Range::non_negative(1e4));
  p.emissivity = chamber.number("emissivity", Range::unit_interval());
  chamber.accept("source");
  chamber.accept("uncertainty");
  chamber.reject_unknown_keys();
  h.accept("uncertainty");
  h.accept("chamber");
  h.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);  // other tests of the standard are read by their own procedures
  return p;
}

AbuseResult run_heating_test(const CellInventory& cell, const ReactionNetwork& network, const HeatingProcedure& procedure, const AbuseOptions& options) {
  AbuseResult result;
  result.test = "heating";
  result.standard = procedure.standard;
  result.cell = cell.cell_name;
  result.network = network.name;
  const double soc = options.initial_soc.value_or(procedure.initial_soc);
  const double T0 = procedure.ambient_K;
  const double ramp_s = (procedure.hold_temperature_K - T0) / procedure.ramp_K_per_s;
  // Phases with a smooth oven temperature, integrated one at a time (the kinks fall on restarts).
  struct Phase {
    double end_s;
    std::function<double(double)> oven;
  };
  const std::vector<Phase> phases = {
      {ramp_s, [=](double t) { return T0 + procedure.ramp_K_per_s * t; }},
      {ramp_s + procedure.hold_s, [=](double) { return procedure.hold_temperature_K; }},
      {ramp_s + procedure.hold_s + procedure.observation_s, [=](double) { return procedure.ambient_K; }},
  };
  Surroundings surroundings{phases[0].oven, procedure.convection_W_per_m2_K, procedure.emissivity};
  ThermalRunawayModel model(cell, network, soc, surroundings);
  const std::size_t nr = network.reactions.size();
  auto& trace = result.trace;
  for (const auto& r : network.reactions) trace.reaction_names.push_back(r.name);
  trace.reaction_progress.assign(nr, {});

  numerics::IntegratorOptions io{options.relative_tolerance};
  io.max_steps = 200000;
  auto integrator = numerics::make_integrator(numerics::IntegratorKind::ida, model, io);
  std::vector<double> y = model.initial_state(T0), yp;
  double t = 0.0;
  const double C = cell.heat_capacity_J_per_K;
  auto record = [&] {
    trace.time_s.push_back(t);
    trace.temperature_K.push_back(model.temperature(y.data()));
    trace.surroundings_K.push_back(surroundings.temperature_K(t));
    trace.voltage_V.push_back(model.terminal_voltage(y.data()));
    double q = 0.0;
    for (std::size_t k = 0; k < nr; ++k) {
      q += model.reaction_heat_rate_W(k, y.data());
      trace.reaction_progress[k].push_back(model.progress(k, y.data()));
    }
    trace.heat_rate_W.push_back(q);
    trace.temperature_rate_K_per_s.push_back(yp.empty() ? 0.0 : model.temperature_rate(yp.data()));
    trace.state_of_charge.push_back(model.state_of_charge(y.data()));
    trace.gas_mol.push_back(model.gas_mol(y.data()));
  };

  // Switch events: a threshold reached (T rises through it), a gate passed (progress through 1/2), the short.
  struct Switch {
    enum Kind { onset, gate, short_circuit } kind;
    std::size_t reaction;
  };
  bool first = true;
  try {
    for (const auto& phase : phases) {
      surroundings.temperature_K = phase.oven;
      model.set_surroundings(surroundings);
      while (t < phase.end_s) {
        std::vector<Switch> switches;
        for (std::size_t k = 0; k < nr; ++k) {
          if (model.reaction_enabled(k)) continue;
          const auto& r = network.reactions[k];
          const bool onset_ok = !r.onset_K || model.temperature(y.data()) >= *r.onset_K;
          const bool gate_ok = r.enabled_after < 0 || model.progress(static_cast<std::size_t>(r.enabled_after), y.data()) >= 0.5;
          if (onset_ok && gate_ok) {
            model.enable_reaction(k);
          } else {
            switches.push_back({onset_ok ? Switch::gate : Switch::onset, k});
          }
        }
        if (network.internal_short && !model.short_enabled()) {
          if (model.temperature(y.data()) >= network.internal_short->onset_K) {
            model.enable_short();
            result.short_onset_s = t;
          } else {
            switches.push_back({Switch::short_circuit, 0});
          }
        }
        integrator->set_events(static_cast<int>(switches.size()), [&](double, const double* yy, double* g) {
          for (std::size_t s = 0; s < switches.size(); ++s) {
            const auto& sw = switches[s];
            const double T = model.temperature(yy);
            if (sw.kind == Switch::short_circuit) g[s] = network.internal_short->onset_K - T;
            else if (sw.kind == Switch::onset) g[s] = *network.reactions[sw.reaction].onset_K - T;
            else g[s] = 0.5 - model.progress(static_cast<std::size_t>(network.reactions[sw.reaction].enabled_after), yy);
          }
        });
        integrator->start(t, y, yp);
        if (first) {
          record();
          first = false;
        }
        while (true) {
          int which = -1;
          auto outcome = integrator->step(phase.end_s, t, y, yp, &which);
          record();
          if (outcome == numerics::DaeIntegrator::Outcome::step) continue;
          if (outcome == numerics::DaeIntegrator::Outcome::event && which >= 0) {
            const auto& sw = switches[static_cast<std::size_t>(which)];
            if (sw.kind == Switch::short_circuit) {
              model.enable_short();
              result.short_onset_s = t;
            } else if (sw.kind == Switch::onset && network.reactions[sw.reaction].enabled_after < 0) {
              model.enable_reaction(sw.reaction);
            }  // otherwise the loop above re-checks both conditions at the restart
          }
          break;
        }
      }
    }
  } catch (const numerics::SolverFailure& f) {
    result.failure = f.what();
  }

  // Heat accounting and the verdict.
  double reactions_J = 0.0;
  bool lithium_burned = false, irreversible = model.short_enabled();
  for (std::size_t k = 0; k < nr; ++k) {
    const double q = model.reaction_heat_J(k, y.data());
    result.reaction_heat_kJ.push_back({network.reactions[k].name, q / 1000.0});
    reactions_J += q;
    const auto& r = network.reactions[k];
    const bool ran = model.progress(k, y.data()) > 0.01;
    if (ran && r.heat_J_per_kg > 0.0) irreversible = true;
    if (ran && r.reactant == Reactant::lithium_metal && r.heat_J_per_kg > 0.0) lithium_burned = true;
  }
  result.short_heat_kJ = model.short_heat_J(y.data()) / 1000.0;
  result.heat_from_surroundings_kJ = model.heat_exchanged_J(y.data()) / 1000.0;
  result.energy_balance_error_J =
      C * (model.temperature(y.data()) - T0) - (reactions_J + model.short_heat_J(y.data()) + model.heat_exchanged_J(y.data()));
  HazardInputs hazard{network.hazard.flammable_electrolyte, lithium_burned, irreversible, model.gas_mol(y.data()), network.hazard.vent_gas_mol};
  result.verdict = judge(trace.time_s, trace.temperature_K, trace.temperature_rate_K_per_s, trace.voltage_V, options.max_operating_temperature_K,
                         procedure.criterion, hazard);
  return result;
}

}  // namespace solidcell::abuse
