#pragma once
// What every abuse procedure reads first from a standard file (data/standards/<name>.toml): the standard's
// name and title ([standard]) and its thermal-runaway criterion ([runaway_criterion]). Each test's loader then
// reads its own table ([heating], [nail], [overcharge], [crush], [external_short]) from the same root.
#include <string>
#include <utility>

#include "solidcell/abuse/verdict.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {

struct StandardHeader {
  std::string name;
  std::string title;
  RunawayCriterion criterion;
};

// A standard file opened for a loader: a built-in name (data/standards/<name>.toml) or a path, parsed. The
// document must outlive the tables read from it, so loaders keep this object for their whole run.
struct StandardFile {
  explicit StandardFile(const std::string& name_or_path);
  io::TomlTable root() const { return io::TomlTable(doc, path, ""); }
  std::string path;
  toml::table doc;
};

// Throws InputError naming the file, line and field.
StandardHeader read_standard_header(io::TomlTable& root);

// The header into a procedure (every procedure has `standard`, `title` and `criterion`).
template <class Procedure>
void read_standard_header(io::TomlTable& root, Procedure& p) {
  auto h = read_standard_header(root);
  p.standard = std::move(h.name);
  p.title = std::move(h.title);
  p.criterion = std::move(h.criterion);
}

}  // namespace solidcell::abuse
