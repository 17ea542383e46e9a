#include "solidcell/abuse/crush_mechanics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double pi = 3.14159265358979323846;

// 8-point Gauss-Legendre on [0, 1].
constexpr std::array<double, 8> gauss_x = {0.019855071751231856, 0.10166676129318664, 0.2372337950418355, 0.4082826787521751,
                                           0.5917173212478249,   0.7627662049581645,  0.8983332387068134, 0.9801449282487681};
constexpr std::array<double, 8> gauss_w = {0.05061426814518813, 0.11119051722668724, 0.15685332293894363, 0.18134189168918100,
                                           0.18134189168918100, 0.15685332293894363, 0.11119051722668724, 0.05061426814518813};

// int_0^a f(x) dx on `panels` equal panels of 8-point Gauss.
template <class F>
double integrate(double a, int panels, F&& f) {
  if (a <= 0.0) return 0.0;
  const double h = a / panels;
  double sum = 0.0;
  for (int p = 0; p < panels; ++p)
    for (std::size_t k = 0; k < gauss_x.size(); ++k) sum += gauss_w[k] * f((p + gauss_x[k]) * h);
  return sum * h;
}

}  // namespace

std::string default_mechanics_name(const std::string& chemistry) { return chemistry == "solid-state" ? "sulfide-assb-stack" : "liquid-stack"; }

StackMechanics load_stack_mechanics(const std::string& name_or_path) {
  const std::string file = builtin_or_given_file(name_or_path, "mechanics", "stack mechanics").string();
  const auto doc = io::load_toml_file(file);
  io::TomlTable root(doc, file, "");
  StackMechanics m;
  m.file = file;
  {
    auto t = root.table("mechanics");
    m.name = t.string("name");
    m.description = t.optional_string("description").value_or("");
    m.chemistry = t.choice("chemistry", {"liquid", "solid-state"});
    m.source = t.string("source");
    if (auto asr = t.optional_number("contact_resistance_ohm_cm2", Range::positive(1e6))) m.contact_resistance_ohm_m2 = *asr * 1e-4;
    t.accept("contact_resistance_source");
    t.accept("uncertainty");
    t.reject_unknown_keys();
  }
  const toml::node* layers = root.node("layer");
  if (!layers || !layers->is_array_of_tables() || layers->as_array()->empty()) root.fail("layer", "", "at least one [[layer]] table");
  int index = 0;
  for (const auto& node : *layers->as_array()) {
    io::TomlTable t(*node.as_table(), file, "layer[" + std::to_string(index++) + "]");
    LayerLaw l;
    l.role = t.choice("role", {"positive", "negative", "lithium_metal", "separator", "positive_collector", "negative_collector"});
    for (const auto& other : m.layers)
      if (other.role == l.role) t.fail("role", l.role, "each role once");
    l.stiffness_Pa = 1e6 * t.number("stiffness_MPa", Range::positive(1e7));
    l.exponent = t.optional_number("exponent", Range{1.0, 10.0}).value_or(1.0);
    if (auto f = t.optional_number("failure_strain", Range{0.0, 1.0, true, true})) l.failure_strain = *f;
    l.source = t.string("source");
    t.accept("uncertainty");
    t.reject_unknown_keys();
    m.layers.push_back(l);
  }
  root.accept("layer");
  root.reject_unknown_keys();
  return m;
}

CrushMechanics::CrushMechanics(StackGeometry geometry, std::vector<CrushLayer> layers) : geometry_(geometry), layers_(std::move(layers)) {}

double CrushMechanics::layer_strain(std::size_t k, double stress) const {
  const auto& l = layers_[k].law;
  return std::pow(std::max(stress, 0.0) / l.stiffness_Pa, 1.0 / l.exponent);
}

double CrushMechanics::stack_strain(double stress) const {
  double e = 0.0;
  for (std::size_t k = 0; k < layers_.size(); ++k) e += layers_[k].thickness_fraction * layer_strain(k, stress);
  return e;
}

