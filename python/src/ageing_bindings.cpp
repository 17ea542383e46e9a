// Ageing from Python: N cycles of an experiment with the cell's degradation (SEI growth for liquid cells, the
// solid-state fade for sulfide cells), as `solidcell age` runs it; per-cycle results as numpy arrays.
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/experiment/experiment_parser.hpp"

namespace solidcell::python {

namespace {

// The study's per-cycle columns by name (the names of `solidcell age`'s cycles.csv), and what ended it.
struct AgeingStudy {
  std::string cell, degradation, experiment, stopped;
  int solved_cycles = 0, rejected_jumps = 0;
  std::optional<int> end_of_life_cycle, knee_cycle;
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  std::vector<ageing::AgeingEvent> events;
  double wall_time_s = 0.0;

  const std::vector<double>* column(const std::string& name) const {
    for (const auto& [n, v] : columns)
      if (n == name) return &v;
    return nullptr;
  }
};

std::shared_ptr<AgeingStudy> run_age(const CellHandle& cell, const std::string& experiment_text, int cycles, bool accelerate, double tolerance,
                                     const std::string& sei, int mesh, double soc, double temperature_C, double rtol, const std::string& solver,
                                     bool thermal, std::optional<double> stack_pressure_MPa, const std::string& plating, const std::string& lam) {
  if (cycles < 1 || cycles > 1'000'000) throw InputError(InputLocation{"", 0, "cycles"}, std::to_string(cycles), "allowed range [1, 1000000]");
  if (!(tolerance > 0.0 && tolerance <= 0.1)) throw InputError(InputLocation{"", 0, "tolerance"}, std::to_string(tolerance), "allowed range (0, 0.1]");
  if (solver != "ida" && solver != "bdf") throw InputError(InputLocation{"", 0, "solver"}, solver, "\"ida\" or \"bdf\"");
  auto out = std::make_shared<AgeingStudy>();
  py::gil_scoped_release release;
  const auto steps = experiment::parse_experiment(experiment_text, "experiment");
  ageing::AgeingSetup s;
  s.field_prefix = "";
  s.sei = sei;
  s.plating = plating;
  s.lam = lam;
  s.mesh = mesh;
  s.initial_soc = soc;
  s.ambient_temperature_K = temperature_C + 273.15;
  s.relative_tolerance = rtol;
  s.integrator = solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
  s.thermal = thermal;
  if (stack_pressure_MPa) s.stack_pressure_Pa = *stack_pressure_MPa * 1e6;
  auto aged = ageing::make_ageing_cell(*cell.cell, cell.origin, s);
  ageing::CycleStudyOptions o;
  o.cycles = cycles;
  o.accelerate = accelerate;
  o.tolerance = tolerance;
  const auto r = ageing::run_cycle_study(*aged, steps, o);

  out->cell = cell.cell->name;
  out->degradation = ageing::degradation_description(*aged);
  out->experiment = experiment_text;
  out->stopped = r.stopped;
  out->solved_cycles = r.solved_cycles;
  out->rejected_jumps = r.rejected_jumps;
  out->end_of_life_cycle = r.end_of_life_cycle;
  if (r.knee) out->knee_cycle = r.knee->cycle;
  out->events = r.events;
  out->wall_time_s = r.wall_time_s;
  using C = ageing::CycleSummary;
  const std::vector<std::pair<std::string, double C::*>> fields{
      {"Discharge capacity [A.h]", &C::discharge_capacity_Ah},
      {"Capacity retention", &C::capacity_retention},
      {"Resistance [Ohm]", &C::resistance_ohm},
      {"Resistance growth", &C::resistance_growth},
      {"Cyclable lithium [mol]", &C::lithium_inventory_mol},
      {"Total lithium [mol]", &C::lithium_total_mol},
      {"Loss of lithium to negative SEI [mol]", &C::lithium_lost_to_sei_mol},
      {"Loss of capacity to negative SEI [A.h]", &C::capacity_lost_to_sei_Ah},
      {"X-averaged negative SEI thickness [m]", &C::sei_thickness_m},
      {"Discharge energy [W.h]", &C::discharge_energy_Wh},
      {"Cycle duration [s]", &C::duration_s},
      {"CEI thickness [m]", &C::cei_thickness_m},
      {"Positive contact fraction", &C::contact_fraction},
      {"Lithium contact fraction", &C::lithium_contact_fraction},
      {"Loss of lithium to CEI [mol]", &C::lithium_lost_to_cei_mol},
      {"Loss of lithium to contact loss [mol]", &C::lithium_lost_to_contact_mol},
      {"Loss of lithium to plating inefficiency [mol]", &C::lithium_lost_to_plating_mol},
      {"Negative lithium reservoir [mol]", &C::lithium_reservoir_mol},
      {"Negative plated lithium [mol]", &C::plated_lithium_mol},
      {"Negative dead lithium [mol]", &C::dead_lithium_mol},
      {"Loss of lithium to negative lithium plating [mol]", &C::lithium_lost_to_negative_plating_mol},
      {"Loss of capacity to negative lithium plating [A.h]", &C::capacity_lost_to_negative_plating_Ah},
      {"X-averaged negative electrode active material volume fraction", &C::negative_active_fraction},
      {"X-averaged positive electrode active material volume fraction", &C::positive_active_fraction},
      {"Loss of lithium to active material loss [mol]", &C::lithium_lost_to_active_material_loss_mol},
  };
  out->columns.push_back({"Cycle number", {}});
  out->columns.push_back({"Solved in full", {}});
  for (const auto& [name, member] : fields) out->columns.push_back({name, {}});
  for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m)
    out->columns.push_back({std::string("Share of capacity lost: ") + ageing::to_string(static_cast<ageing::FadeMechanism>(m)), {}});
  for (const auto& c : r.cycles) {
    std::size_t k = 0;
    out->columns[k++].second.push_back(c.cycle);
    out->columns[k++].second.push_back(c.simulated ? 1.0 : 0.0);
    for (const auto& [name, member] : fields) out->columns[k++].second.push_back(c.*member);
    for (std::size_t m = 0; m < ageing::fade_mechanisms; ++m) out->columns[k++].second.push_back(c.capacity_loss_share[m]);
  }
  return out;
}

py::object optional_int(const std::optional<int>& v) { return v ? py::object(py::int_(*v)) : py::object(py::none()); }

}  // namespace

