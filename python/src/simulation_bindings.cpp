// Models and experiments: a model is built once from a cell and re-solved with new inputs (set_input) and
// experiments; a Solution hands its time series to numpy without copying them.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/model_inputs.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/report/solution_files.hpp"

namespace solidcell::python {

namespace {

using experiment::Solution;

// A built model with what it was built from, so that it can be pickled and rebuilt identically.
struct ModelHandle {
  CellHandle cell;
  std::string kind;
  int mesh = 10;
  bool thermal = true;
  std::vector<std::pair<std::string, double>> inputs;  // in the order they were set
  std::unique_ptr<electrochem::BatteryModel> model;
};

ModelHandle make_model_handle(const CellHandle& cell, const std::string& kind, int mesh, bool thermal) {
  if (mesh < 2 || mesh > 200) throw InputError(InputLocation{"", 0, "mesh"}, std::to_string(mesh), "allowed range [2, 200]");
  ModelHandle h;
  h.cell = cell;
  h.kind = kind;
  h.mesh = mesh;
  h.thermal = thermal;
  auto parameters = electrochem::model_parameters(*cell.cell, cell.origin);
  if (!thermal) parameters.thermal.reset();
  h.model = electrochem::make_model(kind, parameters, electrochem::Mesh{mesh, mesh, mesh, mesh});
  return h;
}

void set_model_input(ModelHandle& h, const std::string& name, double value) {
  try {
    h.model->set_input(name, value);
  } catch (const std::invalid_argument& e) {
    throw InputError(InputLocation{"", 0, "input"}, name, e.what());
  }
  h.inputs.emplace_back(name, value);
}

struct RunSettings {
  double soc = 1.0;
  std::optional<double> temperature_C;
  double rtol = 1e-6;
  double atol = 0.0;
  std::string solver = "ida";
};

std::shared_ptr<Solution> run_model(ModelHandle& h, const std::string& experiment_text, const RunSettings& s) {
  if (!(s.soc >= 0.0 && s.soc <= 1.0)) throw InputError(InputLocation{"", 0, "soc"}, std::to_string(s.soc), "allowed range [0, 1]");
  if (s.solver != "ida" && s.solver != "bdf") throw InputError(InputLocation{"", 0, "solver"}, s.solver, "\"ida\" or \"bdf\"");
  if (!(s.rtol >= 1e-12 && s.rtol <= 1e-2)) throw InputError(InputLocation{"", 0, "rtol"}, std::to_string(s.rtol), "allowed range [1e-12, 1e-2]");
  auto steps = experiment::parse_experiment(experiment_text, "experiment");
  experiment::SimulationOptions o;
  o.initial_soc = s.soc;
  if (s.temperature_C) {
    if (!(*s.temperature_C >= -70.0 && *s.temperature_C <= 120.0))
      throw InputError(InputLocation{"", 0, "temperature_C"}, std::to_string(*s.temperature_C), "allowed range [-70, 120] C");
    o.ambient_temperature_K = *s.temperature_C + 273.15;
  }
  o.relative_tolerance = s.rtol;
  o.absolute_tolerance = s.atol;
  o.integrator = s.solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
  std::shared_ptr<Solution> out;
  {
    // Solves run without the GIL: threads of one process can solve different models at once.
    py::gil_scoped_release release;
    out = std::make_shared<Solution>(experiment::run_experiment(*h.model, steps, o));
  }
  return out;
}

// The solution's series by their PyBaMM names (what solution.csv's header says).
const std::vector<std::pair<std::string, std::vector<double> Solution::*>>& series() {
  static const std::vector<std::pair<std::string, std::vector<double> Solution::*>> s{
      {"Time [s]", &Solution::time_s},
      {"Current [A]", &Solution::current_A},
      {"Voltage [V]", &Solution::voltage_V},
      {"Discharge capacity [A.h]", &Solution::discharge_capacity_Ah},
      {"Discharge energy [W.h]", &Solution::discharge_energy_Wh},
      {"Open-circuit voltage [V]", &Solution::open_circuit_voltage_V},
      {"Cell temperature [K]", &Solution::temperature_K},
  };
  return s;
}

py::dict step_dict(const experiment::StepSummary& st) {
  py::dict d;
  d["number"] = st.number;
  d["text"] = st.text;
  d["start_s"] = st.start_s;
  d["end_s"] = st.end_s;
  d["ended_by"] = st.ended_by;
  d["capacity_Ah"] = st.capacity_Ah;
  d["energy_Wh"] = st.energy_Wh;
  return d;
}

py::tuple solution_state(const Solution& s) {
  py::dict arrays;
  for (const auto& [name, member] : series()) arrays[py::str(name)] = py::cast(s.*member);
  py::list steps;
  for (const auto& st : s.steps) steps.append(py::make_tuple(st.number, st.text, st.start_s, st.end_s, st.ended_by, st.capacity_Ah, st.energy_Wh));
  py::list profiles;
  for (const auto& p : s.profiles)
    profiles.append(py::make_tuple(p.x_m, p.electrolyte_concentration, p.electrolyte_potential, p.solid_potential, p.surface_stoichiometry));
  py::object failure = py::none();
  if (s.failure) failure = py::make_tuple(s.failure->time_s, s.failure->step, s.failure->step_text, s.failure->reason);
  return py::make_tuple(s.model, arrays, s.step_number, steps, s.profile_time_s, profiles, failure, s.stopped_early, s.solve_time_s,
                        s.integrator, s.lithium_moles_start, s.lithium_moles_end);
}

std::shared_ptr<Solution> solution_from_state(const py::tuple& t) {
  if (t.size() != 12) throw std::runtime_error("solidcell.Solution: pickled state of another version");
  auto s = std::make_shared<Solution>();
  s->model = t[0].cast<std::string>();
  auto arrays = t[1].cast<py::dict>();
  for (const auto& [name, member] : series()) (*s).*member = arrays[py::str(name)].cast<std::vector<double>>();
  s->step_number = t[2].cast<std::vector<int>>();
  for (auto item : t[3].cast<py::list>()) {
    auto st = item.cast<py::tuple>();
    s->steps.push_back({st[0].cast<int>(), st[1].cast<std::string>(), st[2].cast<double>(), st[3].cast<double>(), st[4].cast<std::string>(),
                        st[5].cast<double>(), st[6].cast<double>()});
  }
  s->profile_time_s = t[4].cast<std::vector<double>>();
  for (auto item : t[5].cast<py::list>()) {
    auto p = item.cast<py::tuple>();
    s->profiles.push_back({p[0].cast<std::vector<double>>(), p[1].cast<std::vector<double>>(), p[2].cast<std::vector<double>>(),
                           p[3].cast<std::vector<double>>(), p[4].cast<std::vector<double>>()});
  }
  if (!t[6].is_none()) {
    auto f = t[6].cast<py::tuple>();
    s->failure = experiment::SolverFailureInfo{f[0].cast<double>(), f[1].cast<int>(), f[2].cast<std::string>(), f[3].cast<std::string>()};
  }
  s->stopped_early = t[7].cast<std::string>();
  s->solve_time_s = t[8].cast<double>();
  s->integrator = t[9].cast<std::string>();
  s->lithium_moles_start = t[10].cast<double>();
  s->lithium_moles_end = t[11].cast<double>();
  return s;
}

}  // namespace

void bind_simulation(py::module_& m) {
  py::class_<Solution, std::shared_ptr<Solution>>(m, "Solution",
                                                    "The result of an experiment: time series (numpy views, no copies), steps, profiles")
      .def("__getitem__",
           [](const std::shared_ptr<Solution>& s, const std::string& name) -> py::object {
             for (const auto& [n, member] : series())
               if (n == name) return array_view(s, (*s).*member);
             std::string known;
             for (const auto& [n, member] : series()) known += (known.empty() ? "" : ", ") + ("\"" + n + "\"");
             throw py::key_error("no variable \"" + name + "\"; the solution has " + known);
           })
      .def("keys",
           [](const Solution&) {
             std::vector<std::string> k;
             for (const auto& [n, member] : series()) k.push_back(n);
             return k;
           })
      .def_property_readonly("time_s", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->time_s); })
      .def_property_readonly("current_A", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->current_A); })
      .def_property_readonly("voltage_V", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->voltage_V); })
      .def_property_readonly("discharge_capacity_Ah", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->discharge_capacity_Ah); })
      .def_property_readonly("discharge_energy_Wh", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->discharge_energy_Wh); })
      .def_property_readonly("open_circuit_voltage_V", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->open_circuit_voltage_V); })
      .def_property_readonly("temperature_K", [](const std::shared_ptr<Solution>& s) { return array_view(s, s->temperature_K); })
      .def_property_readonly("step_number", [](const Solution& s) { return py::array_t<int>(static_cast<py::ssize_t>(s.step_number.size()), s.step_number.data()); })
      .def_property_readonly("model", [](const Solution& s) { return s.model; })
      .def_property_readonly("steps", [](const Solution& s) {
        py::list l;
        for (const auto& st : s.steps) l.append(step_dict(st));
        return l;
      })
      .def_property_readonly("failure", [](const Solution& s) -> py::object {
        if (!s.failure) return py::none();
        py::dict d;
        d["time_s"] = s.failure->time_s;
        d["step"] = s.failure->step;
        d["step_text"] = s.failure->step_text;
        d["reason"] = s.failure->reason;
        return d;
      }, "None, or where and why the solver failed (the series hold everything computed up to there)")
      .def_property_readonly("stopped_early", [](const Solution& s) { return s.stopped_early; })
      .def_property_readonly("solve_time_s", [](const Solution& s) { return s.solve_time_s; })
      .def_property_readonly("lithium_moles", [](const Solution& s) { return py::make_tuple(s.lithium_moles_start, s.lithium_moles_end); },
                             "(at the start, at the end): lithium in the particles and electrolyte")
      .def_property_readonly("profile_times_s", [](const Solution& s) { return s.profile_time_s; })
      .def("profile", [](const Solution& s, int index) {
        if (index < 0) index += static_cast<int>(s.profiles.size());
        if (index < 0 || index >= static_cast<int>(s.profiles.size())) throw py::index_error("no profile " + std::to_string(index));
        const auto& p = s.profiles[static_cast<std::size_t>(index)];
        py::dict d;
        d["x [m]"] = py::array(py::cast(p.x_m));
        d["Electrolyte concentration [mol.m-3]"] = py::array(py::cast(p.electrolyte_concentration));
        d["Electrolyte potential [V]"] = py::array(py::cast(p.electrolyte_potential));
        d["Electrode potential [V]"] = py::array(py::cast(p.solid_potential));
        d["Surface stoichiometry"] = py::array(py::cast(p.surface_stoichiometry));
        return d;
      }, py::arg("index"), "Profiles through the thickness at the end of step `index` (negative counts from the end)")
      .def("summary", [](const Solution& s) { return to_python(report::solution_summary(s)); }, "As `solidcell run --json` prints it")
      .def("__len__", [](const Solution& s) { return s.time_s.size(); })
      .def("__repr__", [](const Solution& s) {
        return "<solidcell.Solution " + s.model + ": " + std::to_string(s.time_s.size()) + " rows, " + std::to_string(s.steps.size()) + " steps" +
               (s.failure ? ", solver failure" : "") + ">";
      })
      .def(py::pickle([](const Solution& s) { return solution_state(s); }, [](const py::tuple& t) { return solution_from_state(t); }));

  py::class_<ModelHandle>(m, "Model", "A cell model (spm, spme or dfn) built once, to be solved many times")
      .def(py::init(&make_model_handle), py::arg("cell"), py::arg("model") = "dfn", py::arg("mesh") = 10, py::arg("thermal") = true)
      .def(py::init([](const std::string& cell, const std::string& kind, int mesh, bool thermal) {
             return make_model_handle(load_cell_handle(cell), kind, mesh, thermal);
           }),
           py::arg("cell"), py::arg("model") = "dfn", py::arg("mesh") = 10, py::arg("thermal") = true)
      .def_property_readonly("name", [](const ModelHandle& h) { return h.model->name(); })
      .def_property_readonly("kind", [](const ModelHandle& h) { return h.kind; })
      .def_property_readonly("cell", [](const ModelHandle& h) { return h.cell; })
      .def_property_readonly("size", [](const ModelHandle& h) { return h.model->size(); }, "number of unknowns")
      .def("input_names", [](const ModelHandle& h) { return h.model->input_names(); }, "Parameters set_input() can change (PyBaMM's names)")
      .def("set_input", &set_model_input, py::arg("name"), py::arg("value"),
           "Changes a parameter without rebuilding the model, e.g. set_input(\"Negative particle radius [m]\", 4e-6)")
      .def("get_input", [](const ModelHandle& h, const std::string& name) {
        if (name == electrochem::ambient_temperature_input) return h.model->temperature();
        try {
          return electrochem::input_value(h.model->parameters(), name);
        } catch (const std::invalid_argument& e) {
          throw InputError(InputLocation{"", 0, "input"}, name, e.what());
        }
      }, py::arg("name"))
      .def(
          "run",
          [](ModelHandle& h, const std::string& experiment_text, double soc, std::optional<double> temperature_C, double rtol, double atol,
             const std::string& solver) { return run_model(h, experiment_text, RunSettings{soc, temperature_C, rtol, atol, solver}); },
          py::arg("experiment"), py::kw_only(), py::arg("soc") = 1.0, py::arg("temperature_C") = py::none(), py::arg("rtol") = 1e-6,
          py::arg("atol") = 0.0, py::arg("solver") = "ida",
          "Runs the experiment (PyBaMM's step language, steps separated by commas or new lines) from rest at `soc`")
      .def("__repr__", [](const ModelHandle& h) { return "<solidcell.Model " + h.model->name() + " of " + h.cell.cell->name + ">"; })
      .def(py::pickle(
          [](const ModelHandle& h) { return py::make_tuple(py::cast(h.cell), h.kind, h.mesh, h.thermal, h.inputs); },
          [](const py::tuple& t) {
            auto h = make_model_handle(t[0].cast<CellHandle>(), t[1].cast<std::string>(), t[2].cast<int>(), t[3].cast<bool>());
            for (const auto& [name, value] : t[4].cast<std::vector<std::pair<std::string, double>>>()) set_model_input(h, name, value);
            return h;
          }));

  m.def("model_names", &electrochem::model_names, "The models make_model knows: spm, spme, dfn");
}

}  // namespace solidcell::python
