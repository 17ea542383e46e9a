#include <gtest/gtest.h>

#include "solidcell/production/line_run.hpp"

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
    return ReportCell{c, cell::compute_design(c), n, "0", {}, {}, {}, {}, {}, {}};
  };
  auto html = render_qualify_report({load("assb-sulfide-li")}, load("liquid-ncm811-graphite"), AnnouncedClaim{},
                                    ReportMetadata{"0.1.0", "abc", "2026-01-01T00:00:00Z", "solidcell qualify"});
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Navigation: an anchor for each section on the page, and none for a section that is not there.
  EXPECT_NE(html.find("href=\"#design\""), std::string::npos);
  EXPECT_NE(html.find("id=\"design\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#safety\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#production\""), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_NE(html.find("liquid-ncm811-graphite (baseline)"), std::string::npos);
  EXPECT_NE(html.find("Where the mass goes"), std::string::npos);
}

TEST(HtmlReport, ProductionSectionShowsLinesChartsAndDistributions) {
  auto load = [](const std::string& n) {
    auto c = cell::load_cell(n);
    return ReportCell{c, cell::compute_design(c), n, "0", {}, {}, {}, {}, {}, {}};
  };
  ProductionReport p;
  ProductionLineResult l;
  l.name = "sulfide-assb-pilot";
  l.line = production::load_line(l.name);
  production::LineRunOptions o;
  o.period_s = production::parse_period_s("2w", l.line);
  o.min_lot_cells = 10;
  l.simulation = production::run_line(l.line, o);
  l.cost = production::cost_per_kWh(l.line, production::annual_volume(l.line, l.simulation));
  l.tornado = production::cost_tornado(l.line);
  p.lines.push_back(l);
  p.lines.push_back({"no-such-line", {}, {}, {}, {}, "line not found"});
  ProductionVariabilityResult v;
  v.cell_name = "assb-sulfide-li";
  production::VariabilityOptions vo;
  vo.cells = 200;
  vo.validation_runs = 5;
  vo.fit_runs_per_term = 3.0;
  v.result = production::run_variability(cell::load_cell(v.cell_name), production::load_variability("sulfide-assb-pilot"), vo);
  p.variability.push_back(v);
  const auto html = render_qualify_report({load("assb-sulfide-li")}, load("liquid-ncm811-graphite"), AnnouncedClaim{},
                                          ReportMetadata{"0.1.0", "abc", "2026-01-01T00:00:00Z", "solidcell qualify"}, p);
  const auto at = html.find("4. Production");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(html.find("href=\"#production\""), std::string::npos);
  EXPECT_NE(html.find("id=\"production\""), std::string::npos);
  EXPECT_LT(html.find("1. Design"), at);
  EXPECT_EQ(html.find("3. Safety"), std::string::npos);  // sections that were not computed are left out
  for (const char* part : {"OEE per station, sulfide-assb-pilot", "Cost per kWh of good cells", "Cost tornado, sulfide-assb-pilot",
                           "1C capacity: cell-to-cell distribution", "not computed: line not found", "isostatic_pressing"})
    EXPECT_NE(html.find(part, at), std::string::npos) << part;
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Without production results the page has no production section.
  EXPECT_EQ(render_qualify_report({load("assb-sulfide-li")}, load("liquid-ncm811-graphite"), AnnouncedClaim{}, ReportMetadata{}).find("4. Production"),
            std::string::npos);
}

}  // namespace solidcell::report
