#pragma once
// The New European Driving Cycle, generated from its definition in UN ECE Regulation No. 83 (Annex 4a,
// Appendix 1; also Regulation No. 101 for electric vehicles): four elementary urban cycles (ECE-15, 195 s
// each) and one extra-urban cycle (EUDC, 400 s), 1180 s, 11.0 km, 120 km/h at most.
#include "solidcell/vehicle/speed_trace.hpp"

namespace solidcell::vehicle {

// The NEDC at 1 Hz, built from the regulation's table of idles, accelerations, cruises and decelerations
// (speed linear in time within each operation).
SpeedTrace nedc_speed_trace();

}  // namespace solidcell::vehicle
