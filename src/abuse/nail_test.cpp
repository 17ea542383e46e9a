#include "solidcell/abuse/nail_test.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include <fmt/format.h>

#include "abuse_3d_driver.hpp"
#include "solidcell/abuse/standard_file.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/materials/material_library.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double celsius_to_K = 273.15;

const Range diameter_range{0.5, 50.0};  // mm
const Range speed_range = Range::positive(1000.0);  // mm/s
const Range contact_range{1e-6, 1e4};  // ohm per unit cell

// The nail material's properties from data/materials (the file and field named when one is missing).
void resolve_nail_material(NailProcedure& p, const std::string& file, const std::string& field) {
  const auto library = materials::MaterialLibrary::builtin();
  const auto* m = library.find(p.nail_material);
  if (!m) throw InputError(InputLocation{file, 0, field}, "\"" + p.nail_material + "\"", "a material of data/materials");
  const std::string where = (builtin_data_dir() / "materials" / (p.nail_material + ".toml")).string();
  if (!m->thermal.thermal_conductivity_W_per_m_K) throw InputError(InputLocation{where, 0, "thermal.thermal_conductivity_W_per_m_K"}, "", "the nail's thermal conductivity");
  if (!m->thermal.specific_heat_J_per_kg_K) throw InputError(InputLocation{where, 0, "thermal.specific_heat_J_per_kg_K"}, "", "the nail's specific heat");
  if (!m->density_kg_per_m3) throw InputError(InputLocation{where, 0, "density_kg_per_m3"}, "", "the nail's density");
  if (!m->transport.electronic_conductivity_S_per_m) throw InputError(InputLocation{where, 0, "transport.electronic_conductivity_S_per_m"}, "", "the nail's electrical conductivity");
  p.nail_conductivity_W_per_m_K = *m->thermal.thermal_conductivity_W_per_m_K;
  p.nail_heat_capacity_J_per_m3_K = *m->density_kg_per_m3 * *m->thermal.specific_heat_J_per_kg_K;
  p.nail_resistivity_ohm_m = 1.0 / *m->transport.electronic_conductivity_S_per_m;
}

void check(bool ok, const std::string& field, double value, const std::string& allowed) {
  if (!ok) throw InputError(InputLocation{"", 0, "nail." + field}, fmt::format("{:g}", value), allowed);
}

using detail::overlap;

}  // namespace

NailProcedure load_nail_procedure(const std::string& name_or_path) {
  const StandardFile standard(name_or_path);
  auto root = standard.root();
  NailProcedure p;
  read_standard_header(root, p);
  auto n = root.table("nail");
  p.diameter_m = n.number("diameter_mm", diameter_range) / 1000.0;
  p.speed_m_per_s = n.number("speed_mm_per_s", speed_range) / 1000.0;
  p.observation_s = 60.0 * n.number("observation_min", Range::positive(1e4));
  p.ambient_K = n.number("ambient_C", Range{-50.0, 60.0}) + celsius_to_K;
  p.initial_soc = n.number("initial_soc", Range::unit_interval());
  p.position_x_fraction = n.number("position_x_fraction", Range::unit_interval());
  p.position_y_fraction = n.number("position_y_fraction", Range::unit_interval());
  p.depth_fraction = n.number("depth_fraction", Range::unit_interval());
  p.nail_material = n.string("nail_material");
  p.source = n.string("source");
  n.accept("uncertainty");
  {
    auto s = n.table("short");
    p.contact_resistance_ohm = s.number("contact_resistance_per_unit_cell_ohm", contact_range);
    s.string("source");
    s.accept("uncertainty");
    s.reject_unknown_keys();
  }
  {
    auto s = n.table("surroundings");
    p.convection_W_per_m2_K = s.number("convection_W_per_m2_K", Range::non_negative(1e4));
    p.emissivity = s.number("emissivity", Range::unit_interval());
    s.string("source");
    s.accept("uncertainty");
    s.reject_unknown_keys();
  }
  n.accept("short");
  n.accept("surroundings");
  n.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);  // the other tests of the standard
  resolve_nail_material(p, standard.path, "nail.nail_material");
  return p;
}