double CrushMechanics::stress_Pa(double strain) const {
  if (strain <= 0.0) return 0.0;
  // Bracket, then Newton on log(sigma) kept inside the bracket (eps(sigma) increases, a sum of powers).
  double lo = 0.0, hi = 1.0;
  while (stack_strain(hi) < strain) hi *= 4.0;
  double s = hi;
  for (int it = 0; it < 200; ++it) {
    const double e = stack_strain(s);
    if (e > strain) hi = s;
    else lo = s;
    double slope = 0.0;  // d eps / d sigma
    for (std::size_t k = 0; k < layers_.size(); ++k) slope += layers_[k].thickness_fraction * layer_strain(k, s) / (layers_[k].law.exponent * s);
    double next = s - (e - strain) / slope;
    if (!(next > lo && next < hi)) next = lo > 0.0 ? std::sqrt(lo * hi) : 0.5 * hi;
    if (std::abs(next - s) <= 1e-14 * s) return next;
    s = next;
  }
  return s;
}

double CrushMechanics::energy_density_J_per_m3(double stress) const {
  // int sigma d(eps_i) = K eps_i^(n+1) / (n+1) per layer, weighted by its thickness fraction.
  double w = 0.0;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    const auto& l = layers_[k].law;
    w += layers_[k].thickness_fraction * l.stiffness_Pa * std::pow(layer_strain(k, stress), l.exponent + 1.0) / (l.exponent + 1.0);
  }
  return w;
}

double CrushMechanics::half_contact_m(double d, const Indenter& ind) const {
  if (ind.kind == IndenterKind::flat_plate) return 0.5 * geometry_.length_m;
  const double R = ind.radius_m;
  const double e = std::min(d, R);
  return std::min(std::sqrt(std::max(2.0 * R * e - e * e, 0.0)), 0.5 * geometry_.length_m);
}

double CrushMechanics::force_N(double d, const Indenter& ind) const {
  if (d <= 0.0) return 0.0;
  const double H = geometry_.stack_thickness_m;
  if (ind.kind == IndenterKind::flat_plate) return geometry_.width_m * geometry_.length_m * stress_Pa(d / H);
  const double R = ind.radius_m;
  const double a = half_contact_m(d, ind);
  return 2.0 * geometry_.width_m * integrate(a, 64, [&](double x) { return stress_Pa((d - (R - std::sqrt(R * R - x * x))) / H); });
}

double CrushMechanics::strain_energy_J(double d, const Indenter& ind) const {
  if (d <= 0.0) return 0.0;
  const double H = geometry_.stack_thickness_m;
  if (ind.kind == IndenterKind::flat_plate) return geometry_.width_m * geometry_.length_m * H * energy_density_J_per_m3(stress_Pa(d / H));
  const double R = ind.radius_m;
  const double a = half_contact_m(d, ind);
  return 2.0 * geometry_.width_m * H *
         integrate(a, 64, [&](double x) { return energy_density_J_per_m3(stress_Pa((d - (R - std::sqrt(R * R - x * x))) / H)); });
}

