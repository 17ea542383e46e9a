// The pilot line and manufacturing variability, as `solidcell line` and `solidcell variability` run them.
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/production/capacity_planning.hpp"
#include "solidcell/production/cost_model.hpp"
#include "solidcell/production/line.hpp"
#include "solidcell/production/line_run.hpp"
#include "solidcell/production/line_summary.hpp"
#include "solidcell/production/variability.hpp"

namespace solidcell::python {

namespace {

py::object run_line(const std::string& line_name, const std::string& period, std::uint64_t seed, std::optional<double> target_gwh,
                    std::optional<double> electricity_price) {
  nlohmann::json j;
  {
    py::gil_scoped_release release;
    auto line = production::load_line(line_name);
    if (target_gwh && !(std::isfinite(*target_gwh) && *target_gwh > 0.0 && *target_gwh <= 1e4))
      throw InputError(InputLocation{"", 0, "target_gwh"}, std::to_string(*target_gwh), "allowed range (0, 10000] GWh per year");
    if (electricity_price && !(std::isfinite(*electricity_price) && *electricity_price >= 0.0 && *electricity_price <= 1e4))
      throw InputError(InputLocation{"", 0, "electricity_price"}, std::to_string(*electricity_price), "allowed range [0, 10000] CNY/MWh");
    std::optional<production::CapacityPlan> plan;
    if (target_gwh) {
      production::PlanOptions po;
      po.seed = seed;
      plan = production::plan_capacity(line, *target_gwh, po);
      line = plan->line;
    }
    production::LineRunOptions ro;
    ro.period_s = production::parse_period_s(period, line, "period");
    ro.seed = seed;
    const auto sim = production::run_line(line, ro);
    production::CostOptions co;
    co.electricity_price_CNY_per_MWh = electricity_price;
    const auto cost = production::cost_per_kWh(line, production::annual_volume(line, sim), co);
    j = production::line_summary_json(line, sim, cost, plan ? &*plan : nullptr);
    j["seed"] = seed;
  }
  return to_python(j);
}

// The result with its JSON summary computed once: the summary, the per-cell columns and the bins are what
// pickling keeps (the distributions and variance split live on in the summary).
struct VariabilityHandle {
  std::shared_ptr<production::VariabilityResult> result;
  nlohmann::json summary;
};

using Column = std::vector<double> production::VariabilityResult::*;
const std::vector<std::pair<const char*, Column>>& variability_columns() {
  using R = production::VariabilityResult;
  static const std::vector<std::pair<const char*, Column>> c{
      {"design_capacity_Ah", &R::design_capacity_Ah}, {"energy_Wh", &R::energy_Wh},         {"specific_energy_Wh_per_kg", &R::specific_energy_Wh_per_kg},
      {"mass_kg", &R::mass_kg},                       {"model_capacity_Ah", &R::model_capacity_Ah}, {"resistance_ohm", &R::resistance_ohm},
      {"positive_thickness_m", &R::positive_thickness_m},
  };
  return c;
}

VariabilityHandle run_variability(const CellHandle& cell, std::size_t n, std::uint64_t seed, const std::string& scatter, const std::string& model,
                                  int threads, bool per_cell) {
  if (n < 1 || n > 10000000) throw InputError(InputLocation{"", 0, "n"}, std::to_string(n), "allowed range [1, 10000000]");
  if (threads < 0 || threads > 256) throw InputError(InputLocation{"", 0, "threads"}, std::to_string(threads), "allowed range [0, 256] (0: all cores)");
  VariabilityHandle h;
  py::gil_scoped_release release;
  const auto spec = production::load_variability(scatter.empty() ? production::default_variability_for(*cell.cell) : scatter);
  production::VariabilityOptions o;
  o.cells = n;
  o.seed = seed;
  o.threads = threads;
  o.model = model;
  o.electrochemistry = per_cell ? production::Electrochemistry::per_cell : production::Electrochemistry::surrogate;
  h.result = std::make_shared<production::VariabilityResult>(production::run_variability(*cell.cell, spec, o, cell.origin));
  h.summary = production::variability_summary_json(*h.result);
  return h;
}

}  // namespace

void bind_production(py::module_& m) {
  m.def("line", &run_line, py::arg("line") = "sulfide-assb-pilot", py::kw_only(), py::arg("period") = "1y", py::arg("seed") = 1,
        py::arg("target_gwh") = py::none(), py::arg("electricity_price_CNY_per_MWh") = py::none(),
        "Simulates a production line (built-in name or file) for a period: output, bottleneck, OEE, yield and cost per kWh, as a dict");

  using R = production::VariabilityResult;
  auto variability = py::class_<VariabilityHandle>(m, "Variability", "Sampled cells of a line: design figures, model capacity and resistance, bins");
  variability
      .def("summary", [](const VariabilityHandle& h) { return to_python(h.summary); })
      .def_property_readonly("cells", [](const VariabilityHandle& h) { return h.result->cells; })
      .def_property_readonly("yield_", [](const VariabilityHandle& h) { return h.result->yield; }, "share of cells in specification")
      .def_property_readonly("bin", [](const VariabilityHandle& h) {
        return py::array_t<int>(static_cast<py::ssize_t>(h.result->bin.size()), h.result->bin.data());
      }, "index into bin_names per cell")
      .def_property_readonly("bin_names", [](const VariabilityHandle& h) { return h.result->bin_names; })
      .def("__repr__", [](const VariabilityHandle& h) {
        const R& r = *h.result;
        return "<solidcell.Variability " + r.cell_name + ": " + std::to_string(r.cells) + " cells, yield " + std::to_string(r.yield) + ">";
      })
      .def(py::pickle(
          [](const VariabilityHandle& h) {
            py::dict columns;
            for (const auto& [name, member] : variability_columns()) columns[name] = py::cast((*h.result).*member);
            const R& r = *h.result;
            return py::make_tuple(h.summary.dump(), columns, py::cast(r.bin), py::cast(r.bin_names), r.cell_name, r.cells, r.yield);
          },
          [](const py::tuple& t) {
            VariabilityHandle h;
            h.summary = nlohmann::json::parse(t[0].cast<std::string>());
            h.result = std::make_shared<R>();
            auto columns = t[1].cast<py::dict>();
            for (const auto& [name, member] : variability_columns()) (*h.result).*member = columns[name].cast<std::vector<double>>();
            h.result->bin = t[2].cast<std::vector<int>>();
            h.result->bin_names = t[3].cast<std::vector<std::string>>();
            h.result->cell_name = t[4].cast<std::string>();
            h.result->cells = t[5].cast<std::size_t>();
            h.result->yield = t[6].cast<double>();
            return h;
          }));
  for (const auto& [name, member] : variability_columns()) {
    const Column m_ = member;
    variability.def_property_readonly(name, [m_](const VariabilityHandle& h) { return array_view(h.result, (*h.result).*m_); });
  }

  m.def("variability", &run_variability, py::arg("cell"), py::kw_only(), py::arg("n") = 1000, py::arg("seed") = 1, py::arg("scatter") = "",
        py::arg("model") = "dfn", py::arg("threads") = 0, py::arg("per_cell") = false,
        "Samples n cells of a line's scatter (lot, roll, sheet, cell) and grades them (the built-in scatter for the cell's chemistry by default)");
}

}  // namespace solidcell::python
