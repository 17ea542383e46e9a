// The ageing benchmark of issue #5: CC-CV cycles of the LG M50 (built-in cell "lgm50", Chen 2020) with
// reaction-limited SEI growth, isothermal at 298.15 K, 10 finite volumes per region and 10 shells per particle:
//   Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20
// bench/run_ageing_bench.sh runs PyBaMM's 10 cycles of the same experiment in the same run and prints the ratio.
//
//   ageing_bench [--cycles N] [--accelerate] [--solver ida|bdf] [--rtol R] [--atol A]   (atol in units of each
//   unknown's scale; 0: as rtol)
// prints one JSON object: the wall time of the study (model built once; cell file read, parameters and model
// build timed separately), the time per cycle, and the capacity retention and SEI lithium reached.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

int main(int argc, char** argv) {
  using namespace solidcell;
  int cycles = 1000;
  bool accelerate = false;
  std::string solver = "ida";
  double rtol = 1e-6, atol = 0.0;
  for (int k = 1; k < argc; ++k) {
    std::string a = argv[k];
    if (a == "--cycles" && k + 1 < argc) cycles = std::atoi(argv[++k]);
    else if (a == "--accelerate") accelerate = true;
    else if (a == "--solver" && k + 1 < argc) solver = argv[++k];
    else if (a == "--rtol" && k + 1 < argc) rtol = std::atof(argv[++k]);
    else if (a == "--atol" && k + 1 < argc) atol = std::atof(argv[++k]);
    else {
      std::fprintf(stderr, "usage: ageing_bench [--cycles N] [--accelerate] [--solver ida|bdf] [--rtol R] [--atol A]\n");
      return 2;
    }
  }
  using clock = std::chrono::steady_clock;
  auto seconds = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  const auto t0 = clock::now();
  auto parameters = electrochem::model_parameters(cell::load_cell("lgm50"));
  parameters.thermal.reset();  // PyBaMM's reference is isothermal
  auto steps = experiment::parse_experiment("Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20", "bench");
  ageing::AgeingCellOptions co;
  co.simulation.ambient_temperature_K = 298.15;
  co.simulation.relative_tolerance = rtol;
  co.simulation.absolute_tolerance = atol;
  co.simulation.integrator = solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
  ageing::AgeingCell cell(parameters, co);
  const auto t1 = clock::now();
  ageing::CycleStudyOptions so;
  so.cycles = cycles;
  so.accelerate = accelerate;
  auto result = ageing::run_cycle_study(cell, steps, so);
  const auto t2 = clock::now();
  const auto& last = result.cycles.back();
  std::printf("%s\n", fmt::format("{{\"cycles\": {}, \"accelerate\": {}, \"solver\": \"{}\", \"rtol\": {}, \"setup_s\": {:.4f}, \"study_s\": {:.4f}, "
                                  "\"total_s\": {:.4f}, \"solved_cycles\": {}, \"ms_per_solved_cycle\": {:.3f}, \"capacity_retention_last\": {:.6f}, "
                                  "\"lithium_lost_to_sei_mol\": {:.6e}, \"end_of_life_cycle\": {}, \"stopped\": \"{}\"}}",
                                  result.cycles.size(), accelerate, solver, rtol, seconds(t0, t1), seconds(t1, t2), seconds(t0, t2),
                                  result.solved_cycles, 1e3 * seconds(t1, t2) / std::max(1, result.solved_cycles), last.capacity_retention,
                                  last.lithium_lost_to_sei_mol, result.end_of_life_cycle ? std::to_string(*result.end_of_life_cycle) : "null",
                                  result.stopped)
                          .c_str());
  return result.cycles.size() == static_cast<std::size_t>(cycles) ? 0 : 1;
}
