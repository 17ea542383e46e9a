#include "solidcell/cell/bpx_import.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "solidcell/base/constants.hpp"
#include "solidcell/base/input_error.hpp"

namespace solidcell::cell {
namespace {

using json = nlohmann::json;
using materials::Material;
using materials::Role;
using materials::StoichiometryFunction;

// nlohmann::json keeps no positions, so errors find the line of a key by its text after its section's.
struct Source {
  std::string path;
  std::string text;

  int line_of(const std::vector<std::string>& keys) const {
    size_t pos = 0;
    for (const auto& k : keys) {
      size_t found = text.find("\"" + k + "\"", pos);
      if (found == std::string::npos) break;
      pos = found;
    }
    if (pos == 0) return 0;
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
  }
};

class Section {
 public:
  Section(const Source& src, const json& obj, std::vector<std::string> path) : src_(src), obj_(obj), path_(std::move(path)) {
    if (!obj_.is_object()) fail_here("", "must be a JSON object");
  }

  bool has(const std::string& key) const { return obj_.contains(key); }

  [[noreturn]] void fail(const std::string& key, const std::string& value, const std::string& allowed) const {
    auto keys = path_;
    keys.push_back(key);
    throw InputError(InputLocation{src_.path, src_.line_of(keys), dotted(keys)}, value, allowed);
  }

  double number(const std::string& key, double low, double high, bool low_open = false) const {
    used_.insert(key);
    if (!has(key)) fail(key, "", "required BPX field is missing");
    const auto& v = obj_.at(key);
    if (!v.is_number()) fail(key, v.dump(), "must be a number");
    double x = v.get<double>();
    bool ok = std::isfinite(x) && (low_open ? x > low : x >= low) && x <= high;
    if (!ok) fail(key, fmt::format("{}", x), fmt::format("allowed range {}{}, {}]", low_open ? "(" : "[", low, high));
    return x;
  }

  std::optional<double> optional_number(const std::string& key, double low, double high) const {
    used_.insert(key);
    if (!has(key)) return std::nullopt;
    return number(key, low, high);
  }

  // A BPX FloatFunctionTable of stoichiometry: number, Python expression in x, or {"x": [...], "y": [...]}.
  StoichiometryFunction function(const std::string& key) const {
    used_.insert(key);
    if (!has(key)) fail(key, "", "required BPX field is missing");
    const auto& v = obj_.at(key);
    if (v.is_number()) return StoichiometryFunction::constant(v.get<double>());
    if (v.is_string()) {
      try {
        return StoichiometryFunction::expression(v.get<std::string>());
      } catch (const std::invalid_argument& e) {
        fail(key, v.dump(), e.what());
      }
    }
    if (v.is_object() && v.contains("x") && v.contains("y") && v["x"].is_array() && v["y"].is_array()) {
      std::vector<std::pair<double, double>> pts;
      if (v["x"].size() != v["y"].size()) fail(key, "", "table x and y differ in length");
      for (size_t i = 0; i < v["x"].size(); ++i) {
        if (!v["x"][i].is_number() || !v["y"][i].is_number()) fail(key, "", "table entries must be numbers");
        pts.emplace_back(v["x"][i].get<double>(), v["y"][i].get<double>());
      }
      std::sort(pts.begin(), pts.end());  // BPX does not require sorted x
      std::vector<double> xs, ys;
      for (auto& [x, y] : pts) xs.push_back(x), ys.push_back(y);
      try {
        return StoichiometryFunction::table(std::move(xs), std::move(ys));
      } catch (const std::invalid_argument& e) {
        fail(key, "", e.what());
      }
    }
    fail(key, v.dump().substr(0, 60), "must be a number, an expression string in x, or {\"x\": [...], \"y\": [...]}");
  }

  Section sub(const std::string& key) const {
    used_.insert(key);
    if (!has(key)) fail(key, "", "required BPX section is missing");
    auto p = path_;
    p.push_back(key);
    return Section(src_, obj_.at(key), p);
  }

