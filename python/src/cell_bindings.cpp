// Cells: load a built-in cell or a file, inspect it, its design figures, and its TOML text (which is also how a
// Cell pickles, so it travels to process pools).
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <pybind11/stl.h>
#include <toml++/toml.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/cell_writer.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/materials/material_library.hpp"
#include "solidcell/report/design_json.hpp"

namespace solidcell::python {

CellHandle load_cell_handle(const std::string& name_or_path) {
  std::error_code ec;
  const bool file = std::filesystem::is_regular_file(name_or_path, ec);
  CellHandle h;
  h.cell = std::make_shared<cell::Cell>(cell::load_cell(name_or_path));
  h.origin = file ? name_or_path : cell::builtin_cell_path(name_or_path).string();
  std::ifstream in(h.origin, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  h.text = ss.str();
  return h;
}

CellHandle cell_from_toml(const std::string& text, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw InputError(InputLocation{source, static_cast<int>(e.source().begin.line), ""}, "", std::string(e.description()));
  }
  CellHandle h;
  h.cell = std::make_shared<cell::Cell>(cell::read_cell_toml(doc, source, materials::MaterialLibrary::builtin()));
  h.origin = source;
  h.text = text;
  return h;
}

void bind_cells(py::module_& m) {
  py::class_<CellHandle>(m, "Cell", "A cell design: layer stack, format and materials (read-only; edit its TOML to change it)")
      .def_property_readonly("name", [](const CellHandle& h) { return h.cell->name; })
      .def_property_readonly("chemistry", [](const CellHandle& h) { return h.cell->chemistry; }, "\"solid-state\" or \"liquid\"")
      .def_property_readonly("format", [](const CellHandle& h) { return cell::compute_design(*h.cell, h.origin).format; })
      .def_property_readonly("origin", [](const CellHandle& h) { return h.origin; }, "the file the cell was read from")
      .def(
          "design", [](const CellHandle& h) { return to_python(report::design_to_json(cell::compute_design(*h.cell, h.origin))); },
          "Design figures (capacity, energy, Wh/kg, Wh/L, mass and volume breakdown, N/P, lithium inventory) as a dict, as "
          "`solidcell design --json` prints them")
      // The text the cell was read from when there is one: it keeps every table, comment and source as written.
      .def("to_toml", [](const CellHandle& h) { return h.text.empty() ? cell::write_cell_toml(*h.cell) : h.text; },
           "The cell as a cell file (TOML text): the text it was read from, else the cell writer's")
      .def("__repr__", [](const CellHandle& h) { return "<solidcell.Cell " + h.cell->name + " (" + h.cell->chemistry + ") from " + h.origin + ">"; })
      .def(py::pickle([](const CellHandle& h) { return py::make_tuple(h.text.empty() ? cell::write_cell_toml(*h.cell) : h.text, h.origin); },
                      [](const py::tuple& t) {
                        auto h = cell_from_toml(t[0].cast<std::string>(), t[1].cast<std::string>());
                        return h;
                      }));

  m.def("load_cell", &load_cell_handle, py::arg("name_or_path"),
        "Loads a built-in cell by name (see builtin_cells()) or a cell file (TOML). Bad input raises InputError naming "
        "the file, line, field and allowed range.");
  m.def("cell_from_toml", &cell_from_toml, py::arg("text"), py::arg("source") = "<string>",
        "Reads a cell from cell-file text; `source` names it in error messages.");
  m.def("builtin_cells", &cell::builtin_cell_names, "Names of the built-in cells");
}

}  // namespace solidcell::python
