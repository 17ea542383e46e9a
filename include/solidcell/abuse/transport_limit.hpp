#pragma once
// The largest discharge current a cell's mass transport carries indefinitely (CellInventory::limiting_current_A,
// the cap on the short-circuit current of the lumped abuse model), from its model parameters at the reference
// temperature, starting from full charge:
//  - liquid electrolyte: the steady salt profile under a uniform reaction in each electrode; the limit is the
//    current at which the salt reaches zero at the positive current collector (docs/abuse.md, "External short");
//  - each porous electrode's particles: quasi-steady (parabolic) solid diffusion, c_surf - c_avg = q R / (5 D),
//    up to the wall of the open-circuit potential: I = 15 F A L eps_AM c_max D (theta_wall - theta_full) / R^2.
// A single-ion solid electrolyte (t+ = 1) carries no salt gradient, so a solid-state cell is limited by its
// particles only. The lithium-metal stripping limit is not included (docs/abuse.md says why).
#include <limits>
#include <string>

#include "solidcell/electrochem/parameters.hpp"

namespace solidcell::abuse {

struct TransportLimits {
  static constexpr double none = std::numeric_limits<double>::infinity();
  double electrolyte_A = none;
  double positive_particles_A = none;
  double negative_particles_A = none;

  double limiting_A() const;
  std::string limited_by() const;  // "electrolyte", "positive particles", "negative particles" or "none"
};

TransportLimits transport_limits(const electrochem::CellParameters& p);

}  // namespace solidcell::abuse
