// A simulated year of daily driving (bench/README.md, "A year of use"): issue #5's target is under 60 s.
// vehicle::simulate_year with its defaults (accelerated: representative days solved in full, the degradation
// state extrapolated between them; DFN, BDF, rtol 1e-4, mesh 8): 40 km a day of NEDC in two trips, Berlin's
// climate, a slow charge every night, in the reference car (data/vehicles/midsize-bev.toml), each cell in a pack
// of the volume of the Model-3-class NCM811 pack. Cases: LG M50 (SEI growth), the liquid NCM811 baseline and the
// sulfide solid-state cell (no degradation parameters in their files). Prints wall and CPU time per case.
// SOLIDCELL_YEAR_BENCH_DAYS=N simulates N days instead of 365; SOLIDCELL_YEAR_BENCH_FULL=1 solves every day.
#include <ctime>

#include <chrono>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

int main() {
  using namespace solidcell;
  const char* env_days = std::getenv("SOLIDCELL_YEAR_BENCH_DAYS");
  const char* env_full = std::getenv("SOLIDCELL_YEAR_BENCH_FULL");
  const int days = env_days ? std::atoi(env_days) : 365;
  const bool full = env_full && std::string(env_full) == "1";
  const auto car = vehicle::load_vehicle("midsize-bev");
  const auto reference = vehicle::load_pack("model3-class-ncm811");
  const auto reference_cell = cell::load_cell(reference.cell);
  const auto reference_figures = vehicle::pack_figures(reference, reference_cell, cell::compute_design(reference_cell));
  const auto trace = vehicle::nedc_speed_trace();
  fmt::print("{:<26} {:>6} {:>7} {:>9} {:>9} {:>10} {:>9}\n", "cell", "days", "solved", "retention", "wall [s]", "CPU [s]", "CPU/year");
  for (const char* name : {"lgm50", "liquid-ncm811-graphite", "assb-sulfide-li"}) {
    const auto c = cell::load_cell(name);
    const auto figures = cell::compute_design(c);
    const auto pack = c.name == reference.cell ? reference
                                               : vehicle::size_pack_to_match(reference, reference_figures, name, c, figures, vehicle::PackMatch::volume);
    vehicle::YearOptions o;
    o.days = days;
    o.accelerate = !full;
    o.climate = vehicle::load_climate("berlin");
    const auto wall0 = std::chrono::steady_clock::now();
    const std::clock_t cpu0 = std::clock();
    const auto r = vehicle::simulate_year(c, figures, "", pack, car, trace, o);
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const std::string retention = r.stopped.empty() && !r.days.empty() ? fmt::format("{:.4f}", r.days.back().capacity_retention) : "-";
    fmt::print("{:<26} {:>6} {:>7} {:>9} {:>9.1f} {:>10.1f} {:>9.1f}{}\n", name, r.days.size(), r.solved_days, retention, wall, cpu, cpu * 365.0 / days,
               r.stopped.empty() ? "" : "  stopped: " + r.stopped);
  }
  return 0;
}
