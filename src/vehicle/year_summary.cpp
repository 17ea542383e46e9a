#include "solidcell/vehicle/year_summary.hpp"

#include <cmath>

namespace solidcell::vehicle {

namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json year_summary_json(const YearResult& r, const Vehicle& car, const SpeedTrace& trace, bool accelerated, const std::string& sized_to) {
  nlohmann::json summary;
  const auto& pack = r.pack;
  summary["cell"] = r.cell_name;
  summary["vehicle"] = {{"name", car.name}, {"file", car.file}, {"mass_kg", r.vehicle_mass_kg}};
  summary["pack"] = {{"name", pack.name},
                     {"series", pack.series},
                     {"parallel", pack.parallel},
                     {"cells", r.pack_figures.cells},
                     {"energy_kWh", r.pack_figures.energy_Wh / 1e3},
                     {"mass_kg", r.pack_figures.mass_kg},
                     {"volume_L", r.pack_figures.volume_m3 * 1e3},
                     {"soc_min", pack.soc_min},
                     {"soc_max", pack.soc_max},
                     {"sized_to", sized_to}};
  summary["cycle"] = {{"name", r.cycle_name}, {"source", r.cycle_source}, {"distance_km", trace.distance_m() / 1000.0}};
  summary["day"] = {{"km_per_day", r.km_per_day},
                    {"trip_km", r.trip_km},
                    {"trip_passes", r.trip_passes},
                    {"trip_part_pass_s", r.trip_part_pass_s},
                    {"charge", to_string(r.charge)},
                    {"charge_c_rate", r.charge_c_rate}};
  summary["climate"] = {{"name", r.climate_name}, {"source", r.climate_source}};
  summary["mechanisms"] = r.mechanisms;
  summary["days"] = r.days.size();
  summary["solved_days"] = r.solved_days;
  summary["rejected_jumps"] = r.rejected_jumps;
  summary["days_solved_in_all"] = r.solves;
  summary["checkup_failure"] = r.checkup_failure;
  summary["accelerated"] = accelerated;
  summary["stopped"] = r.stopped;
  summary["wall_time_s"] = r.wall_time_s;
  summary["distance_km"] = r.distance_km;
  summary["energy_driven_kWh"] = r.energy_driven_kWh;
  summary["equivalent_full_cycles"] = r.equivalent_full_cycles;
  summary["range_start_km"] = r.range_start_km;
  summary["range_end_km"] = r.range_end_km;
  if (!r.days.empty()) {
    const auto& last = r.days.back();
    summary["capacity_start_Ah"] = r.days.front().capacity_Ah;
    summary["capacity_end_Ah"] = last.capacity_Ah;
    summary["capacity_retention_end"] = last.capacity_retention;
    summary["resistance_growth_end"] = number_or_null(last.resistance_growth);
    summary["lithium_lost_to_sei_mol"] = last.lithium_lost_to_sei_mol;
    summary["capacity_lost_to_sei_Ah"] = last.capacity_lost_to_sei_Ah;
    nlohmann::json shares, lost;
    for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m) {
      const char* name = ageing::to_string(static_cast<ageing::FadeMechanism>(m));
      shares[name] = last.capacity_loss_share[m];
      lost[name] = last.capacity_lost_by_mechanism_Ah[m];
    }
    summary["capacity_lost_Ah"] = last.capacity_lost_Ah;
    summary["capacity_lost_by_mechanism_Ah"] = lost;
    summary["capacity_loss_share"] = shares;
    summary["consumption_start_kWh_per_100km"] = r.days.front().consumption_kWh_per_100km;
    summary["consumption_end_kWh_per_100km"] = last.consumption_kWh_per_100km;
  }
  nlohmann::json retention = nlohmann::json::array(), resistance = nlohmann::json::array();
  for (const auto& d : r.days) {
    retention.push_back(d.capacity_retention);
    resistance.push_back(number_or_null(d.resistance_growth));
  }
  summary["capacity_retention"] = retention;
  summary["resistance_growth"] = resistance;
  return summary;
}

}  // namespace solidcell::vehicle
