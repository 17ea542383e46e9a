// solidcell year CELL [--vehicle V] [--pack P] [--match volume|mass|none] --cycle FILE|nedc [--km-per-day 40]
// [--charge slow|fast] [--climate NAME|FILE] [--days 365] [--json] [-o DIR]: a year of daily driving, parking
// and charging on the pack's representative cell, with its degradation (docs/vehicle.md, "A year of use").
// Writes DIR/days.csv (one row per day), DIR/retention.svg and DIR/summary.json.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/io/csv_writer.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/report/svg_chart.hpp"
#include "solidcell/report/text_table.hpp"
#include "solidcell/vehicle/year_of_use.hpp"
#include "solidcell/vehicle/year_summary.hpp"

namespace solidcell::cli {

namespace {

struct YearArguments {
  std::string cell, pack = "model3-class-ncm811", vehicle = "midsize-bev", cycle = "nedc";
  std::string match = "volume";
  double km_per_day = 40.0;
  std::string charge = "slow";
  std::string climate = "reference";
  int days = 365;
  bool full = false;
  double tolerance = 5e-4;
  int mesh = 8;
  double rtol = 1e-4;
  std::string solver = "bdf";
  bool isothermal = false;
  bool json = false;
  double bms_ccd_margin = 0.8;
  std::string output;
};


}  // namespace

Runner add_year_command(CLI::App& app) {
  auto* sub = app.add_subcommand("year", "A year of daily driving, parking and charging: capacity fade, resistance, lithium lost, range at start and end");
  auto a = std::make_shared<YearArguments>();
  sub->add_option("CELL", a->cell, "built-in cell name or cell file")->required();
  sub->add_option("--vehicle", a->vehicle, "built-in vehicle name (data/vehicles) or vehicle file")->capture_default_str();
  sub->add_option("--pack", a->pack, "built-in pack name (data/packs) or pack file")->capture_default_str();
  sub->add_option("--match", a->match,
                  "volume or mass: CELL in a pack of the --pack's volume or mass (when CELL is not the pack's own cell); none: the pack's "
                  "series x parallel as it is")
      ->check(CLI::IsMember({"volume", "mass", "none"}))
      ->capture_default_str();
  sub->add_option("--cycle", a->cycle, "speed-trace CSV file (FASTSim cycSecs,cycMps or time_s,speed_kmh|speed_mps) or nedc")->capture_default_str();
  sub->add_option("--km-per-day", a->km_per_day, "daily distance, in two trips of half each")->capture_default_str();
  sub->add_option("--charge", a->charge, "slow (CC-CV at C/3) or fast (CC-CV at 1.5C), every night")->capture_default_str();
  sub->add_option("--climate", a->climate, "reference (25 C), berlin, phoenix, or a CSV file day,temperature_C")->capture_default_str();
  sub->add_option("--days", a->days, "days to simulate")->capture_default_str();
  sub->add_flag("--full", a->full, "solve every day in full (default: accelerated, representative days solved and the state extrapolated)");
  sub->add_option("--tolerance", a->tolerance, "accelerated mode: error allowed per jump, as a fraction of capacity retention")->capture_default_str();
  sub->add_option("--mesh", a->mesh, "finite volumes per region and per particle")->check(CLI::Range(2, 200))->capture_default_str();
  sub->add_option("--rtol", a->rtol, "relative tolerance of the solver")->check(CLI::Range(1e-10, 1e-2))->capture_default_str();
  sub->add_option("--solver", a->solver, "ida or bdf")->check(CLI::IsMember({"ida", "bdf"}))->capture_default_str();
  sub->add_flag("--isothermal", a->isothermal, "hold the cell at the ambient temperature (no lumped thermal model)");
  sub->add_option("--bms-ccd-margin", a->bms_ccd_margin,
                  "lithium-metal cells: hold the charge current (regen and charger) below this fraction of the critical current density "
                  "at the day's temperature; 0: no limit")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_flag("--json", a->json, "print the summary as JSON");
  sub->add_option("-o,--output", a->output, "folder for days.csv, retention.svg and summary.json");
  return [a]() {
    if (!(a->tolerance > 0.0 && a->tolerance <= 0.1))
      throw InputError(InputLocation{"", 0, "--tolerance"}, fmt::format("{:g}", a->tolerance), "allowed range (0, 0.1]");
    const auto trace = vehicle::speed_trace_by_name_or_file(a->cycle);
    const auto car = vehicle::load_vehicle(a->vehicle);
    const auto reference = vehicle::load_pack(a->pack);
    const auto loaded = load_cell_argument(a->cell);
    vehicle::Pack pack = reference;
    if (a->match != "none" && a->cell != reference.cell) {
      const auto own = load_cell_argument(reference.cell);
      pack = vehicle::size_pack_to_match(reference, vehicle::pack_figures(reference, own.cell, own.figures), a->cell, loaded.cell, loaded.figures,
                                         vehicle::parse_pack_match(a->match));
    }

    vehicle::YearOptions o;
    o.days = a->days;
    o.km_per_day = a->km_per_day;
    o.charge = vehicle::parse_charge_mode(a->charge);
    o.climate = vehicle::load_climate(a->climate);
    o.accelerate = !a->full;
    o.tolerance = a->tolerance;
    o.mesh = a->mesh;
    o.relative_tolerance = a->rtol;
    o.integrator = a->solver == "ida" ? numerics::IntegratorKind::ida : numerics::IntegratorKind::bdf;
    o.thermal = !a->isothermal;
    o.bms_ccd_margin = a->bms_ccd_margin;
    // Progress on stderr, only on a terminal.
    if (isatty(fileno(stderr))) o.progress = [](int done, int total) { fmt::print(stderr, "\rday {}/{}   ", done, total); };
    const auto r = vehicle::simulate_year(loaded.cell, loaded.figures, loaded.origin, pack, car, trace, o);
    if (o.progress) fmt::print(stderr, "\n");

    nlohmann::json summary;
    summary["solidcell"] = {{"version", build_info::version}, {"git", build_info::git_sha}, {"date", utc_timestamp()}};
    summary.update(vehicle::year_summary_json(r, car, trace, o.accelerate,
                                              a->match != "none" && a->cell != reference.cell ? a->match + " of " + reference.name : "as given"));

    if (!a->output.empty()) {
      const std::filesystem::path dir(a->output);
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) throw InputError(InputLocation{a->output, 0, "--output"}, "", "cannot create this folder: " + ec.message());
      std::vector<io::Column> cols{{"Day", {}},
                                   {"Solved in full", {}},
                                   {"Ambient temperature [C]", {}},
                                   {"Capacity [A.h]", {}},
                                   {"Capacity retention", {}},
                                   {"Resistance [Ohm]", {}},
                                   {"Resistance growth", {}},
                                   {"Cyclable lithium [mol]", {}},
                                   {"Total lithium [mol]", {}},
                                   {"Loss of lithium to negative SEI [mol]", {}},
                                   {"Capacity lost [A.h]", {}},
                                   {"Loss of capacity to negative SEI [A.h]", {}},
                                   {"Cell energy driven [W.h]", {}},
                                   {"Pack energy driven [kW.h]", {}},
                                   {"Distance [km]", {}},
                                   {"Consumption [kW.h/100 km]", {}},
                                   {"Charge put back [A.h]", {}},
                                   {"Check-up energy [W.h]", {}},
                                   {"Day length [s]", {}}};
      for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m)
        cols.push_back({fmt::format("Capacity lost to {} [A.h]", ageing::to_string(static_cast<ageing::FadeMechanism>(m))), {}});
      std::vector<double> x, pct;
      for (const auto& d : r.days) {
        const double values[] = {static_cast<double>(d.day), d.simulated ? 1.0 : 0.0, d.ambient_K - 273.15, d.capacity_Ah, d.capacity_retention,
                                 d.resistance_ohm, d.resistance_growth, d.lithium_inventory_mol, d.lithium_total_mol, d.lithium_lost_to_sei_mol,
                                 d.capacity_lost_Ah, d.capacity_lost_to_sei_Ah, d.cell_drive_energy_Wh, d.pack_drive_energy_kWh, d.distance_km,
                                 d.consumption_kWh_per_100km, d.cell_charge_Ah, d.checkup_energy_Wh, d.duration_s};
        const std::size_t fixed = std::size(values);
        for (std::size_t k = 0; k < fixed; ++k) cols[k].values.push_back(values[k]);
        for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m) cols[fixed + m].values.push_back(d.capacity_lost_by_mechanism_Ah[m]);
        x.push_back(d.day);
        pct.push_back(100.0 * d.capacity_retention);
      }
      io::write_text_file_atomically(dir / "days.csv", io::to_csv(cols));
      io::write_text_file_atomically(
          dir / "retention.svg",
          report::svg_line_chart(fmt::format("Capacity retention, {} on {} ({:g} km/day, {})", r.cell_name, r.cycle_name, r.km_per_day, r.climate_name),
                                 "day", "retention [%]", {{r.cell_name, x, pct}}));
      io::write_text_file_atomically(dir / "summary.json", summary.dump(2) + "\n");
    }

    if (a->json) {
      fmt::print("{}\n", summary.dump(2));
    } else {
      fmt::print("{} in {} ({}s{}p, {:.1f} kWh) on {}, {} on {} ({:g} km/day), {} charge, climate {}\n", r.cell_name, pack.name, pack.series,
                 pack.parallel, r.pack_figures.energy_Wh / 1e3, car.name, r.days.size(), r.cycle_name, r.km_per_day, vehicle::to_string(r.charge),
                 r.climate_name);
      report::TextTable table({"day", "solved", "ambient [C]", "capacity [Ah]", "retention [%]", "resistance growth [%]", "Li lost to SEI [mmol]",
                               "consumption [kWh/100 km]"});
      const int n = static_cast<int>(r.days.size());
      for (int i = 0; i < n; ++i) {
        const auto& d = r.days[static_cast<std::size_t>(i)];
        if (!(i == 0 || i == n - 1 || d.day % 30 == 0)) continue;
        table.add_row({fmt::format("{}", d.day), d.simulated ? "yes" : "no", fmt::format("{:.1f}", d.ambient_K - 273.15), fmt::format("{:.4f}", d.capacity_Ah),
                       fmt::format("{:.2f}", 100.0 * d.capacity_retention), fmt::format("{:.2f}", 100.0 * d.resistance_growth),
                       fmt::format("{:.4f}", 1e3 * d.lithium_lost_to_sei_mol), fmt::format("{:.2f}", d.consumption_kWh_per_100km)});
      }
      fmt::print("{}", table.render());
      fmt::print("distance {:.0f} km, energy driven {:.1f} kWh, {:.1f} equivalent full cycles\n", r.distance_km, r.energy_driven_kWh,
                 r.equivalent_full_cycles);
      fmt::print("range {:.0f} km at the start, {:.0f} km at the end\n", r.range_start_km, r.range_end_km);
      fmt::print("degradation: {}\n", r.mechanisms.empty() ? std::string("none parameterised in this cell's file") : fmt::format("{}", fmt::join(r.mechanisms, "; ")));
      fmt::print("{} of {} days solved in full ({} solves, {} jumps rejected), {:.1f} s\n", r.solved_days, r.days.size(), r.solves, r.rejected_jumps,
                 r.wall_time_s);
      if (!r.checkup_failure.empty()) fmt::print("note: a check-up did not complete (its capacity reads 0): {}\n", r.checkup_failure);
      if (!a->output.empty()) fmt::print("wrote {}\n", a->output);
    }
    if (!r.stopped.empty()) {
      fmt::print(stderr, "error: the year stopped early: {}\n", r.stopped);
      return 3;
    }
    return 0;
  };
}

}  // namespace solidcell::cli
