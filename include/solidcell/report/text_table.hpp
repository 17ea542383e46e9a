#pragma once
// A plain-text table for the terminal: left-aligned first column, right-aligned numbers.
#include <string>
#include <vector>

namespace solidcell::report {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void add_rule() { rows_.emplace_back(); }  // an empty row prints as a rule
  void align_left(size_t column) { left_.push_back(column); }  // for text columns; numbers align right
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> left_{0};
};

}  // namespace solidcell::report
