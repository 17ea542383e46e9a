#pragma once
// What a sweep runs: a study kind reads its fixed settings ([study]) and binds the spec's parameter names to
// what it varies (model inputs, cell-file paths, its own settings), refusing names it does not know with
// the list it does. Its workers (one per thread, holding what can be reused between cases, such as a built
// model) turn one case's parameter values into named scalar results and named arrays for the case file.
//
// Adding a study is one file: a function that makes the Study from the spec, and its line in
// study_kinds() (study_registry.cpp).
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {

struct NamedArray {
  std::string name;  // e.g. "Voltage [V]"
  std::string unit;
  std::vector<double> values;
};

struct CaseOutcome {
  std::string failure;  // empty: the case ran; otherwise why not (solver failure, input out of range)
  std::vector<double> scalars;  // in the order of Study::scalar_names(); NaN where a value does not exist
  std::vector<NamedArray> arrays;
};

class StudyWorker {
 public:
  virtual ~StudyWorker() = default;
  // One value per spec parameter, in the spec's order. Bad values (out of range for the model or the
  // cell) and solver failures come back as a failed outcome; they do not throw.
  virtual CaseOutcome run(std::span<const double> values) = 0;
};

class Study {
 public:
  virtual ~Study() = default;
  virtual std::vector<std::string> scalar_names() const = 0;
  // Called once per thread; the worker is used by that thread only.
  virtual std::unique_ptr<StudyWorker> make_worker(bool time_series) const = 0;
};

struct StudyKind {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<Study>(const SweepSpec&)> make;
};

// design, experiment, abuse, ageing, vehicle.
const std::vector<StudyKind>& study_kinds();
// The spec's study, its [study] table read and its parameters bound; InputError otherwise. Also checks
// that [outputs] summary names scalars the study gives.
std::unique_ptr<Study> make_study(const SweepSpec& spec);

// Runs a worker on one case, turning any exception into a failed outcome with its message.
CaseOutcome run_case_safely(StudyWorker& worker, std::span<const double> values, std::size_t scalar_count);

}  // namespace solidcell::sweep
