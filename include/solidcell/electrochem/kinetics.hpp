#pragma once
// Interface kinetics shared by the models, written as PyBaMM evaluates them (docs/pybamm-conventions.md §2).
#include <cmath>

#include "solidcell/base/constants.hpp"
#include "solidcell/electrochem/open_circuit_potential.hpp"
#include "solidcell/electrochem/parameters.hpp"

namespace solidcell::electrochem {

// PyBaMM's RegPower for a square root at scale 1: u (u^2 + 1e-6)^(-1/4), with two square roots rather than pow
// (the same value to rounding, a fraction of the time on the residual's hot path).
inline double regularised_sqrt(double u) { return u / std::sqrt(std::sqrt(u * u + 1e-6)); }

// The electrode's OCP: the fit inside its walls plus the barriers at them.
inline double electrode_ocp(const ElectrodeParameters& e, double x) {
  return open_circuit_potential(e.open_circuit_potential, x, e.ocp_valid_from, e.ocp_valid_to);
}

// Inverse Butler-Volmer, PyBaMM's arcsinh2(j, 2 j0) = asinh(j / hypot(2 j0, 1e-16)): finite when j0 vanishes
// at an empty or full particle surface or a depleted electrolyte, so the voltage collapses to the cut-off.
inline double inverse_butler_volmer(double j, double j0, double T) {
  return 2.0 * constants::gas_constant_J_per_mol_K * T / constants::faraday_C_per_mol *
         std::asinh(j / std::sqrt(4.0 * j0 * j0 + 1e-32));  // hypot(2 j0, 1e-16) without hypot's overflow guard
}

}  // namespace solidcell::electrochem
