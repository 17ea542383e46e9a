#pragma once
// Manufacturing variability: a layered Monte Carlo of what coating, calendering or pressing and the separator
// (electrolyte layer) line leave in each cell, propagated into its design figures and, through the real
// electrochemical model (directly, or through a quadratic response surface fitted to real runs and checked
// against held-out real runs), into its capacity and 1C resistance; then grading into bins against a
// specification. The scatter and the specification come from a file (data/variability/, schema in its
// README.md); docs/production.md explains the method.
//
// Sampling: each varied quantity x of a cell is x0 (1 + d_lot + d_roll + d_sheets + d_cell), every d normal with
// the level's relative standard deviation; the cell's sheets (its unit cells) come from its roll and their
// independent deviations average, so d_sheets has sigma_sheet / sqrt(sheets per cell). Lots hold rolls_per_lot
// rolls and rolls hold cells_per_roll consecutive cells. Every draw comes from a counter-based stream keyed by
// (seed, quantity, level, index), so results do not depend on the thread count or the order of work.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/production/line.hpp"

namespace solidcell::production {

// What the study varies. Loadings are solids per area (coat weight); the coating thickness follows from the
// loading and the porosity (t = loading / (rho_solids (1 - porosity))).
enum class VariedQuantity { positive_loading, positive_porosity, separator_thickness, negative_loading, negative_porosity };
const char* to_string(VariedQuantity q);

enum class Level { lot, roll, sheet, cell };
inline constexpr int level_count = 4;
const char* to_string(Level l);

struct QuantityScatter {
  VariedQuantity quantity = VariedQuantity::positive_loading;
  Ranged cv[level_count];  // relative standard deviation per level (fraction of the nominal value), with its range
  std::string source;
};

// A grading bin: capacity and resistance within these relative deviations from the reference cell.
struct GradingBin {
  std::string name;
  double capacity_low = 0.0, capacity_high = 0.0;      // e.g. -0.01, +0.01
  double resistance_low = 0.0, resistance_high = 0.0;  // e.g. -0.05, +0.05
};

struct GradingSpec {
  // Specification limits, relative to the reference (the nominal cell through the same model): a cell is in
  // specification when capacity >= (1 + capacity_min) C_ref and resistance <= (1 + resistance_max) R_ref.
  double capacity_min = -0.03;
  double resistance_max = 0.10;
  std::vector<GradingBin> bins;  // in order: a cell in specification goes to the first that holds it
  std::string source;
};

struct VariabilitySpec {
  std::string name;
  std::string description;
  std::string file;
  std::string chemistry;  // "solid-state" or "liquid": the cells this scatter describes
  std::string line;       // the production line it belongs to (data/lines), for reference
  std::string source;
  int rolls_per_lot = 10;
  int cells_per_roll = 100;
  std::string hierarchy_source;
  std::vector<QuantityScatter> scatter;
  GradingSpec grading;

