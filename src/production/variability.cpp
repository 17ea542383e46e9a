#include "solidcell/production/variability.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/electrode_loading.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/production/response_surface.hpp"

namespace solidcell::production {

const char* to_string(VariedQuantity q) {
  switch (q) {
    case VariedQuantity::positive_loading: return "positive_loading";
    case VariedQuantity::positive_porosity: return "positive_porosity";
    case VariedQuantity::separator_thickness: return "separator_thickness";
    case VariedQuantity::negative_loading: return "negative_loading";
    case VariedQuantity::negative_porosity: return "negative_porosity";
  }
  return "?";
}

const char* to_string(Level l) {
  switch (l) {
    case Level::lot: return "lot";
    case Level::roll: return "roll";
    case Level::sheet: return "sheet";
    case Level::cell: return "cell";
  }
  return "?";
}

const char* to_string(Electrochemistry e) {
  switch (e) {
    case Electrochemistry::surrogate: return "surrogate";
    case Electrochemistry::per_cell: return "per_cell";
    case Electrochemistry::none: return "none";
  }
  return "?";
}

const QuantityScatter* VariabilitySpec::find(VariedQuantity q) const {
  for (const auto& s : scatter)
    if (s.quantity == q) return &s;
  return nullptr;
}

namespace {

using io::Range;
using io::TomlTable;

constexpr VariedQuantity all_quantities[] = {VariedQuantity::positive_loading, VariedQuantity::positive_porosity,
                                             VariedQuantity::separator_thickness, VariedQuantity::negative_loading,
                                             VariedQuantity::negative_porosity};

// A relative standard deviation in percent with its optional range, returned as a fraction.
Ranged cv_percent(const TomlTable& t, const std::string& key) {
  const Range r = Range::non_negative(30.0);  // beyond 30 % the normal model would give negative loadings
  const double v = t.number(key, r);
  const std::string rk = key + "_range";
  if (!t.has(rk)) {
    t.accept(rk);
    return Ranged::fixed(v / 100.0);
  }
  const auto a = t.number_array(rk, r);
  if (a.size() != 2 || a[0] > a[1]) t.fail(rk, fmt::format("{} numbers", a.size()), "must be [low, high] with low <= high");
  if (v < a[0] || v > a[1])
    t.fail(rk, fmt::format("[{}, {}]", io::format_number(a[0]), io::format_number(a[1])),
           fmt::format("must contain the value of {} ({})", key, io::format_number(v)));
  return Ranged{v / 100.0, a[0] / 100.0, a[1] / 100.0};
}

std::pair<double, double> percent_window(const TomlTable& t, const std::string& key) {
  const auto a = t.number_array(key, Range{-100.0, 1000.0});
  if (a.size() != 2 || !(a[0] < a[1])) t.fail(key, fmt::format("{} numbers", a.size()), "must be [low, high] in percent with low < high");
  return {a[0] / 100.0, a[1] / 100.0};
}

// Counter-based random numbers: splitmix64 of a key, so any draw can be made by any thread in any order.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double standard_normal(std::uint64_t seed, std::uint64_t quantity, std::uint64_t level, std::uint64_t index) {
  const std::uint64_t k = mix(mix(mix(mix(seed) ^ quantity) ^ (level + 0x51ed2701ULL)) ^ index);
  // Box-Muller from two 53-bit uniforms; u1 in (0, 1].
  const double u1 = (static_cast<double>(mix(k) >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = static_cast<double>(mix(k ^ 0xda942042e4dd58b5ULL) >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Runs fn(worker, i) for i in [0, n) on `threads` workers (the caller is worker 0, which also reports progress).
// The first exception is rethrown after all workers have stopped.
template <class Fn>
void parallel_for(std::size_t n, int threads, const std::string& stage, const VariabilityOptions& options, Fn fn) {
  std::atomic<std::size_t> next{0}, done{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> stop{false};
  auto work = [&](int worker) {
    try {
      for (std::size_t i = next++; i < n && !stop; i = next++) {
        fn(worker, i);
        const std::size_t d = ++done;
        if (worker == 0 && options.progress && (d % std::max<std::size_t>(1, n / 100) == 0)) options.progress(stage, d, n);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  if (options.progress) options.progress(stage, n, n);
}

const cell::CompositeLayer& layer_of(const cell::Cell& c, VariedQuantity q) {
  switch (q) {
    case VariedQuantity::positive_loading:
    case VariedQuantity::positive_porosity: return c.positive;
    case VariedQuantity::separator_thickness: return c.separator.layer;
    default: return *c.negative.composite;
  }
}

double solids_loading(const cell::CompositeLayer& l, const cell::Cell& c) {
  return l.thickness_m * (1.0 - l.porosity) * cell::solid_density_kg_per_m3(l, c);
}

// The nominal value of a quantity in the cell (SI).
double nominal_value(const cell::Cell& c, VariedQuantity q) {
  const auto& l = layer_of(c, q);
  switch (q) {
    case VariedQuantity::positive_loading:
    case VariedQuantity::negative_loading: return solids_loading(l, c);
    case VariedQuantity::positive_porosity:
    case VariedQuantity::negative_porosity: return l.porosity;
    case VariedQuantity::separator_thickness: return l.thickness_m;
  }
  return 0.0;
}

void rebalance_negative(cell::Cell& c, const cell::Cell& nominal);

// Everything a sampled cell differs in: electrode thickness and porosity (thickness from loading and porosity),
// and the separator's thickness. Values absent from `values` keep the cell's.
struct CellState {
  double positive_thickness = 0.0, positive_porosity = 0.0, separator_thickness = 0.0;
  double negative_thickness = 0.0, negative_porosity = 0.0;
};

struct Study {
  const cell::Cell* cell = nullptr;
  std::vector<VariedQuantity> quantities;
  std::vector<double> nominal;  // per quantity
  std::vector<double> sigma;    // total relative standard deviation per quantity
  double positive_rho = 0.0, negative_rho = 0.0;

  CellState state(const double* values) const {
    const auto& c = *cell;
    CellState s{c.positive.thickness_m, c.positive.porosity, c.separator.layer.thickness_m, 0.0, 0.0};
    double pos_loading = solids_loading(c.positive, c), neg_loading = 0.0;
    if (c.negative.composite) {
      s.negative_thickness = c.negative.composite->thickness_m;
      s.negative_porosity = c.negative.composite->porosity;
      neg_loading = solids_loading(*c.negative.composite, c);
    }
    for (std::size_t k = 0; k < quantities.size(); ++k) {
      switch (quantities[k]) {
        case VariedQuantity::positive_loading: pos_loading = values[k]; break;
        case VariedQuantity::positive_porosity: s.positive_porosity = values[k]; break;
        case VariedQuantity::separator_thickness: s.separator_thickness = values[k]; break;
        case VariedQuantity::negative_loading: neg_loading = values[k]; break;
        case VariedQuantity::negative_porosity: s.negative_porosity = values[k]; break;
      }
    }
    s.positive_thickness = pos_loading / (positive_rho * (1.0 - s.positive_porosity));
    if (c.negative.composite) s.negative_thickness = neg_loading / (negative_rho * (1.0 - s.negative_porosity));
    return s;
  }

  void apply(cell::Cell& target, const CellState& s) const {
    target.positive.thickness_m = s.positive_thickness;
    target.positive.porosity = s.positive_porosity;
    target.separator.layer.thickness_m = s.separator_thickness;
    if (target.negative.composite) {
      target.negative.composite->thickness_m = s.negative_thickness;
      target.negative.composite->porosity = s.negative_porosity;
    }
    rebalance_negative(target, *cell);
  }
};

// A cell copy whose open-circuit potentials are tabulated over the windows the design integrates, so that the
// 2000-panel energy integral of compute_design() does not run the expression parser 4000 times per cell.
cell::Cell design_copy(const cell::Cell& c) {
  cell::Cell copy = c;
  auto tabulate = [&copy](const cell::CompositeLayer& l) {
    auto& m = copy.materials.at(l.active_material);
    const double lo = std::max(m.ocp_valid_from, std::min(l.stoichiometry_at_0_soc, l.stoichiometry_at_100_soc) - 0.05);
    const double hi = std::min(m.ocp_valid_to, std::max(l.stoichiometry_at_0_soc, l.stoichiometry_at_100_soc) + 0.05);
    m.open_circuit_potential_V.tabulate(lo, hi);  // keeps the expression where it cannot be tabulated
  };
  tabulate(copy.positive);
  if (copy.negative.composite) tabulate(*copy.negative.composite);
  return copy;
}

// The negative's stoichiometry at full charge as the cell reader derives it when the file gives no window: the
// cyclable lithium comes from the cathode (its window less the first-cycle loss). A sampled cell re-derives it from
// its own loadings, so that a heavier cathode fills the anode further; a file's explicit window is kept.
void rebalance_negative(cell::Cell& c, const cell::Cell& nominal) {
  if (!c.negative.composite || !nominal.negative.composite) return;
  auto window = [](const cell::Cell& x) {
    const auto& l = *x.negative.composite;
    const auto& cap = *x.material(l.active_material).capacity;
    const double cyclable = cell::layer_capacity_C_per_m2(x.positive, x) * (1.0 - x.negative.first_cycle_loss_fraction);
    return std::min(cap.stoichiometry_max, l.stoichiometry_at_0_soc + cyclable / cell::layer_charge_per_stoichiometry_C_per_m2(l, x));
  };
  if (std::abs(window(nominal) - nominal.negative.composite->stoichiometry_at_100_soc) > 1e-9) return;  // explicit in the file
  c.negative.composite->stoichiometry_at_100_soc = window(c);
}

// The real model for one sampled cell: a 1C discharge for the capacity and a 10 s 1C pulse from 50 % SOC for the
// resistance, isothermal at 25 C, at the nominal cell's 1C current. The model is built from the sampled cell's own
// parameters (about a millisecond against several for the two solves) rather than changed with set_input: the
// negative's stoichiometry window, which follows the loadings, is no model input, and a fresh model makes every
// run independent of what its worker ran before, so results do not depend on the thread count.
class RealRunner {
 public:
  RealRunner(const electrochem::CellParameters& base, std::string model, double rtol, std::string file)
      : model_name_(std::move(model)),
        file_(std::move(file)),
        current_A_(base.nominal_capacity_Ah),
        discharge_(experiment::parse_experiment(fmt::format("Discharge at {:.9g} A until {:.9g} V", current_A_, base.voltage_min_V),
                                                "variability")),
        pulse_(experiment::parse_experiment(fmt::format("Rest for 1 second, Discharge at {:.9g} A for 10 seconds", current_A_),
                                            "variability")) {
    options_.relative_tolerance = rtol;
    options_.ambient_temperature_K = 298.15;
  }

  std::pair<double, double> run(const cell::Cell& varied) {
    auto p = electrochem::model_parameters(varied, file_);
    p.thermal.reset();
    p.nominal_capacity_Ah = current_A_;  // 1C stays the rated current of the nominal cell
    auto model = electrochem::make_model(model_name_, p, electrochem::Mesh{});
    double capacity = std::numeric_limits<double>::quiet_NaN(), resistance = capacity;
    options_.initial_soc = 1.0;
    auto d = experiment::run_experiment(*model, discharge_, options_);
    // The discharge ends where an electrode empties against its OCP wall, where Newton's iteration can fail
    // (a few per cent of sampled cells); the same case at other tolerances and with the other integrator
    // usually passes. Deterministic per case.
    for (int retry = 0; retry < 4 && d.failure; ++retry) {
      auto o = options_;
      o.relative_tolerance = retry % 2 == 0 ? options_.relative_tolerance * 0.1 : options_.relative_tolerance * 10.0;
      if (retry >= 2) o.integrator = numerics::IntegratorKind::bdf;
      d = experiment::run_experiment(*model, discharge_, o);
    }
    if (!d.failure && !d.discharge_capacity_Ah.empty()) capacity = d.discharge_capacity_Ah.back();
    options_.initial_soc = 0.5;
    auto q = experiment::run_experiment(*model, pulse_, options_);
    if (!q.failure && q.voltage_V.size() >= 2 && q.steps.size() == 2 && q.steps.back().ended_by == "duration")
      resistance = (q.voltage_V.front() - q.voltage_V.back()) / current_A_;
    return {capacity, resistance};
  }

 private:
  std::string model_name_, file_;
  double current_A_;
  std::vector<experiment::Step> discharge_, pulse_;
  experiment::SimulationOptions options_;
};

Distribution distribution(const std::string& name, const std::string& key, const std::vector<double>& v) {
  Distribution d;
  d.name = name;
  d.key = key;
  std::vector<double> x;
  x.reserve(v.size());
  for (double a : v)
    if (std::isfinite(a)) x.push_back(a);
  d.count = x.size();
  if (x.empty()) {
    d.mean = d.std = d.min = d.p01 = d.p05 = d.p50 = d.p95 = d.p99 = d.max = std::numeric_limits<double>::quiet_NaN();
    return d;
  }
  // Two-pass mean and variance (sample variance, n - 1).
  double sum = 0.0;
  for (double a : x) sum += a;
  d.mean = sum / static_cast<double>(x.size());
  double ss = 0.0;
  for (double a : x) ss += (a - d.mean) * (a - d.mean);
  d.std = x.size() > 1 ? std::sqrt(ss / static_cast<double>(x.size() - 1)) : 0.0;
  std::sort(x.begin(), x.end());
  // Linear interpolation between order statistics (type 7, as numpy's default).
  auto q = [&x](double p) {
    const double h = p * static_cast<double>(x.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, x.size() - 1);
    return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
  };
  d.min = x.front();
  d.max = x.back();
  d.p01 = q(0.01);
  d.p05 = q(0.05);
  d.p50 = q(0.50);
  d.p95 = q(0.95);
  d.p99 = q(0.99);
  return d;
}

const char* quantity_unit_name(VariedQuantity q) {
  switch (q) {
    case VariedQuantity::positive_loading: return "Positive electrode loading [kg.m-2]";
    case VariedQuantity::positive_porosity: return "Positive electrode porosity";
    case VariedQuantity::separator_thickness: return "Separator thickness [m]";
    case VariedQuantity::negative_loading: return "Negative electrode loading [kg.m-2]";
    case VariedQuantity::negative_porosity: return "Negative electrode porosity";
  }
  return "?";
}

}  // namespace

VariabilitySpec read_variability_toml(const toml::table& doc, const std::string& file) {
  VariabilitySpec s;
  s.file = file;
  TomlTable root(doc, file, "");
  const auto head = root.table("study");
  s.name = head.string("name");
  s.description = head.optional_string("description").value_or("");
  s.chemistry = head.choice("chemistry", {"solid-state", "liquid"});
  s.line = head.optional_string("line").value_or("");
  s.source = head.string("source");
  head.reject_unknown_keys();

  const auto h = root.table("hierarchy");
  s.rolls_per_lot = static_cast<int>(h.integer("rolls_per_lot", 1, 1000000));
  s.cells_per_roll = static_cast<int>(h.integer("cells_per_roll", 1, 100000000));
  s.hierarchy_source = h.string("source");
  h.reject_unknown_keys();

  const auto sc = root.table("scatter");
  for (const auto& key : sc.keys()) {
    const auto* q = std::find_if(std::begin(all_quantities), std::end(all_quantities), [&](VariedQuantity v) { return key == to_string(v); });
    if (q == std::end(all_quantities))
      sc.fail(key, "", "unknown quantity; known: positive_loading, positive_porosity, separator_thickness, negative_loading, negative_porosity");
    const auto t = sc.table(key);
    QuantityScatter qs;
    qs.quantity = *q;
    for (int l = 0; l < level_count; ++l) qs.cv[l] = cv_percent(t, std::string(to_string(static_cast<Level>(l))) + "_cv_percent");
    qs.source = t.string("source");
    t.reject_unknown_keys();
    s.scatter.push_back(std::move(qs));
  }
  if (s.scatter.empty()) root.fail("scatter", "", "at least one varied quantity is required");
  sc.reject_unknown_keys();

  const auto g = root.table("grading");
  s.grading.capacity_min = g.number("capacity_min_percent", Range{-50.0, 0.0}) / 100.0;
  s.grading.resistance_max = g.number("resistance_max_percent", Range{0.0, 200.0}) / 100.0;
  s.grading.source = g.string("source");
  if (const auto* bins = g.node("bin")) {
    if (!bins->is_array_of_tables()) g.fail("bin", "", "must be [[grading.bin]] tables");
    const auto& arr = *bins->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto& tbl = *arr.get(i)->as_table();
      auto name = tbl["name"].value<std::string>();
      TomlTable t(tbl, file, name ? "grading.bin." + *name : fmt::format("grading.bin[{}]", i));
      GradingBin b;
      b.name = t.string("name");
      if (b.name == "unbinned" || b.name == "out_of_spec") t.fail("name", "\"" + b.name + "\"", "reserved for cells outside every bin");
      for (const auto& other : s.grading.bins)
        if (other.name == b.name) t.fail("name", "\"" + b.name + "\"", "bin names must be unique");
      std::tie(b.capacity_low, b.capacity_high) = percent_window(t, "capacity_percent");
      std::tie(b.resistance_low, b.resistance_high) = percent_window(t, "resistance_percent");
      t.reject_unknown_keys();
      s.grading.bins.push_back(std::move(b));
    }
  } else {
    g.accept("bin");
  }
  g.reject_unknown_keys();
  root.reject_unknown_keys();
  return s;
}

VariabilitySpec load_variability(const std::string& name_or_path) {
  const std::string file = builtin_or_given_file(name_or_path, "variability", "scatter").string();
  return read_variability_toml(io::load_toml_file(file), file);
}

std::vector<std::string> builtin_variability_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(builtin_data_dir() / "variability", ec))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string default_variability_for(const cell::Cell& cell) {
  for (const auto& n : builtin_variability_names())
    if (load_variability(n).chemistry == cell.chemistry) return n;
  throw InputError(InputLocation{"", 0, "scatter"}, cell.chemistry, "no built-in scatter file for this chemistry; give one with --scatter");
}

int sheets_per_cell(const cell::Cell& cell) {
  if (const auto* p = std::get_if<cell::PouchFormat>(&cell.format)) return std::max(1, p->unit_cells);
  return 1;
}

double layered_relative_variance(const QuantityScatter& q, int sheets) {
  double v = 0.0;
  for (int l = 0; l < level_count; ++l) {
    const double s2 = q.cv[l].value * q.cv[l].value;
    v += static_cast<Level>(l) == Level::sheet ? s2 / sheets : s2;
  }
  return v;
}

double mean_relative_variance(const QuantityScatter& q, int sheets, const VariabilitySpec& spec, std::size_t n) {
  // Each shared draw enters the mean with weight (cells sharing it / n): sum of squared weights per level.
  auto grouped = [n](std::size_t group) {
    double s = 0.0;
    for (std::size_t start = 0; start < n; start += group) {
      const double k = static_cast<double>(std::min(group, n - start));
      s += k * k;
    }
    return s / (static_cast<double>(n) * static_cast<double>(n));
  };
  const std::size_t roll = static_cast<std::size_t>(spec.cells_per_roll);
  const std::size_t lot = roll * static_cast<std::size_t>(spec.rolls_per_lot);
  const auto sq = [&q](Level l) { return q.cv[static_cast<int>(l)].value * q.cv[static_cast<int>(l)].value; };
  return sq(Level::lot) * grouped(lot) + sq(Level::roll) * grouped(roll) +
         (sq(Level::sheet) / sheets + sq(Level::cell)) / static_cast<double>(n);
}

std::vector<std::vector<double>> sample_relative_deviations(const VariabilitySpec& spec, int sheets, std::size_t first, std::size_t n,
                                                            std::uint64_t seed) {
  std::vector<std::vector<double>> out(spec.scatter.size(), std::vector<double>(n));
  const auto per_roll = static_cast<std::uint64_t>(spec.cells_per_roll);
  const auto per_lot = per_roll * static_cast<std::uint64_t>(spec.rolls_per_lot);
  const double sheet_scale = 1.0 / std::sqrt(static_cast<double>(sheets));
  for (std::size_t k = 0; k < spec.scatter.size(); ++k) {
    const auto& q = spec.scatter[k];
    const auto qid = static_cast<std::uint64_t>(q.quantity);  // keyed by quantity, not position in the file
    const double s_lot = q.cv[0].value, s_roll = q.cv[1].value, s_sheet = q.cv[2].value * sheet_scale, s_cell = q.cv[3].value;
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t i = first + j;
      double d = 0.0;
      if (s_lot > 0) d += s_lot * standard_normal(seed, qid, 0, i / per_lot);
      if (s_roll > 0) d += s_roll * standard_normal(seed, qid, 1, i / per_roll);
      if (s_sheet > 0) d += s_sheet * standard_normal(seed, qid, 2, i);  // the mean of the cell's sheets
      if (s_cell > 0) d += s_cell * standard_normal(seed, qid, 3, i);
      out[k][j] = d;
    }
  }
  return out;
}

int grade(const GradingSpec& spec, double dc, double dr) {
  const int n = static_cast<int>(spec.bins.size());
  if (!(dc >= spec.capacity_min) || !(dr <= spec.resistance_max)) return n + 1;  // NaN fails too
  for (int b = 0; b < n; ++b) {
    const auto& w = spec.bins[static_cast<std::size_t>(b)];
    if (dc >= w.capacity_low && dc <= w.capacity_high && dr >= w.resistance_low && dr <= w.resistance_high) return b;
  }
  return n;
}

VariabilityResult run_variability(const cell::Cell& cell, const VariabilitySpec& spec, const VariabilityOptions& options,
                                  const std::string& cell_file) {
  const auto t0 = std::chrono::steady_clock::now();
  const InputLocation where_spec{spec.file, 0, "study.chemistry"};
  if (spec.chemistry != cell.chemistry)
    throw InputError(where_spec, spec.chemistry, fmt::format("the scatter is for {} cells; cell {} is {}", spec.chemistry, cell.name, cell.chemistry));
  if (options.cells < 1 || options.cells > 100000000)
    throw InputError(InputLocation{"", 0, "cells"}, std::to_string(options.cells), "allowed range [1, 100000000]");
  if (options.electrochemistry == Electrochemistry::surrogate && options.validation_runs < 1)
    throw InputError(InputLocation{"", 0, "validation_runs"}, std::to_string(options.validation_runs), "a surrogate is checked against at least 1 real run");
  const int threads = options.threads > 0 ? options.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));

  Study st;
  st.cell = &cell;
  st.positive_rho = cell::solid_density_kg_per_m3(cell.positive, cell);
  if (!(st.positive_rho > 0)) throw InputError(InputLocation{cell_file, 0, "positive.mass_fractions"}, "", "every solid needs a density for the loading");
  if (cell.negative.composite) st.negative_rho = cell::solid_density_kg_per_m3(*cell.negative.composite, cell);
  for (const auto& q : spec.scatter) {
    const bool negative = q.quantity == VariedQuantity::negative_loading || q.quantity == VariedQuantity::negative_porosity;
    if (negative && (cell.negative.kind != cell::NegativeKind::composite || !(st.negative_rho > 0)))
      throw InputError(InputLocation{spec.file, 0, std::string("scatter.") + to_string(q.quantity)}, "",
                       fmt::format("cell {} has no composite negative electrode to vary", cell.name));
    st.quantities.push_back(q.quantity);
    st.nominal.push_back(nominal_value(cell, q.quantity));
  }
  const int sheets = sheets_per_cell(cell);
  for (const auto& q : spec.scatter) st.sigma.push_back(std::sqrt(layered_relative_variance(q, sheets)));

  VariabilityResult r;
  r.cell_name = cell.name;
  r.spec_name = spec.name;
  r.model = options.model;
  r.electrochemistry = options.electrochemistry;
  r.cells = options.cells;
  r.seed = options.seed;
  r.threads = threads;
  r.sheets_per_cell = sheets;
  r.capacity_definition = "discharge capacity of a 1C constant-current discharge (the rated capacity's current, the same for every cell) "
                          "from 100 % SOC to the lower cut-off, isothermal at 25 C";
  r.resistance_definition = "voltage drop 10 s into a 1C discharge pulse from 50 % SOC after 1 s of rest, divided by the 1C current, "
                            "isothermal at 25 C (as abuse::cell_inventory's pulse resistance)";
  r.quantities = st.quantities;

  // --- sampling ---------------------------------------------------------------------------------
  const std::size_t n = options.cells, nq = st.quantities.size();
  const auto dev = sample_relative_deviations(spec, sheets, 0, n, options.seed);
  r.values.assign(nq, std::vector<double>(n));
  for (std::size_t k = 0; k < nq; ++k) {
    const bool porosity = st.quantities[k] == VariedQuantity::positive_porosity || st.quantities[k] == VariedQuantity::negative_porosity;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = st.nominal[k] * (1.0 + dev[k][i]);
      if (!(v > 0.0) || (porosity && v >= 0.95))
        throw InputError(InputLocation{spec.file, 0, std::string("scatter.") + to_string(st.quantities[k])}, io::format_number(v),
                         fmt::format("cell {} drew a value outside the physical range; the scatter is too wide for the nominal {}", i,
                                     io::format_number(st.nominal[k])));
      r.values[k][i] = v;
    }
  }
  r.lot.resize(n);
  r.roll.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    r.roll[i] = static_cast<int>(i / static_cast<std::size_t>(spec.cells_per_roll));
    r.lot[i] = r.roll[i] / spec.rolls_per_lot;
  }
  for (std::size_t k = 0; k < nq; ++k) {
    LevelVariance lv;
    lv.quantity = st.quantities[k];
    for (int l = 0; l < level_count; ++l) {
      const double s = spec.scatter[k].cv[l].value;
      lv.level[l] = static_cast<Level>(l) == Level::sheet ? s * s / sheets : s * s;
    }
    lv.total = layered_relative_variance(spec.scatter[k], sheets);
    double m = 0.0, ss = 0.0;
    for (double d : dev[k]) m += d;
    m /= static_cast<double>(n);
    for (double d : dev[k]) ss += (d - m) * (d - m);
    lv.sampled = n > 1 ? ss / static_cast<double>(n - 1) : 0.0;
    r.variance.push_back(lv);
  }

