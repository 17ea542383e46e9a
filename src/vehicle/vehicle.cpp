#include "solidcell/vehicle/vehicle.hpp"

#include "solidcell/base/data_paths.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::vehicle {

namespace {

using io::Range;
using io::TomlTable;

Vehicle read(const toml::table& doc, const std::string& file) {
  TomlTable root(doc, file, "");
  Vehicle v;
  v.file = file;

  const auto head = root.table("vehicle");
  v.name = head.string("name");
  v.description = head.optional_string("description").value_or("");
  head.string("source");
  head.reject_unknown_keys();

  const auto mass = root.table("mass");
  v.mass_without_pack_kg = mass.number("mass_without_pack_kg", Range::positive(1e5));
  v.cargo_mass_kg = mass.optional_number("cargo_mass_kg", Range::non_negative(1e5)).value_or(0.0);
  v.rotational_inertia_factor = mass.number("rotational_inertia_factor", Range::non_negative(1.0));
  mass.string("source");
  mass.reject_unknown_keys();

  const auto road = root.table("road_load");
  v.drag_coefficient = road.number("drag_coefficient", Range::positive(2.0));
  v.frontal_area_m2 = road.number("frontal_area_m2", Range::positive(20.0));
  v.rolling_resistance_coefficient = road.number("rolling_resistance_coefficient", Range::non_negative(0.05));
  v.air_density_kg_per_m3 = road.optional_number("air_density_kg_per_m3", Range::positive(2.0)).value_or(1.2);
  road.string("source");
  road.reject_unknown_keys();

  const auto drive = root.table("drivetrain");
  v.drivetrain_efficiency = drive.number("efficiency", Range{0.0, 1.0, true, false});
  v.regen_efficiency = drive.number("regen_efficiency", Range::unit_interval());
  v.regen_fraction_max = drive.number("regen_fraction_max", Range::unit_interval());
  v.regen_fade_a = drive.optional_number("regen_fade_a", Range::non_negative(1e6)).value_or(0.0);
  v.regen_fade_b_per_mph = drive.optional_number("regen_fade_b_per_mph", Range::positive(100.0)).value_or(1.0);
  v.max_power_W = drive.number("max_power_kW", Range::positive(5000.0)) * 1e3;
  v.regen_power_limit_W = drive.optional_number("regen_power_limit_kW", Range::non_negative(5000.0)).value_or(v.max_power_W / 1e3) * 1e3;
  v.auxiliary_power_W = drive.number("auxiliary_power_kW", Range::non_negative(100.0)) * 1e3;
  v.charger_efficiency = drive.number("charger_efficiency", Range{0.0, 1.0, true, false});
  drive.string("source");
  drive.reject_unknown_keys();

  root.reject_unknown_keys();
  return v;
}

}  // namespace

Vehicle read_vehicle_toml(const std::string& text, const std::string& source) { return read(io::parse_toml_text(text, source), source); }

Vehicle load_vehicle(const std::string& name_or_path) {
  const auto path = builtin_or_given_file(name_or_path, "vehicles", "vehicle").string();
  return read(io::load_toml_file(path), path);
}

}  // namespace solidcell::vehicle