void bind_ageing(py::module_& m) {
  py::class_<AgeingStudy, std::shared_ptr<AgeingStudy>>(m, "AgeingStudy", "Per-cycle capacity, resistance, lithium and fade mechanisms")
      .def("__getitem__",
           [](const std::shared_ptr<AgeingStudy>& s, const std::string& name) {
             if (const auto* v = s->column(name)) return array_view(s, *v);
             throw py::key_error("no column \"" + name + "\"; see keys()");
           })
      .def("keys", [](const AgeingStudy& s) {
        std::vector<std::string> k;
        for (const auto& [n, v] : s.columns) k.push_back(n);
        return k;
      })
      .def_property_readonly("cycle", [](const std::shared_ptr<AgeingStudy>& s) { return array_view(s, *s->column("Cycle number")); })
      .def_property_readonly("capacity_retention", [](const std::shared_ptr<AgeingStudy>& s) { return array_view(s, *s->column("Capacity retention")); })
      .def_property_readonly("resistance_growth", [](const std::shared_ptr<AgeingStudy>& s) { return array_view(s, *s->column("Resistance growth")); })
      .def_property_readonly("cycles_to_80_percent", [](const AgeingStudy& s) { return optional_int(s.end_of_life_cycle); })
      .def_property_readonly("knee_cycle", [](const AgeingStudy& s) { return optional_int(s.knee_cycle); })
      .def_property_readonly("solved_cycles", [](const AgeingStudy& s) { return s.solved_cycles; })
      .def_property_readonly("degradation", [](const AgeingStudy& s) { return s.degradation; })
      .def_property_readonly("stopped", [](const AgeingStudy& s) { return s.stopped; }, "why the study ended early (empty when it did not)")
      .def_property_readonly("events", [](const AgeingStudy& s) {
        py::list l;
        for (const auto& e : s.events) {
          py::dict d;
          d["kind"] = e.kind;
          d["cycle"] = e.cycle;
          d["time_s"] = e.time_s;
          d["step"] = e.step;
          d["current_density_A_per_m2"] = e.current_density_A_per_m2;
          d["critical_current_density_A_per_m2"] = e.critical_current_density_A_per_m2;
          d["stack_pressure_Pa"] = e.stack_pressure_Pa;
          d["temperature_K"] = e.temperature_K;
          l.append(d);
        }
        return l;
      }, "solid-state shorts (current density above the critical one); the study ends at one")
      .def_property_readonly("wall_time_s", [](const AgeingStudy& s) { return s.wall_time_s; })
      .def(py::pickle(
          [](const AgeingStudy& s) {
            py::list events;
            for (const auto& e : s.events)
              events.append(py::make_tuple(e.kind, e.cycle, e.time_s, e.step, e.current_density_A_per_m2, e.critical_current_density_A_per_m2,
                                           e.stack_pressure_Pa, e.temperature_K));
            return py::make_tuple(s.cell, s.degradation, s.experiment, s.stopped, s.solved_cycles, s.rejected_jumps, s.end_of_life_cycle,
                                  s.knee_cycle, s.columns, events, s.wall_time_s);
          },
          [](const py::tuple& t) {
            auto s = std::make_shared<AgeingStudy>();
            s->cell = t[0].cast<std::string>();
            s->degradation = t[1].cast<std::string>();
            s->experiment = t[2].cast<std::string>();
            s->stopped = t[3].cast<std::string>();
            s->solved_cycles = t[4].cast<int>();
            s->rejected_jumps = t[5].cast<int>();
            s->end_of_life_cycle = t[6].cast<std::optional<int>>();
            s->knee_cycle = t[7].cast<std::optional<int>>();
            s->columns = t[8].cast<std::vector<std::pair<std::string, std::vector<double>>>>();
            for (auto item : t[9].cast<py::list>()) {
              auto e = item.cast<py::tuple>();
              s->events.push_back({e[0].cast<std::string>(), e[1].cast<int>(), e[2].cast<double>(), e[3].cast<int>(), e[4].cast<double>(),
                                   e[5].cast<double>(), e[6].cast<double>(), e[7].cast<double>()});
            }
            s->wall_time_s = t[10].cast<double>();
            return s;
          }))
      .def("__repr__", [](const AgeingStudy& s) {
        const auto& ret = *s.column("Capacity retention");
        return "<solidcell.AgeingStudy " + s.cell + " (" + s.degradation + "): " + std::to_string(ret.size()) + " cycles, retention " +
               (ret.empty() ? std::string("-") : std::to_string(ret.back())) + ">";
      });

  m.def("_age", &run_age, py::arg("cell"), py::arg("experiment"), py::arg("cycles"), py::arg("accelerate"), py::arg("tolerance"), py::arg("sei"),
        py::arg("mesh"), py::arg("soc"), py::arg("temperature_C"), py::arg("rtol"), py::arg("solver"), py::arg("thermal"),
        py::arg("stack_pressure_MPa"), py::arg("plating") = "none", py::arg("lam") = "none");
}

}  // namespace solidcell::python
