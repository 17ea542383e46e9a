#include "solidcell/base/input_error.hpp"

namespace solidcell {

std::string format_input_error(const InputLocation& where, const std::string& value, const std::string& allowed) {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':';
      out += std::to_string(where.line);
    }
    out += ": ";
  }
  if (!where.field.empty()) {
    out += where.field;
    if (!value.empty()) out += " = " + value;
    out += ": ";
  } else if (!value.empty()) {
    out += value + ": ";
  }
  out += allowed;
  return out;
}

InputError::InputError(InputLocation where, std::string value, std::string allowed)
    : std::runtime_error(format_input_error(where, value, allowed)),
      where_(std::move(where)),
      value_(std::move(value)),
      allowed_(std::move(allowed)) {}

}  // namespace solidcell
