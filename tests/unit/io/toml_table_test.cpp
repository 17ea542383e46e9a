#include "solidcell/io/toml_table.hpp"

#include <gtest/gtest.h>

namespace solidcell::io {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Range, DescribesAndChecksOpenAndClosedEnds) {
  Range r = Range::positive(5.0);
  EXPECT_FALSE(r.contains(0.0));
  EXPECT_TRUE(r.contains(5.0));
  EXPECT_FALSE(r.contains(5.0000001));
  EXPECT_FALSE(r.contains(std::nan("")));
  EXPECT_EQ(r.describe(), "allowed range (0, 5]");
  EXPECT_EQ(Range::fraction_open_top().describe(), "allowed range [0, 1)");
}

TEST(TomlTable, ReadsNumbersIntegersAndStrings) {
  auto doc = parse_toml_text("a = 1.5\nb = 3\nc = \"x\"\n", "t.toml");
  TomlTable t(doc, "t.toml", "");
  EXPECT_DOUBLE_EQ(t.number("a", Range::positive(10)), 1.5);
  EXPECT_DOUBLE_EQ(t.number("b", Range::positive(10)), 3.0);  // integers are numbers too
  EXPECT_EQ(t.string("c"), "x");
  EXPECT_NO_THROW(t.reject_unknown_keys());
}

TEST(TomlTable, OutOfRangeNamesFileLineFieldValueAndRange) {
  auto doc = parse_toml_text("[positive]\nname = \"p\"\nporosity = 1.2\n", "cell.toml");
  TomlTable root(doc, "cell.toml", "");
  auto p = root.table("positive");
  EXPECT_EQ(error_of([&] { p.number("porosity", Range{0.0, 0.95}); }),
            "cell.toml:3: positive.porosity = 1.2: allowed range [0, 0.95]");
}

TEST(TomlTable, MissingFieldPointsAtItsTable) {
  auto doc = parse_toml_text("x = 1\n\n[separator]\nkind = \"porous_film\"\n", "c.toml");
  TomlTable root(doc, "c.toml", "");
  auto s = root.table("separator");
  EXPECT_EQ(error_of([&] { s.number("thickness_um", Range::positive(1)); }),
            "c.toml:3: separator.thickness_um: required field is missing from [separator]");
}

TEST(TomlTable, UnknownKeyIsRefusedWithItsLine) {
  auto doc = parse_toml_text("porosity = 0.1\nthicknes_um = 3\n", "c.toml");
  TomlTable t(doc, "c.toml", "");
  t.number("porosity", Range::unit_interval());
  EXPECT_EQ(error_of([&] { t.reject_unknown_keys(); }),
            "c.toml:2: thicknes_um: unknown key (check the spelling against docs/cell-files.md)");
}

TEST(TomlTable, WrongTypeAndBadChoice) {
  auto doc = parse_toml_text("a = \"thick\"\nkind = \"paper\"\n", "c.toml");
  TomlTable t(doc, "c.toml", "");
  EXPECT_EQ(error_of([&] { t.number("a", Range::positive(1)); }), "c.toml:1: a = \"thick\": must be a number");
  EXPECT_EQ(error_of([&] { t.choice("kind", {"solid_electrolyte", "porous_film"}); }),
            "c.toml:2: kind = \"paper\": must be one of \"solid_electrolyte\", \"porous_film\"");
}

TEST(TomlTable, SyntaxErrorGivesLine) {
  EXPECT_EQ(error_of([] { parse_toml_text("a = 1\nb = = 2\n", "bad.toml"); }).rfind("bad.toml:2: TOML syntax error", 0), 0u);
}

TEST(TomlTable, MissingFileIsInputError) {
  EXPECT_EQ(error_of([] { load_toml_file("/nonexistent/x.toml"); }), "/nonexistent/x.toml: file not found or not a regular file");
}

}  // namespace solidcell::io
