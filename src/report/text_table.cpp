#include "solidcell/report/text_table.hpp"

#include <algorithm>

namespace solidcell::report {
namespace {

// Display width in code points, so that units such as "µm" or "Wh/kg" line up.
size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::string TextTable::render() const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) widths[i] = display_width(header_[i]);
  for (const auto& r : rows_)
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));

  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string c = i < cells.size() ? cells[i] : "";
      std::string pad(widths[i] - display_width(c), ' ');
      bool left = std::find(left_.begin(), left_.end(), i) != left_.end();
      out += (i == 0 ? "" : "  ") + (left ? c + pad : pad + c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  std::string rule(total > 2 ? total - 2 : 0, '-');

  std::string out = line(header_) + rule + "\n";
  for (const auto& r : rows_) out += r.empty() ? rule + "\n" : line(r);
  return out;
}

}  // namespace solidcell::report
