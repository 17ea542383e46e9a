#pragma once
// One error type for bad input: it knows the file, the line, the field, the offending value and what is
// allowed, so the CLI can print a single line that points the user at the fix.
#include <stdexcept>
#include <string>

namespace solidcell {

struct InputLocation {
  std::string file;   // path as the user gave it; empty for input built in code
  int line = 0;       // 1-based; 0 when unknown
  std::string field;  // dotted path of the key, e.g. "positive.porosity"
};

class InputError : public std::runtime_error {
 public:
  InputError(InputLocation where, std::string value, std::string allowed);

  const InputLocation& where() const noexcept { return where_; }
  const std::string& value() const noexcept { return value_; }
  const std::string& allowed() const noexcept { return allowed_; }

 private:
  InputLocation where_;
  std::string value_;
  std::string allowed_;
};

// "file:line: field = value: allowed" (parts that are unknown are left out).
std::string format_input_error(const InputLocation& where, const std::string& value, const std::string& allowed);

}  // namespace solidcell
