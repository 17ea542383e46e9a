// solidcell drive --cell CELL --pack PACK --vehicle V --cycle FILE|nedc [--json] [-o DIR] [--compare CELL2 --match volume|mass]:
// a pack of cells in a vehicle along a speed trace: pack figures, consumption, range and the cell's limits;
// with --compare, a pack of another cell sized to the same volume or mass beside it.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/io/csv_writer.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/report/svg_chart.hpp"
#include "solidcell/report/text_table.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/drive_summary.hpp"

namespace solidcell::cli {

namespace {

struct DriveArguments {
  std::string cell, pack = "model3-class-ncm811", vehicle = "midsize-bev", cycle;
  std::string output;
  bool json = false;
  std::string compare;
  std::string match = "volume";
  std::string model = "auto";
  int mesh = 10;
  double temperature_C = 25.0;
  double rtol = 1e-5;
  std::string solver = "ida";
  bool isothermal = false;
  std::string range = "mean-power";
};

std::string svg_height(const std::string& svg) {
  const auto at = svg.find("height=\"");
  return at == std::string::npos ? "300" : svg.substr(at + 8, svg.find('"', at + 8) - at - 8);
}

// Speed, cell current and SOC stacked in one SVG file.
std::string drive_svg(const std::vector<const vehicle::DriveReport*>& reports, const std::string& cycle) {
  std::vector<report::LineSeries> speed, current, soc;
  const auto& first = *reports.front();
  std::vector<double> kmh;
  for (double v : first.series.speed_mps) kmh.push_back(v * 3.6);
  speed.push_back({cycle, first.series.time_s, kmh});
  for (const auto* r : reports) {
    current.push_back({r->cell_name, r->series.time_s, r->series.cell_current_A});
    soc.push_back({r->cell_name, r->series.time_s, r->series.soc});
  }
  const std::vector<std::string> charts{report::svg_line_chart("Vehicle speed", "time [s]", "speed [km/h]", speed),
                                        report::svg_line_chart("Cell current (positive on discharge)", "time [s]", "current [A]", current),
                                        report::svg_line_chart("State of charge", "time [s]", "SOC [-]", soc)};
  std::string body;
  int y = 0;
  for (const auto& c : charts) {
    body += fmt::format("<g transform=\"translate(0,{})\">\n{}</g>\n", y, c);
    y += std::stoi(svg_height(c));
  }
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"{0}\" viewBox=\"0 0 900 {0}\">\n{1}</svg>\n", y, body);
}

void write_outputs(const std::filesystem::path& dir, const std::vector<const vehicle::DriveReport*>& reports, const std::string& cycle,
                   const nlohmann::json& summary) {
  for (const auto* r : reports) {
    const std::string suffix = reports.size() > 1 ? "-" + r->cell_name : "";
    const auto& s = r->series;
    std::vector<double> kmh, wheel_kW, battery_kW, temp_C;
    for (size_t k = 0; k < s.time_s.size(); ++k) {
      kmh.push_back(s.speed_mps[k] * 3.6);
      wheel_kW.push_back(s.wheel_power_W[k] / 1e3);
      battery_kW.push_back(s.battery_power_W[k] / 1e3);
      temp_C.push_back(s.temperature_K[k] - 273.15);
    }
    io::write_text_file_atomically(dir / ("timeseries" + suffix + ".csv"),
                                   io::to_csv({{"Time [s]", s.time_s},
                                               {"Speed [km/h]", kmh},
                                               {"Wheel power [kW]", wheel_kW},
                                               {"Battery power [kW]", battery_kW},
                                               {"Current [A]", s.cell_current_A},
                                               {"Voltage [V]", s.cell_voltage_V},
                                               {"SOC", s.soc},
                                               {"Cell temperature [C]", temp_C}}));
    if (!r->range_passes.empty()) {
      std::vector<double> pass, end, km, soc, vmin, tmax;
      for (const auto& p : r->range_passes) {
        pass.push_back(p.pass);
        end.push_back(p.end_s);
        km.push_back(p.distance_km);
        soc.push_back(p.soc_end);
        vmin.push_back(p.min_voltage_V);
        tmax.push_back(p.max_temperature_K - 273.15);
      }
      io::write_text_file_atomically(dir / ("range" + suffix + ".csv"), io::to_csv({{"Cycle", pass},
                                                                                   {"End time [s]", end},
                                                                                   {"Distance [km]", km},
                                                                                   {"SOC at end", soc},
                                                                                   {"Minimum voltage [V]", vmin},
                                                                                   {"Maximum cell temperature [C]", tmax}}));
    }
  }
  io::write_text_file_atomically(dir / "drive.svg", drive_svg(reports, cycle));
  io::write_text_file_atomically(dir / "summary.json", summary.dump(2) + "\n");
}

std::string f1(double v) { return fmt::format("{:.1f}", v); }
std::string f2(double v) { return fmt::format("{:.2f}", v); }
std::string f3(double v) { return fmt::format("{:.3f}", v); }

}  // namespace

