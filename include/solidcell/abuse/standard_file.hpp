#pragma once
// What every abuse procedure reads first from a standard file (data/standards/<name>.toml): the standard's
// name and title ([standard]) and its thermal-runaway criterion ([runaway_criterion]). Each test's loader then
// reads its own table ([heating], [nail], [overcharge], [crush], [external_short]) from the same root.
#include <string>

#include "solidcell/abuse/verdict.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {

struct StandardHeader {
  std::string name;
  std::string title;
  RunawayCriterion criterion;
};

// Throws InputError naming the file, line and field.
StandardHeader read_standard_header(io::TomlTable& root);

}  // namespace solidcell::abuse
