#include "solidcell/io/csv_writer.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace solidcell::io {

std::string to_csv(const std::vector<Column>& columns) {
  std::size_t rows = 0;
  for (const auto& c : columns) rows = std::max(rows, c.values.size());
  for (const auto& c : columns)
    if (!c.values.empty() && c.values.size() != rows) throw std::invalid_argument("CSV column '" + c.name + "' has the wrong length");
  std::string out;
  for (std::size_t k = 0; k < columns.size(); ++k) out += (k ? ",\"" : "\"") + columns[k].name + "\"";
  out += "\n";
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (k) out += ',';
      if (columns[k].values.empty()) continue;
      double v = columns[k].values[r];
      if (std::isfinite(v)) out += fmt::format("{}", v);
    }
    out += '\n';
  }
  return out;
}

}  // namespace solidcell::io
