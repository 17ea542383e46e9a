#include "solidcell/base/input_error.hpp"

#include <gtest/gtest.h>

namespace solidcell {

TEST(InputError, NamesFileLineFieldValueAndAllowedRange) {
  InputError e({"cells/a.toml", 12, "positive.porosity"}, "1.2", "allowed range [0, 0.95]");
  EXPECT_STREQ(e.what(), "cells/a.toml:12: positive.porosity = 1.2: allowed range [0, 0.95]");
  EXPECT_EQ(e.where().line, 12);
  EXPECT_EQ(e.value(), "1.2");
}

TEST(InputError, LeavesOutWhatIsUnknown) {
  EXPECT_EQ(format_input_error({"f.toml", 0, ""}, "", "file not found"), "f.toml: file not found");
  EXPECT_EQ(format_input_error({"", 0, "x"}, "", "required field is missing"), "x: required field is missing");
}

}  // namespace solidcell
