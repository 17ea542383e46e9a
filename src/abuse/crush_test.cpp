#include "solidcell/abuse/crush_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "solidcell/abuse/runaway_driver.hpp"
#include "solidcell/abuse/standard_file.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double celsius_to_K = 273.15;
constexpr double standard_gravity = 9.80665;  // m/s2, for "times the cell's weight"
constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

CrushProcedure load_crush_procedure(const std::string& name_or_path) {
  const StandardFile standard(name_or_path);
  auto root = standard.root();
  CrushProcedure p;
  read_standard_header(root, p);
  auto t = root.table("crush");
  const std::string kind = t.choice("indenter", {"semi_cylinder", "flat_plate"});
  p.indenter.kind = kind == "flat_plate" ? IndenterKind::flat_plate : IndenterKind::semi_cylinder;
  if (p.indenter.kind == IndenterKind::semi_cylinder) p.indenter.radius_m = 1e-3 * t.number("indenter_radius_mm", Range::positive(1e4));
  else t.accept("indenter_radius_mm");
  p.speed_m_per_s = 1e-3 * t.number("speed_mm_per_s", Range::positive(1e4));
  p.stop_voltage_V = t.optional_number("stop_voltage_V", Range{-10.0, 10.0}).value_or(-inf);  // absent: no voltage stop
  p.stop_deformation_fraction = 0.01 * t.optional_number("stop_deformation_percent", Range{0.0, 100.0, true, false}).value_or(100.0);
  p.stop_force_N = 1e3 * t.number("stop_force_kN", Range::positive(1e5));
  p.stop_force_per_cell_weight = t.optional_number("stop_force_per_cell_weight", Range::non_negative(1e6)).value_or(0.0);
  p.hold_s = 60.0 * t.number("hold_min", Range::non_negative(1e5));
  p.observation_s = 60.0 * t.number("observation_min", Range::non_negative(1e5));
  p.ambient_K = t.number("ambient_C", Range{-50.0, 100.0}) + celsius_to_K;
  p.initial_soc = t.number("initial_soc", Range::unit_interval());
  p.source = t.string("source");
  auto chamber = t.table("chamber");
  p.convection_W_per_m2_K = chamber.number("convection_W_per_m2_K", Range::non_negative(1e4));
  p.emissivity = chamber.number("emissivity", Range::unit_interval());
  chamber.accept("source");
  chamber.accept("uncertainty");
  chamber.reject_unknown_keys();
  auto contact = t.table("contact");
  p.contact_body_material = contact.string("body_material");
  p.contact_conductance_W_per_m2_K = contact.number("conductance_W_per_m2_K", Range::positive(1e7));
  contact.string("source");
  contact.accept("uncertainty");
  contact.reject_unknown_keys();
  {
    const auto library = materials::MaterialLibrary::builtin();
    const auto* m = library.find(p.contact_body_material);
    if (!m) throw InputError(InputLocation{standard.path, 0, "crush.contact.body_material"}, "\"" + p.contact_body_material + "\"", "a material of data/materials");
    const std::string where = (builtin_data_dir() / "materials" / (p.contact_body_material + ".toml")).string();
    if (!m->thermal.thermal_conductivity_W_per_m_K) throw InputError(InputLocation{where, 0, "thermal.thermal_conductivity_W_per_m_K"}, "", "the contact body's thermal conductivity");
    if (!m->thermal.specific_heat_J_per_kg_K) throw InputError(InputLocation{where, 0, "thermal.specific_heat_J_per_kg_K"}, "", "the contact body's specific heat");
    if (!m->density_kg_per_m3) throw InputError(InputLocation{where, 0, "density_kg_per_m3"}, "", "the contact body's density");
    p.contact_body_effusivity_W_s05_per_m2_K = std::sqrt(*m->thermal.thermal_conductivity_W_per_m_K * *m->density_kg_per_m3 * *m->thermal.specific_heat_J_per_kg_K);
  }
  t.accept("uncertainty");
  t.accept("chamber");
  t.accept("contact");
  t.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);
  return p;
}

double CrushProcedure::contact_conductance_at(double seconds_in_contact) const {
  if (contact_conductance_W_per_m2_K <= 0.0) return 0.0;
  const double body = contact_body_effusivity_W_s05_per_m2_K > 0.0 ? std::sqrt(std::numbers::pi * std::max(seconds_in_contact, 0.0)) / contact_body_effusivity_W_s05_per_m2_K : 0.0;
  return 1.0 / (1.0 / contact_conductance_W_per_m2_K + body);
}

CrushPlan plan_crush(const CrushMechanics& mech, const CellInventory& cell, const CrushProcedure& p) {
  const auto& g = mech.geometry();
  const Indenter ind = p.indenter;
  CrushPlan plan;
  double force_limit = p.stop_force_N;
  if (p.stop_force_per_cell_weight > 0.0) force_limit = std::min(force_limit, p.stop_force_per_cell_weight * cell.mass_kg * standard_gravity);
  plan.force_limit_N = force_limit;
  const double d_deformation = std::min(p.stop_deformation_fraction * g.cell_thickness_m, 0.99 * g.stack_thickness_m);
  const auto d_force = mech.indentation_at_force(force_limit, ind);
  plan.stop_indentation_m = d_deformation;
  plan.stopped_by = fmt::format("deformation {:.1f} % of the cell's {:.2f} mm", 100.0 * d_deformation / g.cell_thickness_m, 1e3 * g.cell_thickness_m);
  if (p.stop_deformation_fraction * g.cell_thickness_m > 0.99 * g.stack_thickness_m) plan.stopped_by = "the stack fully compressed (99 %)";
  if (d_force && *d_force < plan.stop_indentation_m) {
    plan.stop_indentation_m = *d_force;
    plan.stopped_by = fmt::format("force {:.2f} kN", force_limit / 1000.0);
  }
  const auto onset = mech.onset_indentation_m();
  if (onset && *onset < plan.stop_indentation_m) plan.onset_indentation_m = onset;
  return plan;
}