  void note(const std::string& key, std::vector<std::string>& not_carried) const {
    used_.insert(key);
    if (has(key)) {
      auto p = path_;
      p.push_back(key);
      not_carried.push_back(dotted(p));
    }
  }

  void reject_unknown() const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it)
      if (!used_.contains(it.key())) fail(it.key(), "", "unknown BPX key (the BPX schema forbids extra keys; use \"User-defined\")");
  }

  const std::vector<std::string>& path() const { return path_; }
  const json& raw(const std::string& key) const { return obj_.at(key); }

 private:
  static std::string dotted(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : "/") + k;
    return out;
  }
  [[noreturn]] void fail_here(const std::string& value, const std::string& allowed) const {
    throw InputError(InputLocation{src_.path, src_.line_of(path_), dotted(path_)}, value, allowed);
  }

  const Source& src_;
  const json& obj_;
  std::vector<std::string> path_;
  mutable std::set<std::string> used_;
};

std::string slug(std::string text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "bpx-cell" : out;
}

// One electrode: its active material, and the layer with the rest of the solids as an inactive binder
// phase (BPX gives the active fraction only through a R / 3).
void read_electrode(const Section& e, bool positive, const std::string& base, double initial_electrolyte_concentration, Cell& cell,
                    std::vector<std::string>& not_carried) {
  if (e.has("Particle")) e.fail("Particle", "", "blended electrodes are not supported yet: give one active material");
  Material active;
  active.name = base + (positive ? "-positive-active" : "-negative-active");
  active.role = positive ? Role::positive_active : Role::negative_active;
  active.source = cell.source;
  materials::ActiveCapacity cap;
  cap.maximum_concentration_mol_per_m3 = e.number("Maximum concentration [mol.m-3]", 0.0, 2e5, true);
  cap.stoichiometry_min = e.number("Minimum stoichiometry", 0.0, 1.0);
  cap.stoichiometry_max = e.number("Maximum stoichiometry", 0.0, 1.0);
  if (cap.stoichiometry_max <= cap.stoichiometry_min) {
    e.fail("Maximum stoichiometry", fmt::format("{}", cap.stoichiometry_max), "must exceed \"Minimum stoichiometry\"");
  }
  cap.source = cell.source;
  active.capacity = cap;
  active.open_circuit_potential_V = e.function("OCP [V]");
  active.open_circuit_potential_source = cell.source;
  for (double x : {cap.stoichiometry_min, cap.stoichiometry_max}) {
    double u = active.open_circuit_potential_V(x);
    if (!(u > -0.5 && u < 6.0)) e.fail("OCP [V]", fmt::format("{} V at x = {}", u, x), "the OCP must lie in (-0.5, 6) V over the stoichiometry window");
  }
  double thickness = e.number("Thickness [m]", 0.0, 5e-3, true);
  double porosity = e.number("Porosity", 0.0, 0.95);
  double radius = e.number("Particle radius [m]", 0.0, 1e-3, true);
  double area = e.number("Surface area per unit volume [m-1]", 0.0, 1e9, true);
  double active_fraction = area * radius / 3.0;
  if (active_fraction + porosity > 1.0 + 1e-9) {
    e.fail("Surface area per unit volume [m-1]", fmt::format("{}", area),
           fmt::format("with \"Particle radius [m]\" it gives an active volume fraction {:.4f}, which with porosity {:.4f} exceeds 1",
                       active_fraction, porosity));
  }
  if (e.has("Diffusivity [m2.s-1]") && e.raw("Diffusivity [m2.s-1]").is_number()) {
    active.transport.diffusivity_m2_per_s = e.number("Diffusivity [m2.s-1]", 0.0, 1e-6, true);
  } else {
    e.note("Diffusivity [m2.s-1]", not_carried);  // a function of stoichiometry: solid diffusivity is a constant here
  }
  active.transport.diffusivity_activation_energy_J_per_mol = e.optional_number("Diffusivity activation energy [J.mol-1]", 0.0, 3e5);
  active.transport.electronic_conductivity_S_per_m = e.optional_number("Conductivity [S.m-1]", 0.0, 1e9);
  active.transport.source = cell.source;
  // BPX: j0 = F k sqrt(c_e/c_e0 x (1-x)); at x = 0.5 and c_e = 1000 mol/m3 that is the reference j0 solidcell keeps.
  double k = e.number("Reaction rate constant [mol.m-2.s-1]", 0.0, 1.0, true);
  active.kinetics.exchange_current_density_A_per_m2 =
      constants::faraday_C_per_mol * k * std::sqrt(1000.0 / initial_electrolyte_concentration * 0.25);
  active.kinetics.activation_energy_J_per_mol = e.optional_number("Reaction rate constant activation energy [J.mol-1]", 0.0, 3e5).value_or(0.0);
  active.kinetics.source = cell.source + " (BPX reaction rate constant k: j0 = F k sqrt(c_e/c_e0 x (1 - x)))";
  double transport_efficiency = e.number("Transport efficiency", 0.0, 1.0, true);
  if (e.has("Entropic change coefficient [V.K-1]")) active.entropic_coefficient_V_per_K = e.function("Entropic change coefficient [V.K-1]");
  for (const char* k2 : {"OCP (lithiation) [V]", "OCP (delithiation) [V]", "OCP hysteresis decay constant"})
    e.note(k2, not_carried);
  e.reject_unknown();

  CompositeLayer layer;
  layer.active_material = active.name;
  layer.thickness_m = thickness;
  layer.porosity = porosity;
  double solid = 1.0 - porosity;
  double active_share = std::min(1.0, active_fraction / solid);
  layer.solids.push_back({active.name, active_share});
  if (active_share < 1.0 - 1e-12) {
    Material inactive;
    inactive.name = base + (positive ? "-positive-inactive" : "-negative-inactive");
    inactive.role = Role::binder;
    inactive.source = "the solid volume BPX leaves to binder and carbon: 1 - porosity - a R / 3";
    layer.solids.push_back({inactive.name, 1.0 - active_share});
    cell.materials[inactive.name] = inactive;
  }
  // BPX: SOC 1 puts the positive at its minimum and the negative at its maximum stoichiometry.
  layer.stoichiometry_at_100_soc = positive ? cap.stoichiometry_min : cap.stoichiometry_max;
  layer.stoichiometry_at_0_soc = positive ? cap.stoichiometry_max : cap.stoichiometry_min;
  layer.particle_radius_m = radius;
  // Transport efficiency = porosity^b (Bruggeman), so b = ln(efficiency) / ln(porosity).
  layer.bruggeman_exponent = porosity > 0.0 && porosity < 1.0 ? std::log(transport_efficiency) / std::log(porosity) : 1.5;
  layer.electrode_bruggeman_exponent = 0.0;  // BPX electrode conductivities are effective values
  layer.source = cell.source;
  cell.materials[active.name] = active;
  if (positive) {
    cell.positive = layer;
  } else {
    cell.negative.kind = NegativeKind::composite;
    cell.negative.composite = layer;
    cell.negative.source = cell.source;
  }
}

}  // namespace

