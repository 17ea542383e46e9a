#pragma once
// The experiment (protocol) language users know from PyBaMM, e.g.
//   Discharge at 1C until 2.5 V, Rest for 1 hour,
//   (Charge at C/3 until 4.2 V, Hold at 4.2 V until C/50, Discharge at 2 A for 30 minutes or until 3.0 V) x 3
// The parser checks syntax, units and signs only. Whether a limit can be reached from where the cell is
// ("Charge at 1C until 2.5 V") depends on the cell's voltage, so that check belongs to the simulation.
// docs/experiments.md has the grammar.
#include <cstddef>
#include <string>
#include <vector>

#include "solidcell/base/input_error.hpp"
#include "solidcell/experiment/step.hpp"

namespace solidcell::experiment {

// Most steps an experiment may expand to; more is refused before memory runs out (1000 cycles of 10 steps
// is 10,000).
inline constexpr std::size_t max_expanded_steps = 1'000'000;

// Parses `text` into the steps in the order they run, repeated groups expanded. Steps are separated by
// commas, semicolons or newlines; "#" starts a comment. `source` names the text in error messages (a file,
// or e.g. "--experiment"), and `first_line` is the line of `source` on which the text starts, for text
// embedded in a larger file. Throws InputError with the field "experiment step N", the step's text as the
// value, and what is allowed.
std::vector<Step> parse_experiment(const std::string& text, const std::string& source = "", int first_line = 1);

// The grammar in one line, the "allowed" part of messages about steps that are not understood.
const std::string& experiment_grammar_summary();

}  // namespace solidcell::experiment
