#pragma once
// {name} placeholders in a study's experiment text (private to src/sweep): "Discharge at {current_A} A until
// 2.5 V" gets each case's value of the parameter current_A.
#include <string>
#include <vector>

#include "solidcell/io/toml_table.hpp"

namespace solidcell::sweep {

// `text` with every {name} replaced by the value, written in full precision.
std::string fill_placeholder(std::string text, const std::string& name, double value);

// Refuses (InputError at the table's "experiment" key) a placeholder that no parameter in `names` fills:
// every case would fail on it.
void check_placeholders(const io::TomlTable& study, const std::string& text, const std::vector<std::string>& names);

}  // namespace solidcell::sweep
