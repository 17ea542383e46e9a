#pragma once
// One step of an experiment, as parsed from text such as "Discharge at 1C for 1 hour or until 2.5 V".
// Values are in SI, except C-rates, which stay rates: only the cell knows its nominal capacity.
// Signs follow PyBaMM: current and power are positive for discharge and negative for charge.
#include <optional>
#include <string>
#include <vector>

#include "solidcell/experiment/drive_cycle.hpp"

namespace solidcell::experiment {

// What the step imposes on the cell.
enum class StepKind {
  current,      // constant current `amperes`
  c_rate,       // constant current `c_rate` x nominal capacity
  voltage,      // constant-voltage hold at `volts`
  power,        // constant power `watts`
  rest,         // zero current
  drive_cycle,  // current or power over time from the CSV file `drive_cycle_path`
};

// The verb the user wrote. Hold, Rest and drive cycles have no fixed direction.
enum class Direction { discharge, charge, none };

// A condition that ends a step early. The step ends at the first of its terminations or its duration.
struct Termination {
  enum class Quantity {
    voltage,   // terminal voltage [V]
    current,   // magnitude of the current [A]
    c_rate,    // magnitude of the current as a C-rate [1/h]: the limit is c_rate x nominal capacity
    capacity,  // net charge passed during this step [A.h] as a magnitude: |Q(t) - Q(step start)|
  };
  // Whether the quantity ends the step by falling to `value` or rising to it.
  enum class Crossing { falling, rising };

  Quantity quantity = Quantity::voltage;
  double value = 0.0;  // V, A, C-rate or A.h; always positive
  Crossing crossing = Crossing::falling;
  // True when the text gave the crossing with "<" or ">"; otherwise it was inferred: voltage limits fall in a
  // discharge (and a drive cycle) and rise in a charge, current limits fall (a CV taper), capacity rises.
  bool crossing_written = false;
  std::string text;  // as written, e.g. "C/50"
};

struct Step {
  StepKind kind = StepKind::rest;
  Direction direction = Direction::none;

  // The imposed value: only the field that belongs to `kind` is set, the others stay 0.
  double amperes = 0.0;  // current: positive for discharge
  double c_rate = 0.0;   // c_rate [1/h]: positive for discharge; "C/3" is 1/3
  double volts = 0.0;    // voltage: the hold voltage, always positive
  double watts = 0.0;    // power: positive for discharge

  // Drive cycles: the file as written (a relative path is the caller's to resolve) and what it gives.
  std::string drive_cycle_path;
  DriveCycleQuantity drive_cycle_quantity = DriveCycleQuantity::current;

  std::optional<double> duration_s;      // "for <time>"; a drive cycle without it lasts the file's span
  std::vector<Termination> terminations; // "until <limit> [or <limit>]"
  std::optional<double> period_s;        // "(<time> period)": output sampling interval, PyBaMM's suffix

  std::string text;  // the step as written
  int number = 0;    // 1-based position of the step in the text, the N of "experiment step N"
  int line = 0;      // line of the text on which the step starts
  // 1-based cycle, as PyBaMM counts them: each top-level step is a cycle, and so is each repeat of a
  // top-level group; steps of nested groups belong to the cycle around them.
  int cycle = 0;

  // The imposed current for current, c_rate and rest steps [A], positive for discharge; the cell's
  // nominal capacity turns a C-rate into amperes. Throws std::logic_error for other kinds.
  double imposed_current_A(double nominal_capacity_Ah) const;
};

// A termination's current limit in amperes (current and c_rate limits); std::logic_error for other kinds.
double limit_current_A(const Termination& termination, double nominal_capacity_Ah);

const char* to_string(StepKind kind);
const char* to_string(Direction direction);
const char* to_string(Termination::Quantity quantity);
const char* to_string(Termination::Crossing crossing);

}  // namespace solidcell::experiment
