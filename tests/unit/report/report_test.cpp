#include <gtest/gtest.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/report/design_json.hpp"
#include "solidcell/report/html_report.hpp"
#include "solidcell/report/svg_chart.hpp"
#include "solidcell/report/text_table.hpp"

namespace solidcell::report {

TEST(SvgChart, EscapesTextAndDrawsOneBarPerValue) {
  auto svg = svg_bar_chart("A <b> & c", "Wh/kg", {"x", "y"}, {1.0, 2.0});
  EXPECT_NE(svg.find("A &lt;b&gt; &amp; c"), std::string::npos);
  size_t rects = 0;
  for (size_t p = svg.find("<rect"); p != std::string::npos; p = svg.find("<rect", p + 1)) ++rects;
  EXPECT_EQ(rects, 2u);
}

TEST(SvgChart, StackedBarsSplitByShare) {
  auto svg = svg_stacked_bars("t", {{"cell", {{"a", 3.0}, {"b", 1.0}}}});
  EXPECT_NE(svg.find("a: 75.0 %"), std::string::npos);
  EXPECT_NE(svg.find("b: 25.0 %"), std::string::npos);
}

TEST(TextTable, AlignsColumns) {
  TextTable t({"name", "value"});
  t.add_row({"a", "1.0"});
  t.add_row({"long name", "10.0"});
  EXPECT_EQ(t.render(), "name       value\n----------------\na            1.0\nlong name   10.0\n");
}

TEST(DesignJson, HasTheKeysUsersScriptAgainst) {
  auto f = cell::compute_design(cell::load_cell("assb-sulfide-li"));
  auto j = design_to_json(f);
  for (const char* k : {"capacity_Ah", "energy_Wh", "nominal_voltage_V", "mass_kg", "volume_L", "specific_energy_Wh_per_kg",
                        "energy_density_Wh_per_L", "np_ratio", "breakdown"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_NEAR(j["volume_L"].get<double>(), f.volume_m3 * 1000.0, 1e-12);
  double fractions = 0.0;
  for (const auto& e : j["breakdown"]) fractions += e["mass_fraction"].get<double>();
  EXPECT_NEAR(fractions, 1.0, 1e-12);
}

TEST(HtmlReport, IsSelfContainedAndStatesTheComparison) {
  auto load = [](const std::string& n) {
    auto c = cell::load_cell(n);
    return ReportCell{c, cell::compute_design(c), n, "0", {}, {}, {}, {}, {}};
  };
  auto html = render_qualify_report({load("assb-sulfide-li")}, load("liquid-ncm811-graphite"), AnnouncedClaim{},
                                    ReportMetadata{"0.1.0", "abc", "2026-01-01T00:00:00Z", "solidcell qualify"});
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_NE(html.find("liquid-ncm811-graphite (baseline)"), std::string::npos);
  EXPECT_NE(html.find("Where the mass goes"), std::string::npos);
}

}  // namespace solidcell::report
