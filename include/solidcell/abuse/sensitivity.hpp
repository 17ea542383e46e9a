#pragma once
// Which parameters decide an abuse test's verdict: one at a time, each uncertain input of the runaway model
// is set to the low and the high end of its range and the test is run again (a one-at-a-time tornado
// study). The rows come sorted by how far they move the peak temperature; a row whose ends give different
// verdicts is a parameter the verdict hangs on.
#include <functional>
#include <string>
#include <vector>

#include "solidcell/abuse/test_matrix.hpp"

namespace solidcell::abuse {

struct SensitivityParameter {
  std::string name;         // e.g. "reaction rates (A) of SEI decomposition"
  std::string low_label;    // e.g. "/3"
  std::string high_label;   // e.g. "x3"
  std::function<void(AbuseCase&)> set_low;
  std::function<void(AbuseCase&)> set_high;
};

struct SensitivityEnd {
  double peak_temperature_K = 0.0;
  bool thermal_runaway = false;
  bool pass = true;
  int eucar_level = 0;
  bool completed = true;
};

struct SensitivityRow {
  std::string parameter, low_label, high_label;
  SensitivityEnd low, high;
  bool decides_verdict() const { return low.pass != high.pass || low.eucar_level != high.eucar_level; }
  double swing_K() const;  // |peak(high) - peak(low)|
};

struct SensitivityStudy {
  std::string test, standard, cell;
  SensitivityEnd baseline;
  std::vector<SensitivityRow> rows;  // largest swing first
};

// The parameters studied for a case: every reaction's rate (A x/÷ 3), heat (±25 %) and ignition threshold
// (±20 K, where it has one), the cell's heat
// capacity (±10 %), the chamber's heat transfer (x/÷ 2), the internal resistance (±30 %), the separator's
// failure temperature (±10 K, where the network has a short), the transport-limited current (x/÷ 2) and the
// state of charge (0.8 against the test's).
// For the nail test also the nail's contact resistance (÷5 to ×20: the assumption's range in data/standards).
std::vector<SensitivityParameter> default_sensitivity_parameters(const AbuseCase& c, const std::string& test = "");

SensitivityStudy sensitivity_study(const std::string& test, const AbuseCase& c, const std::string& standard,
                                   const std::vector<SensitivityParameter>& parameters);

}  // namespace solidcell::abuse
