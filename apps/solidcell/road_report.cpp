#include "road_report.hpp"

#include <exception>

#include <fmt/format.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

namespace solidcell::cli {

namespace {

constexpr const char* reference_pack_name = "model3-class-ncm811";
constexpr const char* vehicle_name = "midsize-bev";
constexpr const char* climate_name = "berlin";  // climate normals; the lithium cell drives through the winter under its BMS charge limit
constexpr double km_per_day = 40.0;

}  // namespace

report::RoadReport qualify_road(const std::vector<report::ReportCell>& subjects, const report::ReportCell& baseline,
                                const std::vector<std::string>& cycle_files, const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& what) {
    if (progress) progress(what);
  };
  report::RoadReport road;
  const auto car = vehicle::load_vehicle(vehicle_name);
  const auto reference = vehicle::load_pack(reference_pack_name);
  road.vehicle_name = car.name;
  road.vehicle_source = car.file;
  road.reference_pack = reference.name;
  const auto reference_cell = cell::load_cell(reference.cell);
  const auto reference_figures = vehicle::pack_figures(reference, reference_cell, cell::compute_design(reference_cell));
  std::vector<vehicle::SpeedTrace> traces{vehicle::nedc_speed_trace()};
  std::vector<std::string> trace_errors{""};
  for (const auto& f : cycle_files) {
    try {
      traces.push_back(vehicle::speed_trace_by_name_or_file(f));
      trace_errors.emplace_back();
    } catch (const std::exception& e) {
      vehicle::SpeedTrace t;
      t.name = f;
      traces.push_back(t);
      trace_errors.push_back(e.what());
    }
  }
  const auto climate = vehicle::load_climate(climate_name);
  road.year_setup = fmt::format("A year: {:g} km a day on NEDC in two trips, parked at the ambient temperature of {} ({}), charged slowly "
                                "(CC at C/3, coulomb counted) back to the pack's top SOC every night; a lithium-metal cell charges, by braking and "
                                "at the charger, under a BMS limit of {:g} of its critical current density at the day's temperature; the first "
                                "cell and the baseline.",
                                km_per_day, climate.name, climate.source, vehicle::YearOptions{}.bms_ccd_margin);

  std::vector<const report::ReportCell*> all;
  for (const auto& s : subjects) all.push_back(&s);
  all.push_back(&baseline);
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& rc = *all[k];
    report::RoadCellResult r;
    r.cell_name = rc.cell.name;
    r.baseline = &rc == &baseline;
    try {
      r.pack = rc.cell.name == reference.cell ? reference
                                              : vehicle::size_pack_to_match(reference, reference_figures, rc.cell.name, rc.cell, rc.figures,
                                                                            vehicle::PackMatch::volume);
      r.figures = vehicle::pack_figures(r.pack, rc.cell, rc.figures);
    } catch (const std::exception& e) {
      r.error = e.what();
      road.cells.push_back(std::move(r));
      continue;
    }
    for (std::size_t t = 0; t < traces.size(); ++t) {
      report::RoadCycleResult d;
      d.cycle = traces[t].name;
      d.source = traces[t].source;
      if (!trace_errors[t].empty()) {
        d.error = trace_errors[t];
        r.cycles.push_back(d);
        continue;
      }
      say(fmt::format("road: {} on {}", rc.cell.name, traces[t].name));
      try {
        vehicle::DriveOptions o;
        o.mesh = 6;
        o.output_period_s = 0.0;
        const auto rep = vehicle::drive(rc.cell, rc.figures, rc.origin, r.pack, car, traces[t], o);
        r.model = rep.model;
        r.vehicle_mass_kg = rep.vehicle_mass_kg;
        d.distance_km = rep.balance.distance_m / 1000.0;
        d.consumption_kWh_per_100km = rep.consumption_kWh_per_100km;
        d.range_km = rep.range_km;
        d.range_method = rep.range_method;
        if (!rep.failure.empty()) d.error = rep.failure;
      } catch (const std::exception& e) {
        d.error = e.what();
      }
      r.cycles.push_back(d);
    }
    // The year: the first cell and the baseline.
    if (k == 0 || r.baseline) {
      say(fmt::format("road: a year of daily driving for {}", rc.cell.name));
      try {
        vehicle::YearOptions o;
        o.km_per_day = km_per_day;
        o.climate = climate;
        o.mesh = 8;  // the default: on 5 volumes the liquid cell's year takes 4x longer (31 s against 8 s)
        r.year = vehicle::simulate_year(rc.cell, rc.figures, rc.origin, r.pack, car, traces.front(), o);
      } catch (const std::exception& e) {
        r.year_error = e.what();
      }
    }
    road.cells.push_back(std::move(r));
  }
  return road;
}

std::string road_text(const report::RoadReport& road) {
  std::string s = fmt::format("\nRoad: packs of the volume of {} in the {}:\n", road.reference_pack, road.vehicle_name);
  for (const auto& c : road.cells) {
    if (!c.error.empty()) {
      s += fmt::format("  {}: not computed: {}\n", c.cell_name, c.error);
      continue;
    }
    s += fmt::format("  {:<26}{:.1f} kWh, {:.0f} kg", c.cell_name, c.figures.energy_Wh / 1e3, c.figures.mass_kg);
    for (const auto& d : c.cycles)
      s += d.error.empty() ? fmt::format("; {} {:.2f} kWh/100 km, range {:.0f} km", d.cycle, d.consumption_kWh_per_100km, d.range_km)
                           : fmt::format("; {} not computed", d.cycle);
    if (c.year && !c.year->stopped.empty())
      s += fmt::format("; the year stopped on day {}: {}", c.year->days.size(), c.year->stopped);
    else if (c.year && !c.year->days.empty())
      s += fmt::format("; after a year {:.2f} % capacity{}", 100.0 * c.year->days.back().capacity_retention,
                       c.year->mechanisms.empty() ? " (no degradation mechanism parameterised)" : "");
    else if (!c.year_error.empty())
      s += "; year not computed: " + c.year_error;
    s += "\n";
  }
  return s;
}

}  // namespace solidcell::cli
