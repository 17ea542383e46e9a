#include "solidcell/abuse/reaction_network.hpp"

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;

constexpr double celsius_to_K = 273.15;

Reactant reactant_of(const io::TomlTable& t) {
  const std::string r = t.choice("reactant", {"negative_active", "positive_active", "electrolyte", "solid_electrolyte", "lithium_metal"});
  if (r == "negative_active") return Reactant::negative_active;
  if (r == "positive_active") return Reactant::positive_active;
  if (r == "electrolyte") return Reactant::electrolyte;
  if (r == "solid_electrolyte") return Reactant::solid_electrolyte;
  return Reactant::lithium_metal;
}

Reaction read_reaction(const io::TomlTable& t) {
  Reaction r;
  r.name = t.string("name");
  const std::string law = t.choice("rate_law", {"nth_order", "sei_limited", "autocatalytic", "melting"});
  r.law = law == "nth_order" ? RateLaw::nth_order : law == "sei_limited" ? RateLaw::sei_limited : law == "autocatalytic" ? RateLaw::autocatalytic : RateLaw::melting;
  r.heat_J_per_kg = 1000.0 * t.number("heat_J_per_g", Range{-1e5, 1e5});
  r.reactant = reactant_of(t);
  r.reactant_mass_fraction = t.optional_number("reactant_mass_fraction", Range::unit_interval()).value_or(1.0);
  if (const toml::node* scales = t.node("scales_with_soc")) {
    if (!scales->is_boolean()) t.fail("scales_with_soc", "", "true or false");
    r.scales_with_soc = scales->as_boolean()->get();
    t.accept("scales_with_soc");
  }
  r.gas_mol_per_kg = 1000.0 * t.optional_number("gas_mol_per_g", Range::non_negative(1.0)).value_or(0.0);
  if (auto onset = t.optional_number("onset_temperature_C", Range{-50.0, 2000.0})) r.onset_K = *onset + celsius_to_K;
  r.source = t.string("source");
  r.uncertainty = t.optional_string("uncertainty").value_or("");
  if (r.law == RateLaw::melting) {
    r.melting_K = t.number("melting_temperature_C", Range{-50.0, 2000.0}) + celsius_to_K;
    r.initial_value = t.optional_number("initial_value", Range::unit_interval()).value_or(0.0);
    for (const char* unused : {"frequency_factor_per_s", "activation_energy_J_per_mol", "order"}) t.accept(unused);
    return r;
  }
  r.frequency_factor_per_s = t.number("frequency_factor_per_s", Range::positive(1e60));
  r.activation_energy_J_per_mol = t.number("activation_energy_J_per_mol", Range::non_negative(1e6));
  r.initial_value = t.number("initial_value", Range::unit_interval());
  if (r.law == RateLaw::autocatalytic) {
    r.order = t.optional_number("order_1", Range::non_negative(10.0)).value_or(1.0);
    r.order_2 = t.optional_number("order_2", Range::non_negative(10.0)).value_or(1.0);
    if (r.initial_value <= 0.0 && r.order > 0.0)
      t.fail("initial_value", "0", "an autocatalytic reaction needs a start, 0 < initial_value < 1 (rate ~ a^m1 would stay zero)");
  } else {
    r.order = t.optional_number("order", Range::non_negative(10.0)).value_or(1.0);
  }
  if (r.law == RateLaw::sei_limited) {
    r.sei_thickness_initial = t.number("sei_thickness_initial", Range::non_negative(100.0));
    r.sei_thickness_reference = t.number("sei_thickness_reference", Range::positive(100.0));
  }
  return r;
}

}  // namespace

const char* reactant_name(Reactant r) {
  switch (r) {
    case Reactant::negative_active: return "negative_active";
    case Reactant::positive_active: return "positive_active";
    case Reactant::electrolyte: return "electrolyte";
    case Reactant::solid_electrolyte: return "solid_electrolyte";
    case Reactant::lithium_metal: return "lithium_metal";
  }
  return "";
}

std::string default_network_name(const std::string& chemistry) { return chemistry == "solid-state" ? "sulfide-assb" : "liquid-ncm-graphite"; }

