#include "toml_paths.hpp"

#include <cmath>
#include <cstdint>

#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::sweep {

namespace {

const toml::node* find_node(const toml::table& doc, const std::string& path) {
  const toml::node* n = &doc;
  std::size_t start = 0;
  while (n) {
    const auto dot = path.find('.', start);
    const auto key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const auto* t = n->as_table();
    if (!t) return nullptr;
    n = t->get(key);
    if (dot == std::string::npos) return n;
    start = dot + 1;
  }
  return nullptr;
}

void collect(const toml::table& t, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : t) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (v.is_table()) collect(*v.as_table(), path, out);
    else if (v.is_floating_point() || v.is_integer()) out.push_back(path);
  }
}

}  // namespace

bool has_toml_number(const toml::table& doc, const std::string& path) {
  const auto* n = find_node(doc, path);
  return n && (n->is_floating_point() || n->is_integer());
}

std::vector<std::string> toml_number_paths(const toml::table& doc) {
  std::vector<std::string> out;
  collect(doc, "", out);
  return out;
}

void set_toml_number(toml::table& doc, const std::string& path, double value, const std::string& file) {
  auto* n = const_cast<toml::node*>(find_node(doc, path));
  if (!n || !(n->is_floating_point() || n->is_integer())) throw InputError(InputLocation{file, 0, path}, "", "not a numeric key of the file");
  if (n->is_integer()) {
    if (!(std::isfinite(value) && value == std::round(value)))
      throw InputError(InputLocation{file, 0, path}, io::format_number(value), "must be a whole number (the file has an integer)");
    *n->as_integer() = static_cast<std::int64_t>(value);
  } else {
    *n->as_floating_point() = value;
  }
}

}  // namespace solidcell::sweep