std::optional<double> CrushMechanics::indentation_at_force(double force, const Indenter& ind) const {
  double hi = 0.99 * geometry_.stack_thickness_m;
  if (force_N(hi, ind) < force) return std::nullopt;
  double lo = 0.0;
  for (int it = 0; it < 100 && hi - lo > 1e-13 * geometry_.stack_thickness_m; ++it) {
    const double mid = 0.5 * (lo + hi);
    (force_N(mid, ind) < force ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::optional<std::size_t> CrushMechanics::failing_layer() const {
  std::optional<std::size_t> first;
  double best = inf;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    const auto& l = layers_[k].law;
    if (!l.failure_strain) continue;
    const double strain = stack_strain(l.stiffness_Pa * std::pow(*l.failure_strain, l.exponent));
    if (strain < best) {
      best = strain;
      first = k;
    }
  }
  return first;
}

std::optional<double> CrushMechanics::onset_indentation_m() const {
  const auto k = failing_layer();
  if (!k) return std::nullopt;
  const auto& l = layers_[*k].law;
  // The column under the centre carries the largest strain, d / H: it fails first.
  return geometry_.stack_thickness_m * stack_strain(l.stiffness_Pa * std::pow(*l.failure_strain, l.exponent));
}

double CrushMechanics::failed_half_width_m(double d, const Indenter& ind) const {
  const auto onset = onset_indentation_m();
  if (!onset || d <= *onset) return 0.0;
  // Columns whose strain passes the onset strain: where the indenter's surface lies d - d* below the top.
  return half_contact_m(d - *onset, ind);
}

double CrushMechanics::failed_area_m2(double d, const Indenter& ind) const {
  const double half = failed_half_width_m(d, ind);
  if (half <= 0.0) return 0.0;
  const double units = geometry_.stack_thickness_m / geometry_.unit_cell_thickness_m;
  return units * geometry_.width_m * 2.0 * half;
}

double CrushMechanics::short_resistance_ohm(double d, const Indenter& ind) const {
  const double area = failed_area_m2(d, ind);
  return area > 0.0 ? geometry_.contact_resistance_ohm_m2 / area : inf;
}

CrushMechanics crush_mechanics(const cell::Cell& cell, const StackMechanics& m, const std::string& file) {
  const auto design = cell::compute_design(cell, file);
  StackGeometry g;
  const double t_pos = cell.positive.thickness_m;
  const double t_sep = cell.separator.layer.thickness_m;
  const double t_neg = cell.negative.composite ? cell.negative.composite->thickness_m : 0.0;
  const double t_li = cell.negative.composite ? 0.0 : cell.negative.lithium_foil_thickness_m + design.plated_lithium_thickness_m;
  const double t_al = 0.5 * cell.collectors.positive_thickness_m;  // each foil serves two unit cells
  const double t_cu = 0.5 * cell.collectors.negative_thickness_m;
  g.unit_cell_thickness_m = t_pos + t_sep + t_neg + t_li + t_al + t_cu;
  if (const auto* p = std::get_if<cell::PouchFormat>(&cell.format)) {
    g.stack_thickness_m = design.stack_thickness_charged_m;
    g.cell_thickness_m = g.stack_thickness_m + 2.0 * p->laminate_thickness_m;
    g.width_m = p->electrode_width_m;  // assumption: the indenter's axis runs along the shorter side, at mid-length
    g.length_m = p->electrode_length_m;
  } else if (const auto* c = std::get_if<cell::CylindricalFormat>(&cell.format)) {
    // The jelly roll as a block of the same cross-section (a homogenisation, docs/abuse.md): thickness D,
    // width pi D / 4 along the indenter, length the coated height across it (indenter axis across the cell's).
    g.stack_thickness_m = design.stack_thickness_charged_m;
    g.cell_thickness_m = c->outer_diameter_m;
    g.width_m = pi * g.stack_thickness_m / 4.0;
    g.length_m = c->cathode_height_m;
  } else {
    throw InputError(InputLocation{file, 0, "format"}, "lumped", "a pouch or cylindrical format (the crush model needs the stack's shape)");
  }
  auto law = [&](const std::string& role) -> const LayerLaw& {
    for (const auto& l : m.layers)
      if (l.role == role) return l;
    throw InputError(InputLocation{m.file, 0, "layer"}, role, fmt::format("a [[layer]] with role = \"{}\" for cell {}", role, cell.name));
  };
  std::vector<CrushLayer> layers;
  auto add = [&](const std::string& role, double t) {
    if (t > 0.0) layers.push_back({law(role), t / g.unit_cell_thickness_m});
  };
  add("positive", t_pos);
  add("separator", t_sep);
  add("negative", t_neg);
  add("lithium_metal", t_li);
  add("positive_collector", t_al);
  add("negative_collector", t_cu);
  // Failed area: the cathode coating touches the anode side; its electronic path limits the current
  // (the same estimate as data/abuse/liquid-ncm-graphite.toml's separator short).
  const double sigma = cell.material(cell.positive.active_material).transport.electronic_conductivity_S_per_m.value_or(0.0);
  if (m.contact_resistance_ohm_m2) g.contact_resistance_ohm_m2 = *m.contact_resistance_ohm_m2;
  else if (sigma > 0.0) g.contact_resistance_ohm_m2 = t_pos / sigma;
  else throw InputError(InputLocation{m.file, 0, "mechanics.contact_resistance_ohm_cm2"}, "", "a value, since the cathode material has no electronic conductivity");
  return CrushMechanics(g, std::move(layers));
}

}  // namespace solidcell::abuse