Runner add_drive_command(CLI::App& app) {
  auto* sub = app.add_subcommand("drive", "Drive a pack of cells in a vehicle along a speed trace: consumption, range, cell limits");
  auto a = std::make_shared<DriveArguments>();
  sub->add_option("--cell", a->cell, "built-in cell name or cell file (default: the pack's own cell)");
  sub->add_option("--pack", a->pack, "built-in pack name (data/packs) or pack file")->capture_default_str();
  sub->add_option("--vehicle", a->vehicle, "built-in vehicle name (data/vehicles) or vehicle file")->capture_default_str();
  sub->add_option("--cycle", a->cycle, "speed-trace CSV file (FASTSim cycSecs,cycMps or time_s,speed_kmh|speed_mps) or nedc")->required();
  sub->add_flag("--json", a->json, "print the results as JSON");
  sub->add_option("-o,--output", a->output, "folder for timeseries.csv, range.csv, drive.svg and summary.json");
  sub->add_option("--compare", a->compare, "a second cell, in a pack sized to the same --match as the first");
  sub->add_option("--match", a->match, "volume or mass: what the --compare pack keeps from the first")
      ->check(CLI::IsMember({"volume", "mass"}))
      ->capture_default_str();
  sub->add_option("--model", a->model, "spm, spme or dfn; auto: spme for liquid cells, dfn for solid-state ones")
      ->check(CLI::IsMember({"auto", "spm", "spme", "dfn"}))
      ->capture_default_str();
  sub->add_option("--mesh", a->mesh, "finite volumes per region and per particle")->check(CLI::Range(2, 200))->capture_default_str();
  sub->add_option("--temperature-C", a->temperature_C, "ambient temperature in degrees C")->check(CLI::Range(-40.0, 60.0))->capture_default_str();
  sub->add_option("--rtol", a->rtol, "relative tolerance of the solver")->check(CLI::Range(1e-10, 1e-2))->capture_default_str();
  sub->add_option("--solver", a->solver, "ida or bdf")->check(CLI::IsMember({"ida", "bdf"}))->capture_default_str();
  sub->add_flag("--isothermal", a->isothermal, "hold the cells at the ambient temperature");
  sub->add_option("--range", a->range,
                  "how the range is found: mean-power (one discharge at the cycle's mean power gives the usable energy), simulated (the "
                  "cycle back to back down to the SOC floor; slow) or nominal (nominal usable energy, no run)")
      ->check(CLI::IsMember({"mean-power", "simulated", "nominal"}))
      ->capture_default_str();
  return [a]() {
    const auto trace = vehicle::speed_trace_by_name_or_file(a->cycle);
    const auto car = vehicle::load_vehicle(a->vehicle);
    const auto pack = vehicle::load_pack(a->pack);
    const auto first = load_cell_argument(a->cell.empty() ? pack.cell : a->cell);

    vehicle::DriveOptions options;
    options.model = a->model;
    options.mesh = a->mesh;
    options.ambient_temperature_K = a->temperature_C + 273.15;
    options.relative_tolerance = a->rtol;
    options.integrator = a->solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
    options.isothermal = a->isothermal;
    options.range = vehicle::parse_range_method(a->range);

    std::vector<vehicle::DriveReport> reports;
    reports.push_back(vehicle::drive(first.cell, first.figures, first.origin, pack, car, trace, options));
    if (!a->compare.empty()) {
      const auto second = load_cell_argument(a->compare);
      const auto matched = vehicle::size_pack_to_match(pack, reports.front().pack_figures, a->compare, second.cell, second.figures,
                                                       vehicle::parse_pack_match(a->match));
      reports.push_back(vehicle::drive(second.cell, second.figures, second.origin, matched, car, trace, options));
    }

    nlohmann::json summary;
    summary["solidcell"] = {{"version", build_info::version}, {"git", build_info::git_sha}, {"date", utc_timestamp()}};
    summary["cycle"] = {{"name", trace.name},
                        {"source", trace.source},
                        {"duration_s", trace.duration_s()},
                        {"distance_km", trace.distance_m() / 1000.0},
                        {"max_speed_kmh", trace.max_speed_mps() * 3.6},
                        {"mean_speed_kmh", trace.mean_speed_mps() * 3.6}};
    summary["vehicle"] = {{"name", car.name}, {"file", car.file}, {"charger_efficiency", car.charger_efficiency}};
    if (!a->compare.empty()) summary["match"] = a->match;
    summary["results"] = nlohmann::json::array();
    for (const auto& r : reports) summary["results"].push_back(vehicle::drive_summary_json(r));

    std::vector<const vehicle::DriveReport*> pointers;
    for (const auto& r : reports) pointers.push_back(&r);
    if (!a->output.empty()) write_outputs(a->output, pointers, trace.name, summary);

    if (a->json) {
      fmt::print("{}\n", summary.dump(2));
    } else {
      fmt::print("{} on {} ({:.0f} s, {:.2f} km, max {:.1f} km/h), ambient {:.1f} C\n", car.name, trace.name, trace.duration_s(),
                 trace.distance_m() / 1000.0, trace.max_speed_mps() * 3.6, a->temperature_C);
      std::vector<std::string> header{"quantity"};
      for (const auto& r : reports) header.push_back(r.cell_name);
      report::TextTable table(header);
      auto row = [&](const std::string& name, auto value) {
        std::vector<std::string> cells{name};
        for (const auto& r : reports) cells.push_back(value(r));
        table.add_row(cells);
      };
      using R = vehicle::DriveReport;
      row("cell model", [](const R& r) { return r.model; });
      row("pack", [](const R& r) { return r.pack.name; });
      row("cells (series x parallel)", [](const R& r) { return fmt::format("{}s{}p = {}", r.pack.series, r.pack.parallel, r.pack_figures.cells); });
      row("capacity [Ah]", [](const R& r) { return f1(r.pack_figures.capacity_Ah); });
      row("energy [kWh]", [](const R& r) { return f2(r.pack_figures.energy_Wh / 1e3); });
      row("usable energy, nominal [kWh]", [](const R& r) { return f2(r.pack_figures.usable_energy_Wh / 1e3); });
      row("pack mass [kg]", [](const R& r) { return f1(r.pack_figures.mass_kg); });
      row("pack volume [L]", [](const R& r) { return f1(r.pack_figures.volume_m3 * 1e3); });
      row("pack Wh/kg", [](const R& r) { return f1(r.pack_figures.specific_energy_Wh_per_kg); });
      row("pack Wh/L", [](const R& r) { return f1(r.pack_figures.energy_density_Wh_per_L); });
      row("pack voltage window [V]", [](const R& r) { return fmt::format("{:.0f}-{:.0f}", r.pack_figures.voltage_min_V, r.pack_figures.voltage_max_V); });
      row("vehicle mass [kg]", [](const R& r) { return f1(r.vehicle_mass_kg); });
      table.add_rule();
      row("traction at wheel [kWh]", [](const R& r) { return f3(r.balance.traction_J / 3.6e6); });
      row("drivetrain losses [kWh]", [](const R& r) { return f3(r.balance.drivetrain_loss_J / 3.6e6); });
      row("auxiliary [kWh]", [](const R& r) { return f3(r.balance.auxiliary_J / 3.6e6); });
      row("regenerated [kWh]", [](const R& r) { return f3(r.balance.regen_J / 3.6e6); });
      row("braking: regen loss, friction [kWh]",
          [](const R& r) { return fmt::format("{:.3f}, {:.3f}", r.balance.regen_loss_J / 3.6e6, r.balance.friction_brake_J / 3.6e6); });
      row("battery, vehicle model [kWh]", [](const R& r) { return f3(r.balance.battery_J / 3.6e6); });
      row("battery, cells simulated [kWh]", [](const R& r) { return f3(r.battery_energy_kWh); });
      row("consumption [kWh/100 km]", [](const R& r) { return f2(r.consumption_kWh_per_100km); });
      row("from the wall [kWh/100 km]", [](const R& r) { return f2(r.wall_consumption_kWh_per_100km); });
      row("range [km]", [](const R& r) { return f1(r.range_km); });
      row("range method", [](const R& r) { return r.range_method.substr(0, r.range_method.find(':')); });
      row("range ended by", [](const R& r) { return r.range_end.empty() ? std::string("-") : r.range_end; });
      row("cell min voltage [V]", [](const R& r) { return f3(r.range_simulated ? r.range_cell_min_voltage_V : r.cell_min_voltage_V); });
      row("cell max current, discharge [A]", [](const R& r) { return f2(r.cell_max_discharge_current_A); });
      row("cell max current, charge [A]", [](const R& r) { return f2(r.cell_max_charge_current_A); });
      row("cell max temperature [C]", [](const R& r) { return f2((r.range_simulated ? r.range_cell_max_temperature_K : r.cell_max_temperature_K) - 273.15); });
      fmt::print("{}", table.render());
      for (const auto& r : reports) fmt::print("range of {}: {}\n", r.cell_name, r.range_method);
      if (reports.front().balance.intervals_above_max_power > 0)
        fmt::print("note: the trace asks for more than the vehicle's maximum power in {} s\n", reports.front().balance.intervals_above_max_power);
      if (!a->output.empty()) fmt::print("wrote {}\n", a->output);
    }
    int code = 0;
    for (const auto& r : reports) {
      if (!r.stopped_early.empty()) fmt::print(stderr, "note: {}: the cycle stopped early: {}\n", r.cell_name, r.stopped_early);
      if (!r.failure.empty()) {
        fmt::print(stderr, "error: {}: {}\n", r.cell_name, r.failure);
        code = 3;
      }
    }
    return code;
  };
}

}  // namespace solidcell::cli
