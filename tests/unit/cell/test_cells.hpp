#pragma once
// Helpers for the cell tests: read cells from text, catch input errors.
#include <functional>
#include <string>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::cell::testing {

inline Cell cell_from_text(const std::string& text, const std::string& name = "test.toml") {
  auto doc = io::parse_toml_text(text, name);
  return read_cell_toml(doc, name, materials::MaterialLibrary::builtin());
}

inline std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace solidcell::cell::testing
