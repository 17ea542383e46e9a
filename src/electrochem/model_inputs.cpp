#include "solidcell/electrochem/model_inputs.hpp"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::electrochem {
namespace {

[[noreturn]] void refuse(const std::string& name, double value, const std::string& why) {
  throw InputError(InputLocation{"", 0, name}, io::format_number(value), why);
}

bool liquid(const CellParameters& p) { return p.electrolyte.has_value(); }

ElectrodeParameters& electrode_of(CellParameters& p, InputRegion r) { return r == InputRegion::negative ? *p.negative : p.positive; }
const ElectrodeParameters& electrode_of(const CellParameters& p, InputRegion r) {
  return r == InputRegion::negative ? *p.negative : p.positive;
}

using Applies = std::function<bool(const CellParameters&)>;

ModelInput input(std::string name, std::string unit, InputRange range, InputRegion region, unsigned invalidates, unsigned used_by,
                 std::string needs, Applies applies, std::function<double(const CellParameters&)> get,
                 std::function<void(CellParameters&, double)> set) {
  return ModelInput{std::move(name), std::move(unit), range, region, invalidates, used_by, std::move(needs), std::move(applies),
                    std::move(get), std::move(set)};
}

// A value held in a field of one of CellParameters' parts; `part` maps CellParameters (const or not) to the part.
template <class Part, class PartOf>
ModelInput field_input(std::string name, std::string unit, InputRange range, InputRegion region, unsigned invalidates, unsigned used_by,
                       std::string needs, Applies applies, PartOf part, double Part::*field) {
  return input(std::move(name), std::move(unit), range, region, invalidates, used_by, std::move(needs), std::move(applies),
               [part, field](const CellParameters& p) { return part(p).*field; },
               [part, field](CellParameters& p, double v) { part(p).*field = v; });
}

constexpr auto separator_of = [](auto& p) -> auto& { return p.separator; };
constexpr auto electrolyte_of = [](auto& p) -> auto& { return *p.electrolyte; };
constexpr auto lithium_of = [](auto& p) -> auto& { return *p.lithium_metal; };
constexpr auto thermal_of = [](auto& p) -> auto& { return *p.thermal; };
constexpr auto cell_of = [](auto& p) -> auto& { return p; };

std::vector<ModelInput> build_inputs() {
  using namespace derived;
  using model_kind::all;
  using model_kind::dfn;
  using model_kind::spme;
  const Applies always = [](const CellParameters&) { return true; };
  const Applies is_liquid = [](const CellParameters& p) { return p.electrolyte.has_value(); };
  const Applies is_solid = [](const CellParameters& p) { return !p.electrolyte.has_value(); };
  auto upto = [](double high) { return InputRange{0.0, high, true, false}; };  // (0, high]
  auto closed = [](double low, double high) { return InputRange{low, high, false, false}; };
  const InputRange fraction{0.0, 1.0, true, true};
  const InputRange porosity = closed(0.0, 0.95);  // as the cell files allow
  const InputRange bruggeman = closed(0.0, 5.0);

  std::vector<ModelInput> in;
  for (InputRegion side : {InputRegion::negative, InputRegion::positive}) {
    const bool neg = side == InputRegion::negative;
    const std::string Side = neg ? "Negative" : "Positive";
    const std::string lower = neg ? "negative" : "positive";
    const std::string needs = neg ? "a porous negative electrode" : "";
    const Applies has = [neg](const CellParameters& p) { return !neg || p.negative.has_value(); };
    auto part = [neg](auto& p) -> auto& { return neg ? *p.negative : p.positive; };
    auto add = [&](std::string name, std::string unit, InputRange range, double ElectrodeParameters::*field, unsigned invalidates,
                   unsigned used_by) {
      in.push_back(field_input(std::move(name), std::move(unit), range, side, invalidates, used_by, needs, has, part, field));
    };
    add(Side + " particle radius [m]", "m", upto(1e-3), &ElectrodeParameters::particle_radius_m, surface_area, all);
    add(Side + " particle diffusivity [m2.s-1]", "m2.s-1", upto(1e-6), &ElectrodeParameters::diffusivity, none, all);
    add(Side + " electrode exchange-current density [A.m-2]", "A.m-2", upto(1e5), &ElectrodeParameters::exchange_current_reference, none,
        all);
    add(Side + " electrode conductivity [S.m-1]", "S.m-1", upto(1e9), &ElectrodeParameters::conductivity, none, spme | dfn);
    add(Side + " electrode thickness [m]", "m", upto(5e-3), &ElectrodeParameters::thickness_m, mesh_geometry, all);
    add(Side + " electrode porosity", "", porosity, &ElectrodeParameters::porosity,
        electrolyte_fraction | solid_fractions | surface_area | tortuosity, all);
    add(Side + " electrode active material volume fraction", "", fraction, &ElectrodeParameters::active_fraction, surface_area, all);
    add(Side + " electrode Bruggeman coefficient (electrolyte)", "", bruggeman, &ElectrodeParameters::bruggeman, tortuosity, spme | dfn);
    add(Side + " electrode Bruggeman coefficient (electrode)", "", bruggeman, &ElectrodeParameters::electrode_bruggeman, none, spme | dfn);
    add("Maximum concentration in " + lower + " electrode [mol.m-3]", "mol.m-3", upto(2e5), &ElectrodeParameters::max_concentration, none,
        all);
    add(Side + " electrode interface resistance [Ohm.m2]", "Ohm.m2", closed(0.0, 1.0), &ElectrodeParameters::interface_resistance, none, all);
    in.push_back(field_input(Side + " electrode solid electrolyte ionic conductivity [S.m-1]", "S.m-1", upto(1e3), side, none, dfn,
                             neg ? "a porous negative electrode with a solid electrolyte" : "a solid electrolyte",
                             [has, is_solid](const CellParameters& p) { return has(p) && is_solid(p); }, part,
                             &ElectrodeParameters::ionic_conductivity));
  }

  const auto sep = InputRegion::separator;
  in.push_back(field_input("Separator thickness [m]", "m", upto(5e-3), sep, mesh_geometry, all, "", always, separator_of,
                           &SeparatorParameters::thickness_m));
  in.push_back(field_input("Separator porosity", "", porosity, sep, electrolyte_fraction | solid_fractions | tortuosity, all, "", always,
                           separator_of, &SeparatorParameters::porosity));
  in.push_back(field_input("Separator Bruggeman coefficient (electrolyte)", "", bruggeman, sep, tortuosity, spme | dfn, "", always,
                           separator_of, &SeparatorParameters::bruggeman));
  in.push_back(field_input("Separator solid electrolyte ionic conductivity [S.m-1]", "S.m-1", upto(1e3), sep, none, dfn,
                           "a solid electrolyte", is_solid, separator_of, &SeparatorParameters::ionic_conductivity));
  // One value for every layer's solid electrolyte (the built-in cells use one material throughout).
  in.push_back(input(
      "Solid electrolyte ionic conductivity [S.m-1]", "S.m-1", upto(1e3), InputRegion::cell, none, dfn, "a solid electrolyte", is_solid,
      [](const CellParameters& p) { return p.separator.ionic_conductivity; },
      [](CellParameters& p, double v) {
        p.separator.ionic_conductivity = v;
        p.positive.ionic_conductivity = v;
        if (p.negative) p.negative->ionic_conductivity = v;
      }));

  const auto cell = InputRegion::cell;
  const std::string needs_liquid = "a liquid electrolyte";
  in.push_back(field_input("Initial concentration in electrolyte [mol.m-3]", "mol.m-3", upto(1e4), cell, none, all, needs_liquid, is_liquid,
                           electrolyte_of, &LiquidElectrolyteParameters::initial_concentration));
  in.push_back(field_input("Cation transference number", "", InputRange{0.0, 1.0, false, true}, cell, none, spme | dfn, needs_liquid,
                           is_liquid, electrolyte_of, &LiquidElectrolyteParameters::transference_number));
  in.push_back(field_input("Thermodynamic factor", "", upto(20.0), cell, none, spme | dfn, needs_liquid, is_liquid, electrolyte_of,
                           &LiquidElectrolyteParameters::thermodynamic_factor));

  const std::string needs_lithium = "a lithium-metal or alloy-foil negative";
  const Applies has_lithium = [](const CellParameters& p) { return p.lithium_metal.has_value(); };
  in.push_back(field_input("Lithium metal exchange-current density [A.m-2]", "A.m-2", upto(1e5), InputRegion::negative, none, all,
                           needs_lithium, has_lithium, lithium_of, &LithiumMetalParameters::exchange_current_density));
  in.push_back(field_input("Lithium metal interface resistance [Ohm.m2]", "Ohm.m2", closed(0.0, 1.0), InputRegion::negative, none, all,
                           needs_lithium, has_lithium, lithium_of, &LithiumMetalParameters::interface_resistance));

  in.push_back(field_input("Electrode area [m2]", "m2", upto(1e3), cell, none, all, "", always, cell_of, &CellParameters::electrode_area_m2));
  in.push_back(field_input("Nominal cell capacity [A.h]", "A.h", upto(1e5), cell, none, all, "", always, cell_of,
                           &CellParameters::nominal_capacity_Ah));
  in.push_back(field_input("Lower voltage cut-off [V]", "V", closed(0.5, 6.0), cell, none, all, "", always, cell_of,
                           &CellParameters::voltage_min_V));
  in.push_back(field_input("Upper voltage cut-off [V]", "V", closed(0.5, 6.0), cell, none, all, "", always, cell_of,
                           &CellParameters::voltage_max_V));
  // Held by the model (set_temperature), as the experiment's ambient; the range is run_experiment()'s.
  in.push_back(input(ambient_temperature_input, "K", InputRange{200.0, 400.0, true, true}, cell, none, all, "", always, nullptr, nullptr));
  const std::string needs_thermal = "the lumped thermal model ([thermal] in the cell file)";
  const Applies thermal = [](const CellParameters& p) { return p.thermal.has_value(); };
  in.push_back(field_input("Cell heat capacity [J.K-1]", "J.K-1", upto(1e7), cell, none, all, needs_thermal, thermal, thermal_of,
                           &ThermalParameters::heat_capacity_J_per_K));
  in.push_back(field_input("Cooling conductance [W.K-1]", "W.K-1", closed(0.0, 1e6), cell, none, all, needs_thermal, thermal, thermal_of,
                           &ThermalParameters::cooling_conductance_W_per_K));
  return in;
}

std::string does_not_apply(const ModelInput& in, const CellParameters& p) {
  return fmt::format("does not apply to the cell \"{}\": it needs {}", p.name, in.needs);
}

void check_applies(const ModelInput& in, const CellParameters& p, double value) {
  if (!in.applies(p)) refuse(in.name, value, does_not_apply(in, p));
}

void check_range(const ModelInput& in, double value) {
  if (!in.range.contains(value)) refuse(in.name, value, in.range.describe() + (in.unit.empty() ? "" : " " + in.unit));
}

// Recomputes, for the input's region, the quantities model_parameters() derives from the value set.
void recompute_derived(CellParameters& p, const ModelInput& in, double old_value, double value) {
  const unsigned flags = in.invalidates;
  const bool electrode = in.region == InputRegion::negative || in.region == InputRegion::positive;
  if (liquid(p) && (flags & derived::electrolyte_fraction)) {
    if (electrode) electrode_of(p, in.region).electrolyte_fraction = electrode_of(p, in.region).porosity;
    if (in.region == InputRegion::separator) p.separator.electrolyte_fraction = p.separator.porosity;
  }
  if (!liquid(p) && (flags & derived::solid_fractions)) {
    // The solids keep their proportions and fill what the pores leave.
    const double scale = (1.0 - value) / (1.0 - old_value);
    if (electrode) {
      electrode_of(p, in.region).active_fraction *= scale;
      electrode_of(p, in.region).electrolyte_fraction *= scale;
    }
    if (in.region == InputRegion::separator) p.separator.electrolyte_fraction *= scale;
  }
  if (electrode && (flags & derived::surface_area)) {
    auto& e = electrode_of(p, in.region);
    e.surface_area_per_volume = 3.0 * e.active_fraction / e.particle_radius_m;
  }
}

// Refuses a value that is in range alone but not beside the others (volume fractions above 1, cut-offs crossed).
void check_consistent(const CellParameters& p, const ModelInput& in, double value) {
  if (in.region == InputRegion::negative || in.region == InputRegion::positive) {
    if (in.region == InputRegion::negative && !p.negative) return;  // the lithium-metal inputs
    const auto& e = electrode_of(p, in.region);
    const double filled = e.active_fraction + e.porosity + (liquid(p) ? 0.0 : e.electrolyte_fraction);
    if (filled > 1.0 + 1e-12)
      refuse(in.name, value, fmt::format("the {} electrode's volume fractions (active material, pores{}) would add up to {:.6g}",
                                         in.region == InputRegion::negative ? "negative" : "positive", liquid(p) ? "" : ", solid electrolyte",
                                         filled));
    if (liquid(p) && !(e.porosity > 0.0))
      refuse(in.name, value, "a liquid cell's electrode needs pores for its electrolyte (porosity > 0)");
  }
  if (in.region == InputRegion::separator && liquid(p) && !(p.separator.porosity > 0.0))
    refuse(in.name, value, "a liquid cell's separator needs pores for its electrolyte (porosity > 0)");
  if (!(p.voltage_min_V < p.voltage_max_V))
    refuse(in.name, value,
           fmt::format("the lower voltage cut-off ({} V) must stay below the upper ({} V)", p.voltage_min_V, p.voltage_max_V));
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return out;
}

unsigned kind_of(const BatteryModel& model) {
  const std::string name = model.name();
  if (name == "SPM") return model_kind::spm;
  if (name == "SPMe") return model_kind::spme;
  return model_kind::dfn;
}

}  // namespace

