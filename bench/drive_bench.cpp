// A year of daily driving (bench/README.md, "A year of driving"): issue #5's target is a simulated year in under
// 60 s. Each day is one trip of 2 x UDDS + 1 x HWFET (the shared reference traces; 3 x NEDC where they are
// absent) of the reference mid-size BEV (data/vehicles/midsize-bev.toml) with the Model-3-class pack of the liquid
// NCM811 cell (data/packs/model3-class-ncm811.toml): the pack's battery power is imposed on one cell, which starts
// every day at the pack's top SOC (charged overnight). The model is built once and solved 365 times through
// vehicle::drive_cell(), as a year-of-use study would. The cell's lumped thermal model is on.
// Arguments: model (0 spm, 1 spme, 2 dfn), integrator (0 IDA, 1 BDF), days; counter year_s = time x 365 / days;
// SOLIDCELL_DRIVE_BENCH_DAYS=N runs N days in every case instead.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/nedc.hpp"

namespace {

using namespace solidcell;

const char* model_names[] = {"spm", "spme", "dfn"};

// Traces back to back: each starts where the one before ends (all start and end at rest).
vehicle::SpeedTrace join(const std::vector<vehicle::SpeedTrace>& parts) {
  vehicle::SpeedTrace day = parts.front();
  for (size_t i = 1; i < parts.size(); ++i) {
    const double offset = day.time_s.back();
    for (size_t k = 1; k < parts[i].time_s.size(); ++k) {
      day.time_s.push_back(offset + parts[i].time_s[k]);
      day.speed_mps.push_back(parts[i].speed_mps[k]);
      day.grade.push_back(parts[i].grade[k]);
    }
  }
  day.name = "daily trip";
  return day;
}

vehicle::SpeedTrace daily_trip() {
  const std::filesystem::path dir = SOLIDCELL_SHARED_CYCLES_DIR;
  if (std::filesystem::is_regular_file(dir / "udds.csv") && std::filesystem::is_regular_file(dir / "hwfet.csv")) {
    const auto udds = vehicle::load_speed_trace((dir / "udds.csv").string());
    return join({udds, udds, vehicle::load_speed_trace((dir / "hwfet.csv").string())});
  }
  const auto nedc = vehicle::nedc_speed_trace();
  return join({nedc, nedc, nedc});
}

void BM_DriveYear(benchmark::State& state) {
  const std::string model_name = model_names[state.range(0)];
  const bool bdf = state.range(1) == 1;
  // SOLIDCELL_DRIVE_BENCH_DAYS shortens every case (year_s still extrapolates to 365 days) on a busy machine.
  const char* env_days = std::getenv("SOLIDCELL_DRIVE_BENCH_DAYS");
  const int days = env_days ? std::max(1, std::atoi(env_days)) : static_cast<int>(state.range(2));
  const auto pack = vehicle::load_pack("model3-class-ncm811");
  const auto cell = cell::load_cell(pack.cell);
  const auto figures = vehicle::pack_figures(pack, cell, cell::compute_design(cell));
  const auto car = vehicle::load_vehicle("midsize-bev");
  const auto trip = daily_trip();
  const auto profile = vehicle::cell_power_profile(vehicle::vehicle_power(car, figures.mass_kg, trip), figures.cells);
  const auto parameters = electrochem::model_parameters(cell);
  auto model = electrochem::make_model(model_name, parameters);
  experiment::SimulationOptions so;
  so.initial_soc = pack.soc_max;
  so.relative_tolerance = bdf ? 1e-4 : 1e-5;
  so.integrator = bdf ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
  so.max_solver_steps_per_step = 10000000;
  double discharged_Ah = 0.0, seconds = 0.0;
  long solver_steps = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    discharged_Ah = 0.0;
    solver_steps = 0;
    for (int d = 0; d < days; ++d) {
      const auto sol = vehicle::drive_cell(*model, profile, 1, so);
      if (sol.failure || !sol.stopped_early.empty()) state.SkipWithError("a day's trip failed or hit a cell limit");
      discharged_Ah += sol.discharge_capacity_Ah.back();
      solver_steps += sol.solver.steps;
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["days"] = days;
  state.counters["year_s"] = seconds * 365.0 / days;
  state.counters["trip_km"] = trip.distance_m() / 1000.0;
  state.counters["cell_Ah_per_day"] = discharged_Ah / days;
  state.counters["solver_steps_per_day"] = static_cast<double>(solver_steps) / days;
  state.counters["thermal"] = parameters.thermal ? 1 : 0;
  state.SetLabel(model_name + (bdf ? " BDF rtol 1e-4" : " IDA rtol 1e-5"));
}

// A full year with the fast settings, and samples of the slower ones (year_s extrapolates them).
BENCHMARK(BM_DriveYear)->Args({1, 1, 365})->Args({2, 1, 365})->Args({0, 1, 365})->Args({1, 0, 20})->Args({2, 0, 20})->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
