// The crush test on a pouch cell resolved in 3D (crush_test.hpp): the lumped test's mechanics and stops, the
// short's heat where the stack failed, and the indenter and the base conducting heat away.
#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

#include <fmt/format.h>

#include "abuse_3d_driver.hpp"
#include "solidcell/abuse/crush_test.hpp"
#include "solidcell/base/input_error.hpp"

namespace solidcell::abuse {
namespace {

// Overlap of [a0, a1] with [b0, b1].
double overlap(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

// Pieces of the crush itself: the short's resistance falls as the failed strip widens, and the driver holds it
// constant over a piece, so the crush is cut into this many pieces between the onset and the stop.
constexpr int crush_pieces = 24;

}  // namespace

AbuseResult3d run_crush_test_3d(const PouchBox& box, const CrushMechanics& mech, const CellInventory& inventory, const ReactionNetwork& network,
                                const CrushProcedure& p, const ThreeDOptions& options) {
  if (box.is_cylinder())
    throw InputError(InputLocation{"", 0, "format"}, "cylindrical", "a pouch cell: the 3D crush presses a box; run the lumped crush for a cylindrical cell");
  AbuseResult3d result;
  result.test = "crush";
  result.standard = p.standard;
  result.cell = inventory.cell_name;
  const double soc = options.initial_soc.value_or(p.initial_soc);
  const Indenter ind = p.indenter;
  const double v = p.speed_m_per_s;
  const CrushPlan plan = plan_crush(mech, inventory, p);
  std::string stopped_by = plan.stopped_by;
  const double t_stop = plan.stop_indentation_m / v;
  const double t_onset = plan.onset_indentation_m ? *plan.onset_indentation_m / v : std::numeric_limits<double>::infinity();

  detail::Abuse3dDriver driver(box, inventory, network, soc, p.ambient_K, options);
  const auto& grid = driver.grid();
  const std::size_t n = grid.cell_count();
  const double dx = grid.spacing_x_m(), x0 = 0.5 * box.length_x_m;
  driver.set_surroundings([T = p.ambient_K](double) { return T; }, p.convection_W_per_m2_K, p.emissivity);
  if (network.internal_short) driver.enable_separator_short(network.internal_short->onset_K, network.internal_short->resistance_ohm);
  driver.enable_separator_shutdown();

  // Where the indenter is: pressing in until t_crush_end (the stop, or the voltage's), holding, then gone.
  double t_crush_end = t_stop;
  auto indentation = [&](double t) { return v * std::min(t, t_crush_end); };
  auto withdrawn = [&](double t) { return t > t_crush_end + p.hold_s; };
  // Share of column i (along x) inside |x - x0| < half.
  auto strip_share = [&](int i, double half) { return half > 0.0 ? overlap(i * dx, (i + 1) * dx, x0 - half, x0 + half) / dx : 0.0; };

  // The indenter on the top face, the base under the bottom face (the cell lies on it throughout).
  const double T_body = p.ambient_K;
  driver.set_contact(thermal::BoxFace::z_max, [&, T_body](double t, std::size_t c) {
    if (withdrawn(t)) return thermal::FaceCondition::Contact{};
    const int i = static_cast<int>(c % static_cast<std::size_t>(grid.nx));
    return thermal::FaceCondition::Contact{strip_share(i, mech.half_contact_m(indentation(t), ind)), p.contact_conductance_at(t), T_body};
  });
  driver.set_contact(thermal::BoxFace::z_min,
                     [&, T_body](double t, std::size_t) { return thermal::FaceCondition::Contact{1.0, p.contact_conductance_at(t), T_body}; });

  // The short: the failed columns, every unit cell through the stack, their jelly roll taking I^2 R_short.
  const auto internal = driver.jelly_roll_weights();
  double sites_for = -1.0;
  detail::ShortState state;
  driver.set_short_provider([&](double t) -> std::optional<detail::ShortState> {
    const double d = indentation(t);
    const double resistance = mech.short_resistance_ohm(d, ind);
    if (!std::isfinite(resistance)) return std::nullopt;
    const double half = mech.failed_half_width_m(d, ind);
    if (half != sites_for) {
      state.sites.internal = internal;
      state.sites.contact.assign(n, 0.0);
      double sum = 0.0;
      for (std::size_t c = 0; c < n; ++c) {
        const int i = static_cast<int>(c % static_cast<std::size_t>(grid.nx));
        state.sites.contact[c] = strip_share(i, half) * grid.control_volume_of_cell_m3(c) * driver.jelly_roll_fraction(c);
        sum += state.sites.contact[c];
      }
      if (sum <= 0.0) {  // a strip narrower than a column: the column at the centre
        const int i = std::clamp(static_cast<int>(x0 / dx), 0, grid.nx - 1);
        for (std::size_t c = 0; c < n; ++c) state.sites.contact[c] = static_cast<int>(c % static_cast<std::size_t>(grid.nx)) == i ? driver.jelly_roll_fraction(c) : 0.0;
        for (double w : state.sites.contact) sum += w;
      }
      for (double& w : state.sites.contact) w /= sum;
      sites_for = half;
    }
    state.contact_ohm = resistance;
    state.conductor_ohm = 0.0;
    return state;
  });

  bool voltage_stopped = false;
  try {
    // The crush, in pieces from the onset to the stop; after each the terminal voltage is compared with the
    // stop voltage (the lumped test's voltage stop, here to within a piece).
    std::vector<double> marks;
    if (t_onset < t_stop) {
      for (int k = 0; k <= crush_pieces; ++k) marks.push_back(t_onset + (t_stop - t_onset) * k / crush_pieces);
    } else {
      marks.push_back(t_stop);
    }
    for (double mark : marks) {
      if (mark > driver.time_s()) driver.advance_to(mark);
      const double volts = driver.terminal_voltage_V();
      if (volts <= p.stop_voltage_V && mark < t_stop) {
        t_crush_end = driver.time_s();
        voltage_stopped = true;
        break;
      }
    }
    if (voltage_stopped) stopped_by = fmt::format("voltage {:g} V", p.stop_voltage_V);
    driver.restart();  // the indenter stops: its contact strip stops widening
    driver.advance_to(t_crush_end + p.hold_s);
    driver.restart();  // the indenter is withdrawn
    driver.advance_to(t_crush_end + p.hold_s + p.observation_s);
  } catch (const thermal::ConductionSolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, p.criterion, options.max_operating_temperature_K);
  result.short_onset_s = t_onset <= std::min(t_crush_end, driver.time_s()) ? std::optional<double>(t_onset) : std::nullopt;
  if (!result.short_onset_s && driver.short_onset_s()) result.short_onset_s = driver.short_onset_s();

  const double d_final = v * t_crush_end;
  const auto& g = mech.geometry();
  std::vector<std::string> head{record_indenter(result.trace, mech, p, t_crush_end, stopped_by)};
  if (plan.onset_indentation_m && t_onset <= t_crush_end) {
    head.push_back(fmt::format("the {} failed under the indenter at {:.2f} s ({:.3f} mm); short {:.3g} mOhm over a strip {:.1f} mm wide at the end of the crush",
                               mech.layers()[*mech.failing_layer()].law.role, t_onset, 1e3 * *plan.onset_indentation_m,
                               1e3 * mech.short_resistance_ohm(d_final, ind), 2e3 * mech.failed_half_width_m(d_final, ind)));
  } else if (const auto onset = mech.onset_indentation_m()) {
    head.push_back(fmt::format("no short from the crush: the {} would fail at {:.3f} mm ({:.1f} % of the cell), beyond the stop",
                               mech.layers()[*mech.failing_layer()].law.role, 1e3 * *onset, 100.0 * *onset / g.cell_thickness_m));
  }
  head.push_back(fmt::format("the indenter and the base took {:.2f} kJ of heat", result.heat_to_contact_bodies_kJ));
  result.verdict.reasons.insert(result.verdict.reasons.begin(), head.begin(), head.end());
  return result;
}

AbuseResult3d run_crush_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                                const ThreeDOptions& options) {
  if (!std::holds_alternative<cell::PouchFormat>(cell.format))
    throw InputError(InputLocation{"", 0, "format"}, fmt::format("{} (cell {})", std::holds_alternative<cell::CylindricalFormat>(cell.format) ? "cylindrical" : "not a pouch", cell.name),
                     "a pouch cell: the 3D crush presses a box; run the lumped crush for other formats");
  const auto mechanics = crush_mechanics(cell, load_stack_mechanics(default_mechanics_name(cell.chemistry)));
  return run_crush_test_3d(thermal_body(cell, inventory), mechanics, inventory, network, procedure, options);
}

}  // namespace solidcell::abuse