bool InputRange::contains(double v) const { return io::Range{low, high, low_open, high_open}.contains(v); }
std::string InputRange::describe() const { return io::Range{low, high, low_open, high_open}.describe(); }

const std::vector<ModelInput>& model_inputs() {
  static const std::vector<ModelInput> inputs = build_inputs();
  return inputs;
}

const ModelInput& find_model_input(const std::string& name) {
  for (const auto& in : model_inputs())
    if (in.name == name) return in;
  std::vector<std::string> names;
  for (const auto& in : model_inputs()) names.push_back(in.name);
  throw std::invalid_argument(fmt::format("unknown input \"{}\"; the inputs are {}", name, quoted_list(names)));
}

std::vector<std::string> model_input_names(const CellParameters& p, unsigned kind) {
  std::vector<std::string> names;
  for (const auto& in : model_inputs())
    if (in.applies(p) && (in.used_by & kind)) names.push_back(in.name);
  return names;
}

void apply_input(CellParameters& p, const std::string& name, double value) {
  const ModelInput& in = find_model_input(name);
  if (!in.set)
    throw std::invalid_argument(fmt::format("\"{}\" is held by the model, not its parameters: use BatteryModel::set_input", name));
  check_applies(in, p, value);
  check_range(in, value);
  CellParameters changed = p;
  const double old_value = in.get(changed);
  in.set(changed, value);
  recompute_derived(changed, in, old_value, value);
  check_consistent(changed, in, value);
  p = std::move(changed);
}