NailProcedure with_overrides(NailProcedure p, const NailOverrides& o) {
  if (o.diameter_m) {
    check(diameter_range.contains(*o.diameter_m * 1000.0), "diameter_m", *o.diameter_m, "0.0005-0.05 m");
    p.diameter_m = *o.diameter_m;
  }
  if (o.speed_m_per_s) {
    check(*o.speed_m_per_s > 0.0 && *o.speed_m_per_s <= 1.0, "speed_m_per_s", *o.speed_m_per_s, "(0, 1] m/s");
    p.speed_m_per_s = *o.speed_m_per_s;
  }
  if (o.observation_s) {
    check(*o.observation_s > 0.0 && *o.observation_s <= 6e5, "observation_s", *o.observation_s, "(0, 6e5] s");
    p.observation_s = *o.observation_s;
  }
  if (o.ambient_K) {
    check(*o.ambient_K >= 223.15 && *o.ambient_K <= 333.15, "ambient_K", *o.ambient_K, "223.15-333.15 K");
    p.ambient_K = *o.ambient_K;
  }
  auto unit = [&](const std::optional<double>& v, double& target, const char* name) {
    if (!v) return;
    check(*v >= 0.0 && *v <= 1.0, name, *v, "[0, 1]");
    target = *v;
  };
  unit(o.initial_soc, p.initial_soc, "initial_soc");
  unit(o.position_x_fraction, p.position_x_fraction, "position_x_fraction");
  unit(o.position_y_fraction, p.position_y_fraction, "position_y_fraction");
  unit(o.depth_fraction, p.depth_fraction, "depth_fraction");
  unit(o.emissivity, p.emissivity, "emissivity");
  if (o.contact_resistance_ohm) {
    check(contact_range.contains(*o.contact_resistance_ohm), "contact_resistance_ohm", *o.contact_resistance_ohm, contact_range.describe() + " Ohm");
    p.contact_resistance_ohm = *o.contact_resistance_ohm;
  }
  if (o.convection_W_per_m2_K) {
    check(*o.convection_W_per_m2_K >= 0.0 && *o.convection_W_per_m2_K <= 1e4, "convection_W_per_m2_K", *o.convection_W_per_m2_K, "[0, 1e4] W/(m2 K)");
    p.convection_W_per_m2_K = *o.convection_W_per_m2_K;
  }
  if (o.nail_material) {
    p.nail_material = *o.nail_material;
    resolve_nail_material(p, "", "nail.nail_material");
  }
  return p;
}

