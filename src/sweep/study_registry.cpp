#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/sweep/study.hpp"
#include "study_parameters.hpp"

namespace solidcell::sweep {

const std::vector<StudyKind>& study_kinds() {
  // One line per study kind; the study itself lives in its own file.
  static const std::vector<StudyKind> kinds{
      {"design", "design figures of a cell with cell-file values varied", make_design_study},
      {"experiment", "a model (spm, spme, dfn) through an experiment, with model inputs, cell-file values and settings varied",
       make_experiment_study},
      {"abuse", "an abuse test (heating, nail, overcharge, crush, short) under a standard, with conditions and cell-file values varied",
       make_abuse_study},
      {"ageing", "a cycling study (`solidcell age`): N cycles of an experiment with the cell's degradation, settings and cell-file values varied",
       make_ageing_study},
      {"vehicle", "a pack in a vehicle along a speed trace (`solidcell drive`), with vehicle, pack and cell-file values varied",
       make_vehicle_study},
  };
  return kinds;
}

std::unique_ptr<Study> make_study(const SweepSpec& spec) {
  const StudyKind* kind = nullptr;
  std::string names;
  for (const auto& k : study_kinds()) {
    if (k.name == spec.study) kind = &k;
    names += (names.empty() ? "" : ", ") + ("\"" + k.name + "\"");
  }
  if (!kind) {
    const auto* t = spec.doc["sweep"].as_table();
    throw InputError(io::TomlTable(*t, spec.file, "sweep").where("study"), "\"" + spec.study + "\"", "one of " + names);
  }
  auto study = kind->make(spec);
  const auto scalars = study->scalar_names();
  for (const auto& s : spec.summary_outputs) {
    bool known = false;
    for (const auto& n : scalars) known = known || n == s;
    if (!known) {
      std::string list;
      for (const auto& n : scalars) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
      throw InputError(spec.where_outputs(), "\"" + s + "\"", fmt::format("a scalar result of the {} study: {}", spec.study, list));
    }
  }
  return study;
}

CaseOutcome run_case_safely(StudyWorker& worker, std::span<const double> values, std::size_t scalar_count) {
  CaseOutcome out;
  try {
    out = worker.run(values);
  } catch (const std::exception& e) {
    out = CaseOutcome{};
    out.failure = e.what();
  }
  if (out.failure.empty() && out.scalars.size() != scalar_count)
    out.failure = fmt::format("internal: the study gave {} scalars, expected {}", out.scalars.size(), scalar_count);
  if (!out.failure.empty()) out.scalars.assign(scalar_count, std::numeric_limits<double>::quiet_NaN());
  return out;
}

std::string cell_path_allowed(const CellTemplate& cell, const std::string& what, const std::string& name) {
  if (!cell.is_toml()) return what + "; the cell " + cell.file() + " is not a TOML file, so it has no keys to vary";
  // The keys of the table the name points into come first: "positive.thickness" lists positive.*.
  const auto all = cell.number_paths();
  const auto dot = name.rfind('.');
  std::vector<std::string> near, rest;
  for (const auto& p : all) (dot != std::string::npos && p.rfind(name.substr(0, dot + 1), 0) == 0 ? near : rest).push_back(p);
  near.insert(near.end(), rest.begin(), rest.end());
  std::string list;
  for (std::size_t i = 0; i < near.size() && i < 16; ++i) list += (list.empty() ? "" : ", ") + near[i];
  if (near.size() > 16) list += fmt::format(", ... ({} in all)", near.size());
  return fmt::format("{}: a numeric key of {} ({})", what, cell.file(), list);
}

}  // namespace solidcell::sweep