double input_value(const CellParameters& p, const std::string& name) {
  const ModelInput& in = find_model_input(name);
  if (!in.get)
    throw std::invalid_argument(fmt::format("\"{}\" is held by the model, not its parameters: see BatteryModel::temperature()", name));
  if (!in.applies(p)) throw InputError(InputLocation{"", 0, name}, "", does_not_apply(in, p));
  return in.get(p);
}

void BatteryModel::set_input(const std::string& name, double value) {
  const ModelInput* in = nullptr;
  for (const auto& candidate : model_inputs())
    if (candidate.name == name) in = &candidate;
  if (!in)
    throw std::invalid_argument(fmt::format("unknown input \"{}\"; the inputs of this {} model of \"{}\" are {}", name, this->name(),
                                            parameters().name, quoted_list(input_names())));
  check_applies(*in, parameters(), value);
  if (!(in->used_by & kind_of(*this))) refuse(name, value, fmt::format("the {} model does not use it", this->name()));
  if (!in->set) {  // the ambient temperature
    check_range(*in, value);
    set_temperature(value);
    return;
  }
  CellParameters changed = parameters();
  apply_input(changed, name, value);
  mutable_parameters() = std::move(changed);
  refresh();
}

std::vector<std::string> BatteryModel::input_names() const { return model_input_names(parameters(), kind_of(*this)); }

}  // namespace solidcell::electrochem