std::string record_indenter(AbuseTrace& tr, const CrushMechanics& mech, const CrushProcedure& p, double t_crush_end, const std::string& stopped_by) {
  const double v = p.speed_m_per_s, d_final = v * t_crush_end;
  tr.force_N.clear();
  tr.displacement_m.clear();
  for (double t : tr.time_s) {
    const double d = t <= t_crush_end ? v * t : (t <= t_crush_end + p.hold_s ? d_final : 0.0);
    tr.displacement_m.push_back(d);
    tr.force_N.push_back(mech.force_N(d, p.indenter));
  }
  return fmt::format("crush stopped by {} at {:.3f} mm ({:.1f} % of the cell), force {:.2f} kN", stopped_by, 1e3 * d_final,
                     100.0 * d_final / mech.geometry().cell_thickness_m, mech.force_N(d_final, p.indenter) / 1000.0);
}

AbuseResult run_crush_test(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                           const AbuseOptions& options) {
  const auto mechanics = crush_mechanics(cell, load_stack_mechanics(default_mechanics_name(cell.chemistry)));
  return run_crush_test(mechanics, inventory, network, procedure, options);
}

AbuseResult run_crush_test(const CrushMechanics& mech, const CellInventory& cell, const ReactionNetwork& network, const CrushProcedure& p,
                           const AbuseOptions& options) {
  AbuseResult result;
  result.test = "crush";
  result.standard = p.standard;
  result.cell = cell.cell_name;
  const Indenter ind = p.indenter;
  const double v = p.speed_m_per_s;
  const auto& g = mech.geometry();

  // The mechanical stop: the first of the deformation and the force limits (the force is known from the
  // indentation alone, so both are displacements found before the run); the voltage is watched while it runs.
  const CrushPlan plan = plan_crush(mech, cell, p);
  std::string stopped_by = plan.stopped_by;
  const double t_stop = plan.stop_indentation_m / v;
  const auto onset = mech.onset_indentation_m();
  const bool fails = plan.onset_indentation_m.has_value();
  const double t_onset = fails ? *onset / v : inf;

  const double soc = options.initial_soc.value_or(p.initial_soc);
  const double Ta = p.ambient_K;
  Surroundings room{[Ta](double) { return Ta; }, p.convection_W_per_m2_K, p.emissivity};
  RunawayDriver driver(cell, network, soc, Ta, room, options.relative_tolerance);
  const double v_stop = p.stop_voltage_V;
  const RunawayDriver::StopCondition voltage_limit = [v_stop](double, double volts, double, double) { return volts <= v_stop; };
  double t_crush_end = t_stop;
  bool voltage_stopped = false;
  try {
    // Crushing, before and after the failing layer fails (the short closes at a known instant: a new phase).
    voltage_stopped = driver.advance_to(std::min(t_onset, t_stop), room, {}, voltage_limit);
    if (!voltage_stopped && fails) {
      ElectricalLoad crushing;
      crushing.internal_short_ohm = [&mech, ind, v](double t) { return mech.short_resistance_ohm(v * t, ind); };
      voltage_stopped = driver.advance_to(t_stop, room, crushing, voltage_limit);
    }
    t_crush_end = driver.time();
    if (voltage_stopped) stopped_by = fmt::format("voltage {:g} V", v_stop);
    // Hold at the final indentation, then withdraw and observe; the failed area stays shorted.
    const double r_final = mech.short_resistance_ohm(v * t_crush_end, ind);
    ElectricalLoad damaged;
    if (std::isfinite(r_final)) damaged.internal_short_ohm = [r_final](double) { return r_final; };
    driver.advance_to(t_crush_end + p.hold_s, room, damaged);
    driver.advance_to(t_crush_end + p.hold_s + p.observation_s, room, damaged);
  } catch (const numerics::SolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, p.criterion, options.max_operating_temperature_K);
  if (fails && t_onset <= t_crush_end) result.short_onset_s = t_onset;

  const double d_final = v * t_crush_end;
  std::vector<std::string> head{record_indenter(result.trace, mech, p, t_crush_end, stopped_by)};
  if (result.short_onset_s) {
    const auto k = *mech.failing_layer();
    head.push_back(fmt::format("the {} failed under the indenter at {:.1f} s ({:.3f} mm); short {:.3g} mOhm at the end of the crush",
                               mech.layers()[k].law.role, *result.short_onset_s, 1e3 * *onset, 1e3 * mech.short_resistance_ohm(d_final, ind)));
  } else if (onset) {
    head.push_back(fmt::format("no short: the {} would fail at {:.3f} mm ({:.1f} % of the cell), beyond the stop", mech.layers()[*mech.failing_layer()].law.role,
                               1e3 * *onset, 100.0 * *onset / g.cell_thickness_m));
  }
  result.verdict.reasons.insert(result.verdict.reasons.begin(), head.begin(), head.end());
  return result;
}

}  // namespace solidcell::abuse