  const QuantityScatter* find(VariedQuantity q) const;
};

VariabilitySpec read_variability_toml(const toml::table& doc, const std::string& file);
// A built-in name in data/variability or a path to a .toml file.
VariabilitySpec load_variability(const std::string& name_or_path);
std::vector<std::string> builtin_variability_names();
// The built-in scatter for a cell: the file whose chemistry matches the cell's.
std::string default_variability_for(const cell::Cell& cell);

// Sheets per cell that sheet-level scatter averages over: the unit cells of a pouch; 1 for wound and lumped cells.
int sheets_per_cell(const cell::Cell& cell);

// Relative variance of one quantity of one cell: sum over levels, the sheet level divided by the sheets.
double layered_relative_variance(const QuantityScatter& q, int sheets);
// Variance of the mean over cells 0..n-1 of the relative deviation, with their lots and rolls shared.
double mean_relative_variance(const QuantityScatter& q, int sheets, const VariabilitySpec& spec, std::size_t n);

// Relative deviations d (x = x0 (1 + d)), one vector per entry of spec.scatter, for cells first..first+n-1.
std::vector<std::vector<double>> sample_relative_deviations(const VariabilitySpec& spec, int sheets, std::size_t first, std::size_t n,
                                                            std::uint64_t seed);

// Where a cell lands: index into the bins, bins.size() = in specification but in no bin ("unbinned"),
// bins.size() + 1 = out of specification. Deviations are relative to the reference.
int grade(const GradingSpec& spec, double capacity_deviation, double resistance_deviation);

enum class Electrochemistry {
  surrogate,  // quadratic response surface per study, fitted to real runs and validated on held-out real runs
  per_cell,   // the real model for every cell (small studies)
  none,       // design figures only
};
const char* to_string(Electrochemistry e);

struct VariabilityOptions {
  std::size_t cells = 1000;
  std::uint64_t seed = 1;
  int threads = 2;  // 0: the hardware's
  Electrochemistry electrochemistry = Electrochemistry::surrogate;
  std::string model = "dfn";  // liquid: "spme" or "dfn"; solid-state: "dfn" (the solid-state DFN)
  int fit_runs = 0;           // surrogate design points; 0: fit_runs_per_term per term of the quadratic, at least 30
  double fit_runs_per_term = 6.0;
  int validation_runs = 40;   // sampled cells also run through the real model to measure the surrogate's error
  double design_box = 4.0;    // the fit design spans +-design_box standard deviations of each quantity
  double relative_tolerance = 1e-6;
  // Called from the calling thread: stage name, work done, work in all.
  std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
};

// One output over the cells.
struct Distribution {
  std::string name;  // as in the CSV header, e.g. "Model capacity [A.h]"
  std::string key;   // for JSON, e.g. "model_capacity_Ah"
  double mean = 0.0, std = 0.0, min = 0.0, p01 = 0.0, p05 = 0.0, p50 = 0.0, p95 = 0.0, p99 = 0.0, max = 0.0;
  std::size_t count = 0;  // finite values
};

struct SurrogateCheck {
  std::vector<std::string> variables;  // the varied quantities, in order of z
  std::size_t terms = 0;
  int fit_runs = 0;
  int validation_runs = 0;
  int failed_runs = 0;  // real runs the solver did not finish (left out)
  double capacity_fit_rms = 0.0;          // relative, over the fit runs
  double resistance_fit_rms = 0.0;
  double capacity_validation_rms = 0.0;   // relative, surrogate against held-out real runs
  double capacity_validation_max = 0.0;
  double resistance_validation_rms = 0.0;
  double resistance_validation_max = 0.0;
  double real_run_s = 0.0;  // wall time of all real runs
};

// How much each level contributes to a quantity's relative variance (sheet already divided by the sheets).
struct LevelVariance {
  VariedQuantity quantity = VariedQuantity::positive_loading;
  double level[level_count] = {0, 0, 0, 0};
  double total = 0.0;
  double sampled = 0.0;  // the variance of the sampled relative deviations
};

struct VariabilityResult {
  std::string cell_name;
  std::string spec_name;
  std::string model;
  Electrochemistry electrochemistry = Electrochemistry::surrogate;
  std::size_t cells = 0;
  std::uint64_t seed = 0;
  int threads = 0;
  int sheets_per_cell = 1;
  std::string capacity_definition;
  std::string resistance_definition;

  // The nominal cell (no deviation): design figures and, through the model, the grading reference.
  cell::DesignFigures nominal;
  double reference_capacity_Ah = 0.0;
  double reference_resistance_ohm = 0.0;

  // Per cell.
  std::vector<int> lot, roll;
  std::vector<VariedQuantity> quantities;      // what was varied, in the order of `values`
  std::vector<std::vector<double>> values;     // SI: loading kg/m2, porosity, thickness m
  std::vector<double> positive_thickness_m;
  std::vector<double> design_capacity_Ah, energy_Wh, specific_energy_Wh_per_kg, mass_kg;
  std::vector<double> model_capacity_Ah, resistance_ohm;  // NaN with Electrochemistry::none or a failed run
  std::vector<int> bin;                                   // index into bin_names

  std::vector<Distribution> distributions;
  std::vector<std::string> bin_names;  // spec bins, then "unbinned", then "out_of_spec"
  std::vector<std::size_t> bin_counts;
  double yield = 0.0;                  // share in specification (both limits)
  double yield_capacity = 0.0;         // share meeting the capacity limit alone
  double yield_resistance = 0.0;
  std::vector<LevelVariance> variance;
  std::optional<SurrogateCheck> surrogate;
  double elapsed_s = 0.0;
};

// Throws InputError when the scatter does not fit the cell (a negative quantity for a lithium-metal cell,
// chemistry mismatch) or a sampled value leaves its physical range; std::runtime_error when more than a tenth
// of the real runs fail.
VariabilityResult run_variability(const cell::Cell& cell, const VariabilitySpec& spec, const VariabilityOptions& options,
                                  const std::string& cell_file = "");

// Summary (no per-cell arrays): cell, spec, options, definitions, reference, distributions, bins with counts,
// yields, variance decomposition, surrogate check.
nlohmann::json variability_summary_json(const VariabilityResult& r);
// One row per cell: index, lot, roll, varied values, coating thickness, design capacity, energy, Wh/kg, model
// capacity, resistance, bin name.
std::string variability_cells_csv(const VariabilityResult& r);

}  // namespace solidcell::production
