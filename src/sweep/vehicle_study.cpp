// The vehicle study: a pack of cells in a vehicle along a speed trace (vehicle/drive.hpp), as `solidcell drive`
// runs it: consumption, range, the pack's figures and the cells' limits.
// [study] pack, vehicle, cycle (nedc or a CSV file), optionally cell (default: the pack's own) and the drive
// command's settings. Parameters: "ambient_temperature_K"; "vehicle:KEY" and "pack:KEY", numeric keys of the
// vehicle and pack files by dotted path ("vehicle:road_load.drag_coefficient", "pack:pack.parallel",
// "pack:cell_to_pack.gravimetric_efficiency"), read again by those files' own readers; or a cell-file key.
#include <filesystem>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "study_parameters.hpp"
#include "toml_paths.hpp"

namespace solidcell::sweep {

namespace {

namespace fs = std::filesystem;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

enum class Role { ambient_temperature_K, vehicle_key, pack_key, cell_key };

constexpr const char* vehicle_prefix = "vehicle:";
constexpr const char* pack_prefix = "pack:";

// A pack or vehicle file held as TOML so that a case can set its numbers and read it again.
struct FileTemplate {
  std::string file;
  toml::table doc;

  std::string with(const std::vector<std::string>& paths, const std::vector<double>& values) const {
    toml::table d = doc;
    for (std::size_t i = 0; i < paths.size(); ++i) set_toml_number(d, paths[i], values[i], file);
    std::ostringstream text;
    text << d;
    return text.str();
  }
  std::string allowed(const std::string& what) const {
    std::string list;
    for (const auto& p : toml_number_paths(doc)) list += (list.empty() ? "" : ", ") + p;
    return fmt::format("{}: a numeric key of {} ({})", what, file, list);
  }
};

// A file named in [study]: beside the spec, in the working folder, or built in (data/<folder>/<name>.toml).
FileTemplate load_template(const std::string& name_or_path, const std::string& spec_file, const std::string& folder, const std::string& what) {
  auto path = file_beside_spec(name_or_path, spec_file);
  if (!path) path = builtin_or_given_file(name_or_path, folder, what).string();  // throws when there is none
  return FileTemplate{*path, io::load_toml_file(*path)};
}

struct Setup {
  std::shared_ptr<const CellTemplate> cell;
  FileTemplate pack, vehicle;
  vehicle::SpeedTrace trace;
  vehicle::DriveOptions options;
  std::vector<Role> roles;
  std::vector<std::string> keys;  // the key path within its file, per parameter (empty for settings)
};

const std::vector<std::string>& vehicle_scalars() {
  static const std::vector<std::string> names{
      "Consumption [kW.h/100km]",      "Wall consumption [kW.h/100km]", "Range [km]",
      "Pack energy [kW.h]",            "Pack usable energy [kW.h]",     "Pack mass [kg]",
      "Pack volume [m3]",              "Pack specific energy [W.h.kg-1]", "Pack energy density [W.h.L-1]",
      "Pack nominal voltage [V]",      "Cells in pack",                 "Vehicle mass [kg]",
      "Cell minimum voltage [V]",      "Cell maximum temperature [K]",  "Cell maximum discharge current [A]",
      "Cell maximum charge current [A]", "Cell charge throughput [A.h]",
  };
  return names;
}

class VehicleWorker : public StudyWorker {
 public:
  VehicleWorker(std::shared_ptr<const Setup> s, bool time_series) : s_(std::move(s)), time_series_(time_series) {}

  CaseOutcome run(std::span<const double> values) override {
    const auto& s = *s_;
    auto options = s.options;
    std::vector<std::string> cell_keys, pack_keys, vehicle_keys;
    std::vector<double> cell_values, pack_values, vehicle_values;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = values[i];
      switch (s.roles[i]) {
        case Role::ambient_temperature_K: {
          const io::Range range{233.15, 333.15};
          if (!range.contains(v)) throw InputError(InputLocation{"", 0, "ambient_temperature_K"}, io::format_number(v), range.describe());
          options.ambient_temperature_K = v;
          break;
        }
        case Role::vehicle_key: vehicle_keys.push_back(s.keys[i]), vehicle_values.push_back(v); break;
        case Role::pack_key: pack_keys.push_back(s.keys[i]), pack_values.push_back(v); break;
        case Role::cell_key: cell_keys.push_back(s.keys[i]), cell_values.push_back(v); break;
      }
    }
    const auto car = vehicle::read_vehicle_toml(s.vehicle.with(vehicle_keys, vehicle_values), s.vehicle.file);
    const auto pack = vehicle::read_pack_toml(s.pack.with(pack_keys, pack_values), s.pack.file);
    const auto cell = s.cell->with(cell_keys, cell_values);
    const auto figures = cell::compute_design(cell, s.cell->file());
    const auto r = vehicle::drive(cell, figures, s.cell->file(), pack, car, s.trace, options);

