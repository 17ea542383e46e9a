#include "solidcell/vehicle/nedc.hpp"

namespace solidcell::vehicle {

namespace {

// One operation of the regulation's tables: it lasts `duration_s` and ends at `end_speed_kmh`, the speed
// changing linearly from the previous operation's end (an idle or cruise ends where it began).
struct Operation {
  int duration_s;
  double end_speed_kmh;
};

// UN ECE R83 Annex 4a, Appendix 1, Table 1: the elementary urban cycle (ECE-15), 195 s, about 1.013 km.
// Gear changes are held at constant speed except the one before the last deceleration (35 -> 32 km/h), as in
// the table's accelerations: 32 -> 10 km/h in 7 s is its -0.86 m/s2.
constexpr Operation urban[] = {
    {11, 0},   // 1 idle
    {4, 15},   // 2 accelerate 1.04 m/s2
    {8, 15},   // 3 cruise
    {2, 10},   // 4 decelerate -0.69
    {3, 0},    // 5 decelerate, clutch disengaged -0.92
    {21, 0},   // 6 idle
    {5, 15},   // 7 accelerate 0.83
    {2, 15},   // 8 gear change
    {5, 32},   // 9 accelerate 0.94
    {24, 32},  // 10 cruise
    {8, 10},   // 11 decelerate -0.75
    {3, 0},    // 12 decelerate, clutch disengaged -0.92
    {21, 0},   // 13 idle
    {5, 15},   // 14 accelerate 0.83
    {2, 15},   // 15 gear change
    {9, 35},   // 16 accelerate 0.62
    {2, 35},   // 17 gear change
    {8, 50},   // 18 accelerate 0.52
    {12, 50},  // 19 cruise
    {8, 35},   // 20 decelerate -0.52
    {13, 35},  // 21 cruise
    {2, 32},   // 22 gear change
    {7, 10},   // 23 decelerate -0.86
    {3, 0},    // 24 decelerate, clutch disengaged -0.92
    {7, 0},    // 25 idle
};

// Table 2: the extra-urban driving cycle (EUDC), 400 s, 6.955 km, 120 km/h at most.
constexpr Operation extra_urban[] = {
    {20, 0},    // 1 idle
    {5, 15},    // 2 accelerate 0.83 m/s2
    {2, 15},    // 3 gear change
    {9, 35},    // 4 accelerate 0.62
    {2, 35},    // 5 gear change
    {8, 50},    // 6 accelerate 0.52
    {2, 50},    // 7 gear change
    {13, 70},   // 8 accelerate 0.43
    {50, 70},   // 9 cruise
    {8, 50},    // 10 decelerate -0.69
    {69, 50},   // 11 cruise
    {13, 70},   // 12 accelerate 0.43
    {50, 70},   // 13 cruise
    {35, 100},  // 14 accelerate 0.24
    {30, 100},  // 15 cruise
    {20, 120},  // 16 accelerate 0.28
    {10, 120},  // 17 cruise
    {16, 80},   // 18 decelerate -0.69
    {8, 50},    // 19 decelerate -1.04
    {10, 0},    // 20 decelerate, clutch disengaged -1.39
    {20, 0},    // 21 idle
};

template <size_t N>
void append(SpeedTrace& trace, const Operation (&ops)[N]) {
  for (const auto& op : ops) {
    const double t0 = trace.time_s.back(), v0 = trace.speed_mps.back(), v1 = op.end_speed_kmh / 3.6;
    for (int s = 1; s <= op.duration_s; ++s) {
      trace.time_s.push_back(t0 + s);
      trace.speed_mps.push_back(v0 + (v1 - v0) * s / op.duration_s);
      trace.grade.push_back(0.0);
    }
  }
}

}  // namespace

SpeedTrace nedc_speed_trace() {
  SpeedTrace trace;
  trace.name = "nedc";
  trace.source = "NEDC generated from UN ECE Regulation No. 83, Annex 4a, Appendix 1, Tables 1 (ECE-15) and 2 (EUDC)";
  trace.time_s = {0.0};
  trace.speed_mps = {0.0};
  trace.grade = {0.0};
  for (int i = 0; i < 4; ++i) append(trace, urban);
  append(trace, extra_urban);
  return trace;
}

}  // namespace solidcell::vehicle