  // --- design figures per cell -----------------------------------------------------------------------
  r.nominal = cell::compute_design(cell, cell_file);
  r.positive_thickness_m.resize(n);
  r.design_capacity_Ah.resize(n);
  r.energy_Wh.resize(n);
  r.specific_energy_Wh_per_kg.resize(n);
  r.mass_kg.resize(n);
  {
    std::vector<cell::Cell> copies(static_cast<std::size_t>(threads), design_copy(cell));
    parallel_for(n, threads, "design figures", options, [&](int w, std::size_t i) {
      std::vector<double> v(nq);
      for (std::size_t k = 0; k < nq; ++k) v[k] = r.values[k][i];
      const auto s = st.state(v.data());
      auto& c = copies[static_cast<std::size_t>(w)];
      st.apply(c, s);
      const auto f = cell::compute_design(c, cell_file);
      r.positive_thickness_m[i] = s.positive_thickness;
      r.design_capacity_Ah[i] = f.capacity_Ah;
      r.energy_Wh[i] = f.energy_Wh;
      r.specific_energy_Wh_per_kg[i] = f.specific_energy_Wh_per_kg;
      r.mass_kg[i] = f.mass_kg;
    });
  }

  // --- electrochemistry ------------------------------------------------------------------------------
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.model_capacity_Ah.assign(n, nan);
  r.resistance_ohm.assign(n, nan);
  if (options.electrochemistry != Electrochemistry::none) {
    auto base = electrochem::model_parameters(cell, cell_file);
    base.thermal.reset();  // isothermal, as the definitions say
    // Real runs of a list of value vectors (one per case), on the threads; each worker builds one model.
    auto real_runs = [&](const std::vector<std::vector<double>>& cases, const std::string& stage) {
      std::vector<std::pair<double, double>> out(cases.size(), {nan, nan});
      std::vector<std::unique_ptr<RealRunner>> runners(static_cast<std::size_t>(threads));
      std::vector<cell::Cell> copies(static_cast<std::size_t>(threads), cell);
      parallel_for(cases.size(), std::min<int>(threads, static_cast<int>(std::max<std::size_t>(1, cases.size()))), stage, options,
                   [&](int w, std::size_t i) {
                     auto& runner = runners[static_cast<std::size_t>(w)];
                     if (!runner) runner = std::make_unique<RealRunner>(base, options.model, options.relative_tolerance, cell_file);
                     auto& c = copies[static_cast<std::size_t>(w)];
                     st.apply(c, st.state(cases[i].data()));
                     out[i] = runner->run(c);
                   });
      return out;
    };
    const auto reference = real_runs({st.nominal}, "reference cell");
    r.reference_capacity_Ah = reference[0].first;
    r.reference_resistance_ohm = reference[0].second;
    if (!std::isfinite(r.reference_capacity_Ah) || !std::isfinite(r.reference_resistance_ohm))
      throw std::runtime_error(fmt::format("the {} model failed on the nominal cell {}", options.model, cell.name));

    if (options.electrochemistry == Electrochemistry::per_cell) {
      std::vector<std::vector<double>> cases(n, std::vector<double>(nq));
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < nq; ++k) cases[i][k] = r.values[k][i];
      const auto out = real_runs(cases, "real model per cell");
      std::size_t failed = 0;
      for (std::size_t i = 0; i < n; ++i) {
        r.model_capacity_Ah[i] = out[i].first;
        r.resistance_ohm[i] = out[i].second;
        failed += !std::isfinite(out[i].first) || !std::isfinite(out[i].second);
      }
      if (failed * 10 > n) throw std::runtime_error(fmt::format("{} of {} real runs failed", failed, n));
    } else {
      // Standardised coordinates z = relative deviation / total sigma, over the quantities that vary at all.
      std::vector<std::size_t> active;
      for (std::size_t k = 0; k < nq; ++k)
        if (st.sigma[k] > 0.0) active.push_back(k);
      const std::size_t d = active.size(), terms = QuadraticSurface::term_count(d);
      const int fit_runs = options.fit_runs > 0 ? options.fit_runs : static_cast<int>(std::max(30.0, std::ceil(options.fit_runs_per_term * static_cast<double>(terms))));
      if (static_cast<std::size_t>(fit_runs) < terms + 1)
        throw InputError(InputLocation{"", 0, "fit_runs"}, std::to_string(fit_runs), fmt::format("at least {} for {} varied quantities", terms + 1, d));
      // Latin hypercube over +-box sigma (centre point first), from the study's seed.
      std::mt19937_64 rng(mix(options.seed ^ 0x5eedf17ULL));
      std::uniform_real_distribution<double> u(0.0, 1.0);
      std::vector<std::vector<double>> z(static_cast<std::size_t>(fit_runs), std::vector<double>(d, 0.0));
      for (std::size_t j = 0; j < d; ++j) {
        std::vector<std::size_t> perm(static_cast<std::size_t>(fit_runs - 1));
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        for (std::size_t p = 0; p < perm.size(); ++p)
          z[p + 1][j] = options.design_box * (2.0 * (static_cast<double>(perm[p]) + u(rng)) / static_cast<double>(perm.size()) - 1.0);
      }
      auto values_at = [&](const std::vector<double>& zz) {
        std::vector<double> v(st.nominal);
        for (std::size_t j = 0; j < d; ++j) v[active[j]] = st.nominal[active[j]] * (1.0 + st.sigma[active[j]] * zz[j]);
        return v;
      };
      std::vector<std::vector<double>> cases;
      for (const auto& zz : z) cases.push_back(values_at(zz));
      // Held-out validation: sampled cells spread evenly over the study.
      const std::size_t nv = std::min<std::size_t>(static_cast<std::size_t>(options.validation_runs), n);
      std::vector<std::size_t> held;
      for (std::size_t k = 0; k < nv; ++k) held.push_back(k * n / nv);
      for (auto i : held) {
        std::vector<double> v(nq);
        for (std::size_t k = 0; k < nq; ++k) v[k] = r.values[k][i];
        cases.push_back(v);
      }
      const auto tr = std::chrono::steady_clock::now();
      const auto out = real_runs(cases, "real model runs for the surrogate");
      SurrogateCheck chk;
      chk.real_run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - tr).count();
      for (auto k : active) chk.variables.push_back(to_string(st.quantities[k]));
      chk.terms = terms;
      std::vector<std::vector<double>> fz;
      std::vector<double> fc, fr;
      for (std::size_t c = 0; c < z.size(); ++c) {
        if (!std::isfinite(out[c].first) || !std::isfinite(out[c].second)) {
          ++chk.failed_runs;
          continue;
        }
        fz.push_back(z[c]);
        fc.push_back(out[c].first);
        fr.push_back(out[c].second);
      }
      chk.fit_runs = static_cast<int>(fz.size());
      if (chk.failed_runs * 10 > fit_runs || fz.size() < terms)
        throw std::runtime_error(fmt::format("{} of {} real runs of the surrogate design failed", chk.failed_runs, fit_runs));
      const auto cap = QuadraticSurface::fit(fz, fc);
      const auto res = QuadraticSurface::fit(fz, fr);
      chk.capacity_fit_rms = cap.rms_residual() / r.reference_capacity_Ah;
      chk.resistance_fit_rms = res.rms_residual() / r.reference_resistance_ohm;
      auto z_of = [&](std::size_t i, double* zz) {
        for (std::size_t j = 0; j < d; ++j) zz[j] = (r.values[active[j]][i] / st.nominal[active[j]] - 1.0) / st.sigma[active[j]];
      };
      for (std::size_t i = 0; i < n; ++i) {
        double zz[8] = {0};
        z_of(i, zz);
        r.model_capacity_Ah[i] = cap(zz);
        r.resistance_ohm[i] = res(zz);
      }
      double sc = 0.0, sr = 0.0;
      int valid = 0;
      for (std::size_t k = 0; k < held.size(); ++k) {
        const auto& o = out[z.size() + k];
        if (!std::isfinite(o.first) || !std::isfinite(o.second)) {
          ++chk.failed_runs;
          continue;
        }
        const double ec = std::abs(r.model_capacity_Ah[held[k]] - o.first) / o.first;
        const double er = std::abs(r.resistance_ohm[held[k]] - o.second) / o.second;
        sc += ec * ec;
        sr += er * er;
        chk.capacity_validation_max = std::max(chk.capacity_validation_max, ec);
        chk.resistance_validation_max = std::max(chk.resistance_validation_max, er);
        ++valid;
      }
      chk.validation_runs = valid;
      if (valid == 0) throw std::runtime_error("every held-out real run of the surrogate check failed");
      chk.capacity_validation_rms = std::sqrt(sc / valid);
      chk.resistance_validation_rms = std::sqrt(sr / valid);
      r.surrogate = chk;
    }
  }

  // --- grading and statistics ---------------------------------------------------------------------------
  const auto& g = spec.grading;
  for (const auto& b : g.bins) r.bin_names.push_back(b.name);
  r.bin_names.push_back("unbinned");
  r.bin_names.push_back("out_of_spec");
  r.bin_counts.assign(r.bin_names.size(), 0);
  r.bin.assign(n, static_cast<int>(g.bins.size()) + 1);
  std::size_t cap_ok = 0, res_ok = 0;
  if (options.electrochemistry != Electrochemistry::none) {
    for (std::size_t i = 0; i < n; ++i) {
      const double dc = r.model_capacity_Ah[i] / r.reference_capacity_Ah - 1.0;
      const double dr = r.resistance_ohm[i] / r.reference_resistance_ohm - 1.0;
      r.bin[i] = grade(g, dc, dr);
      cap_ok += dc >= g.capacity_min;
      res_ok += dr <= g.resistance_max;
    }
  }
  for (int b : r.bin) ++r.bin_counts[static_cast<std::size_t>(b)];
  const double N = static_cast<double>(n);
  r.yield = 1.0 - static_cast<double>(r.bin_counts.back()) / N;
  r.yield_capacity = static_cast<double>(cap_ok) / N;
  r.yield_resistance = static_cast<double>(res_ok) / N;
  if (options.electrochemistry == Electrochemistry::none) r.yield = r.yield_capacity = r.yield_resistance = nan;

  for (std::size_t k = 0; k < nq; ++k)
    r.distributions.push_back(distribution(quantity_unit_name(st.quantities[k]), to_string(st.quantities[k]), r.values[k]));
  r.distributions.push_back(distribution("Positive electrode thickness [m]", "positive_thickness_m", r.positive_thickness_m));
  r.distributions.push_back(distribution("Design capacity [A.h]", "design_capacity_Ah", r.design_capacity_Ah));
  r.distributions.push_back(distribution("Design energy [W.h]", "energy_Wh", r.energy_Wh));
  r.distributions.push_back(distribution("Specific energy [W.h.kg-1]", "specific_energy_Wh_per_kg", r.specific_energy_Wh_per_kg));
  r.distributions.push_back(distribution("Mass [kg]", "mass_kg", r.mass_kg));
  if (options.electrochemistry != Electrochemistry::none) {
    r.distributions.push_back(distribution("Model capacity [A.h]", "model_capacity_Ah", r.model_capacity_Ah));
    r.distributions.push_back(distribution("1C resistance [Ohm]", "resistance_ohm", r.resistance_ohm));
  }
  r.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::json variability_summary_json(const VariabilityResult& r) {
  nlohmann::json dist = nlohmann::json::object();
  for (const auto& d : r.distributions)
    dist[d.key] = {{"name", d.name}, {"count", d.count}, {"mean", d.mean}, {"std", d.std}, {"cv", d.mean != 0 ? d.std / d.mean : 0.0},
                   {"min", d.min}, {"p01", d.p01}, {"p05", d.p05}, {"p50", d.p50}, {"p95", d.p95}, {"p99", d.p99}, {"max", d.max}};
  nlohmann::json bins = nlohmann::json::array();
  for (std::size_t b = 0; b < r.bin_names.size(); ++b)
    bins.push_back({{"name", r.bin_names[b]}, {"count", r.bin_counts[b]}, {"share", static_cast<double>(r.bin_counts[b]) / static_cast<double>(r.cells)}});
  nlohmann::json var = nlohmann::json::array();
  for (const auto& v : r.variance)
    var.push_back({{"quantity", to_string(v.quantity)},
                   {"lot", v.level[0]},
                   {"roll", v.level[1]},
                   {"sheet", v.level[2]},
                   {"cell", v.level[3]},
                   {"total", v.total},
                   {"sampled", v.sampled}});
  auto finite_or_null = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  nlohmann::json j{
      {"cell", r.cell_name},
      {"scatter", r.spec_name},
      {"cells", r.cells},
      {"seed", r.seed},
      {"threads", r.threads},
      {"model", r.model},
      {"electrochemistry", to_string(r.electrochemistry)},
      {"sheets_per_cell", r.sheets_per_cell},
      {"capacity_definition", r.capacity_definition},
      {"resistance_definition", r.resistance_definition},
      {"nominal", {{"design_capacity_Ah", r.nominal.capacity_Ah}, {"energy_Wh", r.nominal.energy_Wh},
                   {"specific_energy_Wh_per_kg", r.nominal.specific_energy_Wh_per_kg},
                   {"model_capacity_Ah", finite_or_null(r.reference_capacity_Ah)},
                   {"resistance_ohm", finite_or_null(r.reference_resistance_ohm)}}},
      {"distributions", dist},
      {"bins", bins},
      {"yield", finite_or_null(r.yield)},
      {"yield_capacity", finite_or_null(r.yield_capacity)},
      {"yield_resistance", finite_or_null(r.yield_resistance)},
      {"relative_variance", var},
      {"elapsed_s", r.elapsed_s},
  };
  if (r.surrogate) {
    const auto& s = *r.surrogate;
    j["surrogate"] = {{"variables", s.variables},
                      {"terms", s.terms},
                      {"fit_runs", s.fit_runs},
                      {"validation_runs", s.validation_runs},
                      {"failed_runs", s.failed_runs},
                      {"capacity_fit_rms", s.capacity_fit_rms},
                      {"resistance_fit_rms", s.resistance_fit_rms},
                      {"capacity_validation_rms", s.capacity_validation_rms},
                      {"capacity_validation_max", s.capacity_validation_max},
                      {"resistance_validation_rms", s.resistance_validation_rms},
                      {"resistance_validation_max", s.resistance_validation_max},
                      {"real_run_s", s.real_run_s}};
  }
  return j;
}

