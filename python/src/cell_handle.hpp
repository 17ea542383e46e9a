#pragma once
// A Cell as Python holds it: shared, so that models and results can keep it alive, with the file it came from.
#include <memory>
#include <string>

#include "solidcell/cell/cell.hpp"

namespace solidcell::python {

struct CellHandle {
  std::shared_ptr<const cell::Cell> cell;
  std::string origin;
  // The cell file's text as read (pickling sends it, so that the copy is bit-for-bit the same cell).
  std::string text;
};

CellHandle load_cell_handle(const std::string& name_or_path);

}  // namespace solidcell::python