ReactionNetwork load_reaction_network(const std::string& name_or_path) {
  const std::string file = builtin_or_given_file(name_or_path, "abuse", "reaction network").string();
  const auto doc = io::load_toml_file(file);
  io::TomlTable root(doc, file, "");
  ReactionNetwork n;
  n.file = file;
  {
    auto t = root.table("network");
    n.name = t.string("name");
    n.description = t.optional_string("description").value_or("");
    n.chemistry = t.choice("chemistry", {"liquid", "solid-state"});
    n.source = t.string("source");
    t.reject_unknown_keys();
  }
  if (auto t = root.optional_table("internal_short")) {
    InternalShort s;
    s.onset_K = t->number("onset_temperature_C", Range{0.0, 2000.0}) + celsius_to_K;
    s.resistance_ohm = t->number("resistance_ohm", Range::positive(1e6));
    s.source = t->string("source");
    t->accept("uncertainty");
    t->reject_unknown_keys();
    n.internal_short = s;
  }
  if (auto t = root.optional_table("separator_shutdown")) {
    SeparatorShutdown s;
    s.onset_K = t->number("temperature_C", Range{0.0, 1000.0}) + celsius_to_K;
    s.resistance_factor = t->number("resistance_factor", Range{1.0, 1e9});
    s.source = t->string("source");
    t->accept("uncertainty");
    t->reject_unknown_keys();
    if (n.internal_short && s.onset_K >= n.internal_short->onset_K)
      t->fail("temperature_C", fmt::format("{:g}", s.onset_K - celsius_to_K), "below internal_short.onset_temperature_C (shutdown comes before meltdown)");
    n.separator_shutdown = s;
  }
  if (auto t = root.optional_table("hazard")) {
    const toml::node* flammable = t->node("flammable_electrolyte");
    if (!flammable || !flammable->is_boolean()) t->fail("flammable_electrolyte", "", "true or false");
    n.hazard.flammable_electrolyte = flammable->as_boolean()->get();
    t->accept("flammable_electrolyte");
    n.hazard.vent_gas_mol = t->optional_number("vent_gas_mol_threshold", Range::non_negative(1e4)).value_or(0.0);
    n.hazard.source = t->string("source");
    t->accept("uncertainty");
    t->reject_unknown_keys();
  }
  if (auto t = root.optional_table("overcharge")) {
    PositiveSideReaction x;
    x.name = t->string("side_reaction");
    x.reference_potential_V = t->number("reference_potential_V", Range{0.0, 10.0});
    x.reference_current_A_per_m2 = t->number("reference_current_density_A_per_m2", Range::positive(1e6));
    x.tafel_slope_V_per_decade = t->number("tafel_slope_V_per_decade", Range::positive(10.0));
    x.activation_energy_J_per_mol = t->number("activation_energy_J_per_mol", Range::non_negative(1e6));
    x.reference_temperature_K = t->number("reference_temperature_C", Range{-50.0, 500.0}) + celsius_to_K;
    x.equilibrium_potential_V = t->number("equilibrium_potential_V", Range{0.0, 10.0});
    x.gas_mol_per_mol_electrons = t->number("gas_mol_per_mol_electrons", Range::non_negative(10.0));
    x.lithium_per_electron = t->number("lithium_per_electron", Range::unit_interval());
    x.source = t->string("source");
    t->accept("uncertainty");
    t->reject_unknown_keys();
    n.overcharge = x;
  }
  const toml::node* reactions = root.node("reaction");
  if (!reactions || !reactions->is_array_of_tables() || reactions->as_array()->empty())
    root.fail("reaction", "", "at least one [[reaction]] table");
  std::vector<std::string> gates;
  int index = 0;
  for (const auto& node : *reactions->as_array()) {
    io::TomlTable t(*node.as_table(), file, "reaction[" + std::to_string(index) + "]");
    n.reactions.push_back(read_reaction(t));
    gates.push_back(t.optional_string("enabled_after").value_or(""));
    t.reject_unknown_keys();
    ++index;
  }
  for (std::size_t k = 0; k < n.reactions.size(); ++k) {
    if (gates[k].empty()) continue;
    for (std::size_t j = 0; j < n.reactions.size(); ++j)
      if (j != k && n.reactions[j].name == gates[k]) n.reactions[k].enabled_after = static_cast<int>(j);
    if (n.reactions[k].enabled_after < 0)
      throw InputError(InputLocation{file, 0, "reaction[" + std::to_string(k) + "].enabled_after"}, gates[k], "the name of another reaction of this network");
  }
  root.accept("reaction");
  root.reject_unknown_keys();
  return n;
}

}  // namespace solidcell::abuse