std::string variability_cells_csv(const VariabilityResult& r) {
  std::string out = "\"Cell\",\"Lot\",\"Roll\"";
  for (auto q : r.quantities) out += fmt::format(",\"{}\"", quantity_unit_name(q));
  out += ",\"Positive electrode thickness [m]\",\"Design capacity [A.h]\",\"Design energy [W.h]\",\"Specific energy [W.h.kg-1]\","
         "\"Model capacity [A.h]\",\"1C resistance [Ohm]\",\"Bin\"\n";
  fmt::memory_buffer b;
  for (std::size_t i = 0; i < r.cells; ++i) {
    fmt::format_to(std::back_inserter(b), "{},{},{}", i, r.lot[i], r.roll[i]);
    for (const auto& v : r.values) fmt::format_to(std::back_inserter(b), ",{:.9g}", v[i]);
    fmt::format_to(std::back_inserter(b), ",{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{}\n", r.positive_thickness_m[i], r.design_capacity_Ah[i],
                   r.energy_Wh[i], r.specific_energy_Wh_per_kg[i], r.model_capacity_Ah[i], r.resistance_ohm[i],
                   r.bin_names[static_cast<std::size_t>(r.bin[i])]);
  }
  return out + fmt::to_string(b);
}

}  // namespace solidcell::production
