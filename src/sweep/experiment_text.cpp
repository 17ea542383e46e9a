#include "experiment_text.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace solidcell::sweep {

std::string fill_placeholder(std::string text, const std::string& name, double value) {
  const std::string key = "{" + name + "}";
  const auto v = fmt::format("{}", value);
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + v.size())) text.replace(at, key.size(), v);
  return text;
}

void check_placeholders(const io::TomlTable& study, const std::string& text, const std::vector<std::string>& names) {
  for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    const auto name = text.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    if (std::find(names.begin(), names.end(), name) == names.end())
      study.fail("experiment", "\"" + text + "\"", fmt::format("the placeholder {{{}}} needs a [[parameter]] of that name", name));
  }
}

}  // namespace solidcell::sweep
