// The crush test on a pouch cell resolved in 3D (crush_test.hpp): the lumped test's mechanics and stops, the
// short's heat where the stack failed, and the indenter and the base conducting heat away.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "abuse_3d_driver.hpp"
#include "solidcell/abuse/crush_test.hpp"
#include "solidcell/base/input_error.hpp"

namespace solidcell::abuse {
namespace {

using detail::overlap;

// Pieces of the crush itself: the short's resistance falls as the failed strip widens, and the driver holds it
// constant over a piece, so the crush is cut into this many pieces between the onset and the stop.
constexpr int crush_pieces = 24;

}  // namespace

AbuseResult3d run_crush_test_3d(const PouchBox& box, const CrushMechanics& mech, const CellInventory& inventory, const ReactionNetwork& network,
                                const CrushProcedure& p, const ThreeDOptions& options) {
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
  const bool cylinder = box.is_cylinder();
  driver.set_surroundings([T = p.ambient_K](double) { return T; }, p.convection_W_per_m2_K, p.emissivity);
  if (network.internal_short) driver.enable_separator_short(network.internal_short->onset_K, network.internal_short->resistance_ohm);
  driver.enable_separator_shutdown();

  // Where the indenter is: pressing in until t_crush_end (the stop, or the voltage's), holding, then gone.
  double t_crush_end = t_stop;
  auto indentation = [&](double t) { return v * std::min(t, t_crush_end); };
  auto withdrawn = [&](double t) { return t > t_crush_end + p.hold_s; };
  auto index_i = [&](std::size_t c) { return static_cast<int>(c % static_cast<std::size_t>(grid.nx)); };
  auto index_j = [&](std::size_t c) { return static_cast<int>((c / static_cast<std::size_t>(grid.nx)) % static_cast<std::size_t>(grid.ny)); };
  auto index_k = [&](std::size_t c) { return static_cast<int>(c / (static_cast<std::size_t>(grid.nx) * grid.ny)); };

  // The mechanics' strip |s - s0| < half across the indenter's axis runs along the box's length x (s0 at
  // mid-length) or along a cylinder's axis z (s0 at mid-height). Share of control volume c inside it:
  const double ds = cylinder ? grid.spacing_z_m() : grid.spacing_x_m();
  const double s0 = 0.5 * (cylinder ? box.length_z_m : box.length_x_m);
  auto strip_share = [&](std::size_t c, double half) {
    if (half <= 0.0) return 0.0;
    const int m = cylinder ? index_k(c) : index_i(c);
    return overlap(m * ds, (m + 1) * ds, s0 - half, s0 + half) / ds;
  };
  // A cylinder is crushed along the diameter in the half cylinder's plane of symmetry (the indenter at
  // theta = 0, the base at theta = pi). The mechanics' block is the jelly roll's cross-section as a column
  // of width pi D / 4 across the crush: the failed region is that band through the diameter, |r sin(theta)|
  // < pi D / 8, within the strip along the axis.
  const double band = 0.5 * mech.geometry().width_m;
  auto in_band = [&](std::size_t c) {
    return !cylinder || std::abs(grid.centre_radius_m(index_i(c)) * std::sin(grid.centre_y_m(index_j(c)))) < band;
  };

  // The indenter on the top face and the base under the bottom face (a pouch lies on it throughout); a
  // cylinder's outside touches both where it is flattened, by d / 2 on either side: an arc of half length
  // sqrt(R d - d^2 / 4) about theta = 0 and theta = pi, within the indenter's strip along the axis.
  const double T_body = p.ambient_K;
  if (!cylinder) {
    driver.set_contact(thermal::BoxFace::z_max, [&, T_body](double t, std::size_t c) {
      if (withdrawn(t)) return thermal::FaceCondition::Contact{};
      return thermal::FaceCondition::Contact{strip_share(c, mech.half_contact_m(indentation(t), ind)), p.contact_conductance_at(t), T_body};
    });
    driver.set_contact(thermal::BoxFace::z_min,
                       [&, T_body](double t, std::size_t) { return thermal::FaceCondition::Contact{1.0, p.contact_conductance_at(t), T_body}; });
  } else {
    const double R = box.outer_radius_m(), dtheta = grid.spacing_y_m();
    driver.set_contact(thermal::cylinder_face::outer, [&, T_body, R, dtheta](double t, std::size_t c) {
      if (withdrawn(t)) return thermal::FaceCondition::Contact{};
      const double d = indentation(t);
      const double arc = std::sqrt(std::max(R * d - 0.25 * d * d, 0.0));
      const int j = index_j(c);
      const double a0 = R * j * dtheta, a1 = R * (j + 1) * dtheta, half_circle = R * std::numbers::pi;
      const double around = (overlap(a0, a1, 0.0, arc) + overlap(a0, a1, half_circle - arc, half_circle)) / (a1 - a0);
      return thermal::FaceCondition::Contact{around * strip_share(c, mech.half_contact_m(d, ind)), p.contact_conductance_at(t), T_body};
    });
  }

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
        if (!in_band(c)) continue;
        state.sites.contact[c] = strip_share(c, half) * grid.control_volume_of_cell_m3(c) * driver.jelly_roll_fraction(c);
        sum += state.sites.contact[c];
      }
      if (sum <= 0.0) {  // a strip narrower than a control volume: the slice at its centre
        const int m = std::clamp(static_cast<int>(s0 / ds), 0, (cylinder ? grid.nz : grid.nx) - 1);
        for (std::size_t c = 0; c < n; ++c) {
          const bool centre = (cylinder ? index_k(c) : index_i(c)) == m && in_band(c);
          state.sites.contact[c] = centre ? grid.control_volume_of_cell_m3(c) * driver.jelly_roll_fraction(c) : 0.0;
          sum += state.sites.contact[c];
        }
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
  head.push_back(fmt::format("the indenter and the base took {:.2f} kJ of heat", result.heat_to_contact_bodies_kJ.value_or(0.0)));
  result.verdict.reasons.insert(result.verdict.reasons.begin(), head.begin(), head.end());
  return result;
}

AbuseResult3d run_crush_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const CrushProcedure& procedure,
                                const ThreeDOptions& options) {
  const auto mechanics = crush_mechanics(cell, load_stack_mechanics(default_mechanics_name(cell.chemistry)));
  return run_crush_test_3d(thermal_body(cell, inventory), mechanics, inventory, network, procedure, options);
}

}  // namespace solidcell::abuse
