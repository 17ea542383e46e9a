#pragma once
// End of life and knee of a capacity-retention curve.
//  - End of life: the first cycle whose retention is below the threshold (80 %).
//  - Knee: the breakpoint of the Bacon-Watts two-segment model (Fermin-Cueto et al. 2020, Energy and AI 1
//    100006), fitted here as a continuous two-line least-squares fit over every candidate breakpoint; it is a
//    knee only when the line after it falls at least `steepening` times faster than the line before it and
//    the two lines explain the curve better than one (else none: SEI-only fade decelerates and has no knee).
#include <optional>
#include <vector>

namespace solidcell::ageing {

std::optional<int> end_of_life_cycle(const std::vector<int>& cycles, const std::vector<double>& retention, double threshold = 0.8);

struct Knee {
  int cycle = 0;
  double slope_before = 0.0;  // retention per cycle
  double slope_after = 0.0;
};
std::optional<Knee> find_knee(const std::vector<int>& cycles, const std::vector<double>& retention, double steepening = 2.0);

}  // namespace solidcell::ageing
