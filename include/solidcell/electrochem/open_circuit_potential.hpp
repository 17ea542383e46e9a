#pragma once
// The open-circuit potential a model sees: the material's fit, evaluated inside [0, 1], plus steep
// barriers at the two ends so that a particle surface cannot be filled or emptied past its limits
// (fits such as Chen 2020's NMC811 stay near 3.5 V at x = 1 and would never reach a 2.5 V cut-off).
// The barrier is PyBaMM's (docs/pybamm-conventions.md §2): 1 V at the end itself, 1 mV at 0.001 from it,
// below 1e-30 V beyond 0.01, so it changes nothing inside the normal window.
#include "solidcell/materials/stoichiometry_function.hpp"

namespace solidcell::electrochem {

// The walls sit at `from` and `to` (0 and 1 by default, as in PyBaMM).
double open_circuit_potential(const materials::StoichiometryFunction& fit, double stoichiometry, double from = 0.0, double to = 1.0);

}  // namespace solidcell::electrochem