namespace {

// The nail in a cylindrical cell: along a chord of the cross-section, y = o (o = (position_y_fraction - 1/2)
// times the diameter; 0: a diameter) at the height z0 = position_x_fraction H, entering the can at
// x_e = sqrt(R^2 - o^2) at t = 0 and moving towards -x: through the can, the jelly roll on the near side,
// the mandrel's hole if the chord passes it, and the jelly roll on the far side. The tip at x_t lies at the
// radius r_t = sqrt(x_t^2 + o^2); each unit cell (a turn of the roll, at its radius) it crosses on either
// side adds a short branch. On a diameter the load is symmetric about the plane of the nail and the axis,
// and the half cylinder holds half of it; off the diameter the whole cylinder is solved (a periodic seam,
// twice the control volumes around).
AbuseResult3d run_nail_test_cylinder(const PouchBox& half_box, const CellInventory& inventory, const ReactionNetwork& network, const NailProcedure& procedure,
                                     const ThreeDOptions& options_in) {
  AbuseResult3d result;
  result.test = "nail";
  result.standard = procedure.standard;
  result.cell = inventory.cell_name;
  const double soc = options_in.initial_soc.value_or(procedure.initial_soc);
  const double R = half_box.outer_radius_m(), r_hole = half_box.inner_radius_m, roll_outer = R - half_box.can_wall_thickness_m;
  const double o = (procedure.position_y_fraction - 0.5) * 2.0 * R;
  const bool whole = std::abs(o) > 1e-9 * R;
  if (std::abs(o) >= roll_outer)
    throw InputError(InputLocation{"", 0, "nail.position_y_fraction"}, fmt::format("{:g}", procedure.position_y_fraction),
                     fmt::format("a chord through the jelly roll: |position_y_fraction - 0.5| < {:.3f} for this cell", 0.5 * roll_outer / R));
  PouchBox box = half_box;
  ThreeDOptions options = options_in;
  if (whole) {
    box.length_y_m = 2.0 * std::numbers::pi;
    options.ny = 2 * options_in.ny;  // the same angular steps as the half
  }
  const thermal::Conduction3dGrid grid = box.grid(options.nx, options.ny, options.nz);
  const std::size_t n = grid.cell_count();
  const double radius = 0.5 * procedure.diameter_m;
  const double z0 = procedure.position_x_fraction * box.length_z_m;
  const double x_e = std::sqrt(R * R - o * o);                   // where the tip enters the can
  const double max_depth = procedure.depth_fraction * 2.0 * x_e;  // of the chord; 1: through the cell
  const double tip_x = x_e - max_depth;                            // the tip's final position
  const double t_unit = box.unit_cell_thickness_m;
  const double r_turn = std::max(std::abs(o), r_hole);  // where the near side's roll ends and the far side's begins

  // The control volume of a point of the cross-section (the half: y folded onto y >= 0), or none.
  auto cell_at = [&](double x, double y, double z) -> std::optional<std::size_t> {
    const double r = std::hypot(x, y);
    if (r < r_hole || r >= R || z < 0.0 || z >= box.length_z_m) return std::nullopt;
    double theta = std::atan2(whole ? y : std::abs(y), x);
    if (theta < 0.0) theta += 2.0 * std::numbers::pi;
    const int i = std::clamp(static_cast<int>((r - r_hole) / grid.spacing_x_m()), 0, grid.nx - 1);
    const int j = std::clamp(static_cast<int>(theta / grid.spacing_y_m()), 0, grid.ny - 1);
    const int k = std::clamp(static_cast<int>(z / grid.spacing_z_m()), 0, grid.nz - 1);
    return grid.index(i, j, k);
  };
  // The nail's volume and surface over [x_low, x_high] (the half: its half with y >= 0), by midpoint
  // quadrature in (x, rho, phi): y = o + rho sin(phi), z = z0 + rho cos(phi).
  const double dx_sample = std::min(grid.spacing_x_m(), radius) / 8.0;
  constexpr int rho_samples = 8, phi_samples_half = 24;
  const int phi_samples = whole ? 2 * phi_samples_half : phi_samples_half;
  const double phi_span = whole ? 2.0 * std::numbers::pi : std::numbers::pi;
  auto sample = [&](double x_low, double x_high, std::vector<double>& volume, std::vector<double>& surface) {
    volume.assign(n, 0.0);
    surface.assign(n, 0.0);
    const int nxs = std::max(1, static_cast<int>(std::ceil((x_high - x_low) / dx_sample)));
    const double hx = (x_high - x_low) / nxs, dphi = phi_span / phi_samples, drho = radius / rho_samples;
    for (int a = 0; a < nxs; ++a) {
      const double x = x_low + (a + 0.5) * hx;
      for (int b = 0; b < phi_samples; ++b) {
        const double phi = (b + 0.5) * dphi;
        if (auto c = cell_at(x, o + radius * std::sin(phi), z0 + radius * std::cos(phi))) surface[*c] += hx * radius * dphi;
        for (int m = 0; m < rho_samples; ++m) {
          const double rho = (m + 0.5) * drho;
          if (auto c = cell_at(x, o + rho * std::sin(phi), z0 + rho * std::cos(phi))) volume[*c] += hx * rho * drho * dphi;
        }
      }
    }
  };

  // Properties: the nail fills its share of each control volume down to its final depth (present from
  // the start, as in the pouch), mixed with the body's (jelly roll, can wall).
  std::vector<double> nail_volume, unused;
  sample(tip_x, x_e, nail_volume, unused);
  auto body = detail::body_properties(box, grid);
  for (std::size_t c = 0; c < n; ++c) {
    const double f = std::min(1.0, nail_volume[c] / grid.control_volume_of_cell_m3(c));
    if (f <= 0.0) continue;
    body.jelly_roll_fraction[c] *= 1.0 - f;
    for (auto* k : {&body.k_x, &body.k_y, &body.k_z}) (*k)[c] = f * procedure.nail_conductivity_W_per_m_K + (1.0 - f) * (*k)[c];
    body.heat_capacity[c] = f * procedure.nail_heat_capacity_J_per_m3_K + (1.0 - f) * body.heat_capacity[c];
  }
  detail::Abuse3dDriver driver(box, inventory, network, soc, procedure.ambient_K, options, std::move(body));
  driver.set_surroundings([T = procedure.ambient_K](double) { return T; }, procedure.convection_W_per_m2_K, procedure.emissivity);

  // The short: unit cells crossed on the near side (from the roll's outside inwards to r_turn) and on the
  // far side (from r_turn outwards), each a branch.
  auto x_at = [&](double r) { return std::sqrt(std::max(r * r - o * o, 0.0)); };  // where the chord meets radius r (x >= 0)
  auto crossed = [&](double depth, int& near, int& far) {
    const double x_t = x_e - depth, r_t = std::hypot(x_t, o);
    if (x_t >= 0.0) {
      near = unit_cells_crossed(roll_outer - std::max(r_t, r_turn), t_unit, box.unit_cells);
      far = 0;
    } else {
      near = unit_cells_crossed(roll_outer - r_turn, t_unit, box.unit_cells);
      far = unit_cells_crossed(std::min(r_t, roll_outer) - r_turn, t_unit, box.unit_cells);
    }
  };
  NailShortPath path;
  path.contact_resistance_per_pair_ohm = procedure.contact_resistance_ohm;
  path.nail_resistance_per_pair_ohm = procedure.nail_resistivity_ohm_m * t_unit / (std::numbers::pi * radius * radius);
  const auto internal = driver.jelly_roll_weights();
  int sites_for = -1;
  detail::ShortState state;
  driver.set_short_provider([&](double t) -> std::optional<detail::ShortState> {
    const double depth = std::min(max_depth, procedure.speed_m_per_s * t + 1e-9 * t_unit);
    int near = 0, far = 0;
    crossed(depth, near, far);
    const int pairs = near + far;
    if (pairs <= 0) return std::nullopt;
    path.pairs = pairs;
    if (sites_for != pairs) {
      // Contact heat at the nail's surface along the shorted lengths, the nail's own heat in the nail there.
      state.sites.internal = internal;
      std::vector<double> volume(n, 0.0), surface(n, 0.0), v, a;
      if (near > 0) {
        sample(x_at(roll_outer - near * t_unit), x_at(roll_outer), v, a);
        for (std::size_t c = 0; c < n; ++c) volume[c] += v[c], surface[c] += a[c];
      }
      if (far > 0) {
        sample(-x_at(r_turn + far * t_unit), -x_at(r_turn), v, a);
        for (std::size_t c = 0; c < n; ++c) volume[c] += v[c], surface[c] += a[c];
      }
      double contact_sum = 0.0, conductor_sum = 0.0;
      for (std::size_t c = 0; c < n; ++c) contact_sum += surface[c], conductor_sum += volume[c];
      for (double& w : surface) w /= contact_sum;
      for (double& w : volume) w /= conductor_sum;
      state.sites.contact = std::move(surface);
      state.sites.conductor = std::move(volume);
      sites_for = pairs;
    }
    state.contact_ohm = path.contact_resistance_ohm();
    state.conductor_ohm = path.nail_resistance_ohm();
    return state;
  });
  // The tip crosses the k-th unit cell's middle on the near side at radius roll_outer - (k - 1/2) t_unit, on the
  // far side at r_turn + (k - 1/2) t_unit.
  std::vector<double> crossings;
  const double v = procedure.speed_m_per_s;
  for (int k = 1; k <= box.unit_cells; ++k) {
    const double r_near = roll_outer - (k - 0.5) * t_unit, r_far = r_turn + (k - 0.5) * t_unit;
    if (r_near > r_turn && x_e - x_at(r_near) <= max_depth) crossings.push_back((x_e - x_at(r_near)) / v);
    if (r_far < roll_outer && x_e + x_at(r_far) <= max_depth) crossings.push_back((x_e + x_at(r_far)) / v);
  }
  std::sort(crossings.begin(), crossings.end());
  try {
    driver.advance_to(procedure.observation_s, crossings);
  } catch (const thermal::ConductionSolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, procedure.criterion, options.max_operating_temperature_K);
  if (!crossings.empty() && crossings.front() <= driver.time_s()) result.short_onset_s = crossings.front();
  return result;
}

}  // namespace

