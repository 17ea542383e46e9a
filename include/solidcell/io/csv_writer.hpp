#pragma once
// Column-oriented CSV: a header of quoted names (PyBaMM-style, e.g. "Voltage [V]") and full-precision numbers.
#include <string>
#include <utility>
#include <vector>

namespace solidcell::io {

struct Column {
  std::string name;
  std::vector<double> values;
};

// Columns may differ in length only by being empty; NaN is written as an empty field.
std::string to_csv(const std::vector<Column>& columns);

}  // namespace solidcell::io