BpxImport import_bpx(const std::filesystem::path& path, const BpxImportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(InputLocation{path.string(), 0, ""}, "", "file not found");
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  Source src{path.string(), ss.str()};
  json doc;
  try {
    doc = json::parse(src.text);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset; turn it into a line.
    auto upto = std::min<size_t>(e.byte, src.text.size());
    int line = 1 + static_cast<int>(std::count(src.text.begin(), src.text.begin() + static_cast<long>(upto), '\n'));
    throw InputError(InputLocation{src.path, line, ""}, "", fmt::format("JSON syntax error: {}", e.what()));
  }

  BpxImport out;
  Section root(src, doc, {});
  Section header = root.sub("Header");
  Section par = root.sub("Parameterisation");
  root.note("Validation", out.not_carried);
  bool has_state = root.has("State");
  if (has_state) root.note("State", out.not_carried);
  root.reject_unknown();

  if (!header.has("BPX") || !(doc["Header"]["BPX"].is_number() || doc["Header"]["BPX"].is_string())) {
    header.fail("BPX", "", "the BPX format version (a number such as 0.1 or a string such as \"1.0.0\") is required");
  }
  header.note("BPX", out.not_carried);
  std::string title = doc["Header"].value("Title", path.stem().string());
  std::string references = doc["Header"].value("References", "");
  for (const char* k : {"Title", "Description", "References"}) header.note(k, out.not_carried);
  if (!header.has("Model")) header.fail("Model", "", "required BPX field is missing");
  header.note("Model", out.not_carried);
  header.reject_unknown();
  out.not_carried.erase(std::remove_if(out.not_carried.begin(), out.not_carried.end(),
                                       [](const std::string& s) { return s.rfind("Header", 0) == 0; }),
                        out.not_carried.end());

  Section cell_s = par.sub("Cell");
  // The layout is told by content, not the version number (0.x test files carry "BPX": 1.0).
  bool legacy = cell_s.has("Ambient temperature [K]") || cell_s.has("Initial temperature [K]") ||
                (par.has("Electrolyte") && doc["Parameterisation"]["Electrolyte"].contains("Initial concentration [mol.m-3]"));
  if (legacy && has_state) root.fail("State", "", "a 1.x \"State\" section cannot be combined with 0.x keys under \"Cell\"/\"Electrolyte\"");
  out.layout = legacy ? "0.x" : "1.x";

  Cell& cell = out.cell;
  std::string base = slug(title);
  cell.name = base;
  cell.chemistry = "liquid";
  cell.description = title;
  cell.source = fmt::format("imported from BPX file {} ({}){}", path.filename().string(), title,
                            references.empty() ? "" : "; references: " + references);
  cell.voltage_min_V = cell_s.number("Lower voltage cut-off [V]", 0.5, 6.0);
  cell.voltage_max_V = cell_s.number("Upper voltage cut-off [V]", 0.5, 6.0);
  if (cell.voltage_max_V <= cell.voltage_min_V) cell_s.fail("Upper voltage cut-off [V]", fmt::format("{}", cell.voltage_max_V), "must exceed the lower cut-off");
  double area = cell_s.number("Electrode area [m2]", 0.0, 1e3, true);
  double pairs = cell_s.number("Number of electrode pairs connected in parallel to make a cell", 1.0, 1e4);
  if (pairs != std::floor(pairs)) cell_s.fail("Number of electrode pairs connected in parallel to make a cell", fmt::format("{}", pairs), "must be a whole number");
  auto volume = cell_s.optional_number("Volume [m3]", 0.0, 10.0);
  auto density = cell_s.optional_number("Density [kg.m-3]", 100.0, 25000.0);
  cell.nominal_capacity_Ah = cell_s.number("Nominal cell capacity [A.h]", 0.0, 1e5, true);
  for (const char* k : {"External surface area [m2]", "Specific heat capacity [J.K-1.kg-1]", "Reference temperature [K]",
                        "Ambient temperature [K]", "Initial temperature [K]", "Thermal conductivity [W.m-1.K-1]"})
    cell_s.note(k, out.not_carried);
  if (!legacy) {
    for (const char* k : {"Ambient temperature [K]", "Initial temperature [K]", "Thermal conductivity [W.m-1.K-1]"})
      if (cell_s.has(k)) cell_s.fail(k, "", "not part of the BPX 1.x \"Cell\" section");
  }
  cell_s.reject_unknown();

  LumpedFormat lumped;
  lumped.electrode_area_m2 = area * pairs;
  lumped.volume_m3 = options.volume_m3.value_or(volume.value_or(0.0));
  if (options.mass_kg) {
    lumped.mass_kg = *options.mass_kg;
  } else if (volume && density) {
    lumped.mass_kg = *volume * *density;
  }
  if (lumped.volume_m3 <= 0.0) cell_s.fail("Volume [m3]", "", "missing: Wh/L needs the cell volume (or pass it to the importer)");
  if (lumped.mass_kg <= 0.0) cell_s.fail("Density [kg.m-3]", "", "missing: Wh/kg needs Density [kg.m-3] and Volume [m3] (or pass the cell mass to the importer)");
  lumped.source = options.mass_kg || options.volume_m3 ? "mass and volume given at import" : "BPX Cell: Density [kg.m-3] x Volume [m3]";
  cell.format = lumped;

  Section el = par.sub("Electrolyte");
  double initial_concentration = 1000.0;
  if (legacy) {
    initial_concentration = el.number("Initial concentration [mol.m-3]", 0.0, 1e4, true);
  } else {
    if (el.has("Initial concentration [mol.m-3]")) el.fail("Initial concentration [mol.m-3]", "", "in BPX 1.x this lives in State/Initial conditions");
    const auto& state = doc.contains("State") ? doc["State"] : json::object();
    if (state.contains("Initial conditions") && state["Initial conditions"].contains("Initial electrolyte concentration [mol.m-3]")) {
      Section ic(src, state["Initial conditions"], {"State", "Initial conditions"});
      initial_concentration = ic.number("Initial electrolyte concentration [mol.m-3]", 0.0, 1e4, true);
    } else {
      out.assumed.push_back("State/Initial conditions/Initial electrolyte concentration [mol.m-3] = 1000 (absent from the file)");
    }
  }
  read_electrode(par.sub("Positive electrode"), true, base, initial_concentration, cell, out.not_carried);
  read_electrode(par.sub("Negative electrode"), false, base, initial_concentration, cell, out.not_carried);

  Section sep = par.sub("Separator");
  Material film;
  film.name = base + "-separator";
  film.role = Role::separator_film;
  film.source = cell.source;
  cell.materials[film.name] = film;
  cell.separator.kind = SeparatorKind::porous_film;
  cell.separator.layer.solids = {{film.name, 1.0}};
  cell.separator.layer.thickness_m = sep.number("Thickness [m]", 0.0, 5e-3, true);
  cell.separator.layer.porosity = sep.number("Porosity", 0.0, 0.95);
  cell.separator.layer.source = cell.source;
  double sep_efficiency = sep.number("Transport efficiency", 0.0, 1.0, true);
  double sep_porosity = cell.separator.layer.porosity;
  cell.separator.layer.bruggeman_exponent = sep_porosity > 0 && sep_porosity < 1 ? std::log(sep_efficiency) / std::log(sep_porosity) : 1.5;
  sep.reject_unknown();

  Material liquid;
  liquid.name = base + "-electrolyte";
  liquid.role = Role::liquid_electrolyte;
  liquid.source = cell.source;
  materials::ElectrolyteProperties props;
  props.transference_number = el.number("Cation transference number", 0.0, 1.0);
  props.diffusivity_m2_per_s = el.function("Diffusivity [m2.s-1]");
  props.conductivity_S_per_m = el.function("Conductivity [S.m-1]");
  props.diffusivity_activation_energy_J_per_mol = el.optional_number("Diffusivity activation energy [J.mol-1]", 0.0, 3e5).value_or(0.0);
  props.conductivity_activation_energy_J_per_mol = el.optional_number("Conductivity activation energy [J.mol-1]", 0.0, 3e5).value_or(0.0);
  props.source = cell.source;
  liquid.electrolyte = props;
  cell.materials[liquid.name] = liquid;
  LiquidElectrolyte filling;
  filling.material = liquid.name;
  filling.pore_fill_factor = 1.0;
  filling.initial_concentration_mol_per_m3 = initial_concentration;
  filling.source = cell.source;
  cell.electrolyte = filling;
  el.reject_unknown();

  if (par.has("User-defined")) par.note("User-defined", out.not_carried);
  par.reject_unknown();
  return out;
}

Cell import_bpx_file(const std::filesystem::path& path, const materials::MaterialLibrary&) { return import_bpx(path).cell; }

}  // namespace solidcell::cell