AbuseResult3d run_nail_test_3d(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network, const NailProcedure& procedure,
                               const ThreeDOptions& options) {
  if (box.is_cylinder()) return run_nail_test_cylinder(box, inventory, network, procedure, options);
  AbuseResult3d result;
  result.test = "nail";
  result.standard = procedure.standard;
  result.cell = inventory.cell_name;
  const double soc = options.initial_soc.value_or(procedure.initial_soc);
  const thermal::Conduction3dGrid grid{options.nx, options.ny, options.nz, box.length_x_m, box.length_y_m, box.length_z_m};
  const std::size_t n = grid.cell_count();
  const double dx = grid.spacing_x_m(), dy = grid.spacing_y_m(), dz = grid.spacing_z_m();
  const double radius = 0.5 * procedure.diameter_m;
  const double x0 = procedure.position_x_fraction * box.length_x_m, y0 = procedure.position_y_fraction * box.length_y_m;
  const double max_depth = procedure.depth_fraction * box.length_z_m;
  const double Lz = box.length_z_m;

  // The nail's share of each column's cross-section (sampled), and its perimeter's share per column:
  // where the contact heat goes.
  std::vector<double> column_fraction(static_cast<std::size_t>(grid.nx) * grid.ny, 0.0), perimeter(column_fraction.size(), 0.0);
  auto column_of = [&](double x, double y) {
    const int i = std::clamp(static_cast<int>(std::floor(x / dx)), 0, grid.nx - 1);
    const int j = std::clamp(static_cast<int>(std::floor(y / dy)), 0, grid.ny - 1);
    return static_cast<std::size_t>(i) + static_cast<std::size_t>(grid.nx) * j;
  };
  constexpr int samples = 24;
  double sampled_area = 0.0;
  for (int j = 0; j < grid.ny; ++j)
    for (int i = 0; i < grid.nx; ++i) {
      if (std::abs((i + 0.5) * dx - x0) > radius + dx || std::abs((j + 0.5) * dy - y0) > radius + dy) continue;
      int inside = 0;
      for (int b = 0; b < samples; ++b)
        for (int a = 0; a < samples; ++a) {
          const double x = (i + (a + 0.5) / samples) * dx - x0, y = (j + (b + 0.5) / samples) * dy - y0;
          inside += x * x + y * y <= radius * radius;
        }
      column_fraction[column_of((i + 0.5) * dx, (j + 0.5) * dy)] = static_cast<double>(inside) / (samples * samples);
      sampled_area += inside * dx * dy / (samples * samples);
    }
  if (sampled_area == 0.0) column_fraction[column_of(x0, y0)] = std::min(1.0, std::numbers::pi * radius * radius / (dx * dy));
  constexpr int perimeter_points = 4096;
  for (int p = 0; p < perimeter_points; ++p) {
    const double angle = 2.0 * std::numbers::pi * (p + 0.5) / perimeter_points;
    perimeter[column_of(x0 + radius * std::cos(angle), y0 + radius * std::sin(angle))] += 1.0 / perimeter_points;
  }

  // Properties: the nail fills its share of each control volume down to its final depth (present from
  // the start: its 0.4 s passage through a 10 mm stack is short against the test); the rest is jelly roll.
  std::vector<double> fraction(n), k_in(n), k_through(n), capacity(n);
  for (int k = 0; k < grid.nz; ++k)
    for (int j = 0; j < grid.ny; ++j)
      for (int i = 0; i < grid.nx; ++i) {
        const std::size_t c = grid.index(i, j, k);
        const double f = column_fraction[static_cast<std::size_t>(i) + static_cast<std::size_t>(grid.nx) * j] *
                         overlap(k * dz, (k + 1) * dz, Lz - max_depth, Lz) / dz;
        fraction[c] = 1.0 - f;
        k_in[c] = f * procedure.nail_conductivity_W_per_m_K + (1.0 - f) * box.conductivity_in_plane_W_per_m_K;
        k_through[c] = f * procedure.nail_conductivity_W_per_m_K + (1.0 - f) * box.conductivity_through_plane_W_per_m_K;
        capacity[c] = f * procedure.nail_heat_capacity_J_per_m3_K + (1.0 - f) * box.heat_capacity_J_per_m3_K;
      }
  detail::Abuse3dDriver driver(box, inventory, network, soc, procedure.ambient_K, options, {fraction, k_in, k_in, k_through, capacity});
  driver.set_surroundings([T = procedure.ambient_K](double) { return T; }, procedure.convection_W_per_m2_K, procedure.emissivity);

  // The short: a branch per unit cell crossed (short_circuit.hpp).
  const int max_pairs = unit_cells_crossed(max_depth * (1.0 + 1e-12), box.unit_cell_thickness_m, box.unit_cells);
  NailShortPath path;
  path.contact_resistance_per_pair_ohm = procedure.contact_resistance_ohm;
  path.nail_resistance_per_pair_ohm = procedure.nail_resistivity_ohm_m * box.unit_cell_thickness_m / (std::numbers::pi * radius * radius);
  const auto internal = driver.jelly_roll_weights();
  int sites_for = -1;
  detail::ShortState state;
  driver.set_short_provider([&](double t) -> std::optional<detail::ShortState> {
    const int pairs = std::min(max_pairs, unit_cells_crossed(procedure.speed_m_per_s * t + 1e-9 * box.unit_cell_thickness_m, box.unit_cell_thickness_m,
                                                             box.unit_cells));
    if (pairs <= 0) return std::nullopt;
    path.pairs = pairs;
    if (sites_for != pairs) {
      // Contact heat at the nail's surface along the shorted depth, the nail's own heat in the nail there.
      const double shorted = std::min(Lz, pairs * box.unit_cell_thickness_m);
      state.sites.internal = internal;
      state.sites.contact.assign(n, 0.0);
      state.sites.conductor.assign(n, 0.0);
      double contact_sum = 0.0, conductor_sum = 0.0;
      for (int k = 0; k < grid.nz; ++k) {
        const double depth_share = overlap(k * dz, (k + 1) * dz, Lz - shorted, Lz);
        if (depth_share <= 0.0) continue;
        for (int j = 0; j < grid.ny; ++j)
          for (int i = 0; i < grid.nx; ++i) {
            const std::size_t c = grid.index(i, j, k), column = static_cast<std::size_t>(i) + static_cast<std::size_t>(grid.nx) * j;
            state.sites.contact[c] = perimeter[column] * depth_share;
            state.sites.conductor[c] = (1.0 - driver.jelly_roll_fraction(c)) * depth_share;
            contact_sum += state.sites.contact[c];
            conductor_sum += state.sites.conductor[c];
          }
      }
      for (double& w : state.sites.contact) w /= contact_sum;
      if (conductor_sum > 0.0) {
        for (double& w : state.sites.conductor) w /= conductor_sum;
      } else {
        state.sites.conductor = state.sites.contact;
      }
      sites_for = pairs;
    }
    state.contact_ohm = path.contact_resistance_ohm();
    state.conductor_ohm = path.nail_resistance_ohm();
    return state;
  });
  std::vector<double> crossings;
  for (int k = 1; k <= max_pairs; ++k) crossings.push_back(crossing_time_s(k, box.unit_cell_thickness_m, procedure.speed_m_per_s));
  try {
    driver.advance_to(procedure.observation_s, crossings);
  } catch (const thermal::ConductionSolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, procedure.criterion, options.max_operating_temperature_K);
  if (!crossings.empty() && crossings.front() <= driver.time_s()) result.short_onset_s = crossings.front();
  return result;
}

AbuseResult3d run_nail_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network, const NailProcedure& procedure,
                               const ThreeDOptions& options) {
  return run_nail_test_3d(thermal_body(cell, inventory), inventory, network, procedure, options);
}

}  // namespace solidcell::abuse