    CaseOutcome out;
    if (!r.failure.empty()) out.failure = "solver failure: " + r.failure;
    if (out.failure.empty()) {
      const auto& p = r.pack_figures;
      out.scalars = {r.consumption_kWh_per_100km,
                     r.wall_consumption_kWh_per_100km,
                     r.range_km > 0.0 ? r.range_km : nan,
                     p.energy_Wh / 1e3,
                     p.usable_energy_Wh / 1e3,
                     p.mass_kg,
                     p.volume_m3,
                     p.specific_energy_Wh_per_kg,
                     p.energy_density_Wh_per_L,
                     p.nominal_voltage_V,
                     static_cast<double>(p.cells),
                     r.vehicle_mass_kg,
                     r.cell_min_voltage_V,
                     r.cell_max_temperature_K,
                     r.cell_max_discharge_current_A,
                     r.cell_max_charge_current_A,
                     r.cell_charge_throughput_Ah};
    }
    if (time_series_) {
      const auto& t = r.series;
      out.arrays = {{"Time [s]", "s", t.time_s},
                    {"Speed [m.s-1]", "m.s-1", t.speed_mps},
                    {"Wheel power [W]", "W", t.wheel_power_W},
                    {"Battery power [W]", "W", t.battery_power_W},
                    {"Current [A]", "A", t.cell_current_A},
                    {"Voltage [V]", "V", t.cell_voltage_V},
                    {"SOC", "", t.soc},
                    {"Temperature [K]", "K", t.temperature_K}};
    }
    return out;
  }

 private:
  std::shared_ptr<const Setup> s_;
  bool time_series_;
};

class VehicleStudy : public Study {
 public:
  explicit VehicleStudy(const SweepSpec& spec) {
    auto s = std::make_shared<Setup>();
    auto t = spec.study_table();
    s->pack = load_template(t.string("pack"), spec.file, "packs", "pack");
    s->vehicle = load_template(t.string("vehicle"), spec.file, "vehicles", "vehicle");
    // Both files are read now, so that their errors come before any case runs.
    const auto pack = [&] {
      std::ostringstream text;
      text << s->pack.doc;
      return vehicle::read_pack_toml(text.str(), s->pack.file);
    }();
    {
      std::ostringstream text;
      text << s->vehicle.doc;
      vehicle::read_vehicle_toml(text.str(), s->vehicle.file);
    }
    s->cell = std::make_shared<const CellTemplate>(resolve_cell_path(t.optional_string("cell").value_or(pack.cell), spec.file));
    const auto cycle = t.string("cycle");
    s->trace = vehicle::speed_trace_by_name_or_file(file_beside_spec(cycle, spec.file).value_or(cycle));
    if (t.has("model")) s->options.model = t.choice("model", {"auto", "spm", "spme", "dfn"});
    if (t.has("mesh")) s->options.mesh = static_cast<int>(t.integer("mesh", 2, 200));
    s->options.ambient_temperature_K = t.optional_number("ambient_temperature_K", io::Range{233.15, 333.15}).value_or(298.15);
    s->options.relative_tolerance = t.optional_number("relative_tolerance", io::Range{1e-10, 1e-2}).value_or(s->options.relative_tolerance);
    if (t.has("integrator"))
      s->options.integrator = t.choice("integrator", {"ida", "bdf"}) == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    if (t.has("isothermal")) {
      auto b = t.node("isothermal")->value_exact<bool>();
      if (!b) t.fail("isothermal", "", "true or false");
      s->options.isothermal = *b;
    }
    if (t.has("range")) s->options.range = vehicle::parse_range_method(t.choice("range", {"mean-power", "simulated", "nominal"}));
    t.accept("source");
    t.reject_unknown_keys();

    for (const auto& p : spec.parameters) {
      const InputLocation where{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())};
      auto starts = [&](const char* prefix) { return p.name.rfind(prefix, 0) == 0; };
      if (p.name == "ambient_temperature_K") {
        s->roles.push_back(Role::ambient_temperature_K);
        s->keys.emplace_back();
      } else if (starts(vehicle_prefix) || starts(pack_prefix)) {
        const bool is_vehicle = starts(vehicle_prefix);
        const auto& file = is_vehicle ? s->vehicle : s->pack;
        const auto key = p.name.substr(std::string(is_vehicle ? vehicle_prefix : pack_prefix).size());
        if (!has_toml_number(file.doc, key))
          throw InputError(where, "\"" + p.name + "\"", file.allowed(fmt::format("\"{}KEY\" names", is_vehicle ? vehicle_prefix : pack_prefix)));
        s->roles.push_back(is_vehicle ? Role::vehicle_key : Role::pack_key);
        s->keys.push_back(key);
      } else if (s->cell->has_number(p.name)) {
        s->roles.push_back(Role::cell_key);
        s->keys.push_back(p.name);
      } else {
        throw InputError(where, "\"" + p.name + "\"",
                         fmt::format("\"ambient_temperature_K\", \"vehicle:KEY\" or \"pack:KEY\" (a numeric key of the vehicle or pack file, "
                                     "e.g. vehicle:road_load.drag_coefficient, pack:pack.parallel), or {}",
                                     cell_path_allowed(*s->cell, "a cell-file key", p.name)));
      }
    }
    setup_ = std::move(s);
  }

  std::vector<std::string> scalar_names() const override { return vehicle_scalars(); }
  std::unique_ptr<StudyWorker> make_worker(bool time_series) const override { return std::make_unique<VehicleWorker>(setup_, time_series); }

 private:
  std::shared_ptr<const Setup> setup_;
};

}  // namespace

std::unique_ptr<Study> make_vehicle_study(const SweepSpec& spec) { return std::make_unique<VehicleStudy>(spec); }

}  // namespace solidcell::sweep
