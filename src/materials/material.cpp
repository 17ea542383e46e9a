#include "solidcell/materials/material.hpp"

#include <array>
#include <utility>

#include "solidcell/base/constants.hpp"

namespace solidcell::materials {
namespace {

constexpr std::array<std::pair<Role, const char*>, 11> role_names{{
    {Role::positive_active, "positive_active"},
    {Role::negative_active, "negative_active"},
    {Role::lithium_metal, "lithium_metal"},
    {Role::solid_electrolyte, "solid_electrolyte"},
    {Role::liquid_electrolyte, "liquid_electrolyte"},
    {Role::conductive_additive, "conductive_additive"},
    {Role::binder, "binder"},
    {Role::separator_film, "separator_film"},
    {Role::current_collector, "current_collector"},
    {Role::packaging, "packaging"},
    {Role::test_fixture, "test_fixture"},
}};

}  // namespace

const char* to_string(Role role) {
  for (const auto& [r, name] : role_names)
    if (r == role) return name;
  return "unknown";
}

std::optional<Role> role_from_string(const std::string& text) {
  for (const auto& [r, name] : role_names)
    if (text == name) return r;
  return std::nullopt;
}

double Material::usable_specific_capacity_mAh_per_g() const {
  if (!capacity || !density_kg_per_m3) return 0.0;
  double window = capacity->stoichiometry_max - capacity->stoichiometry_min;
  double charge_per_kg = capacity->maximum_concentration_mol_per_m3 * constants::faraday_C_per_mol / *density_kg_per_m3;
  return charge_per_kg * window / 3.6 / 1000.0;  // C/kg -> mAh/g
}

}  // namespace solidcell::materials
