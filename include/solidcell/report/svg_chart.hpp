#pragma once
// Small, dependency-free SVG charts for the HTML report: bars, stacked bars and line plots.
// Each function returns one self-contained <svg> element.
#include <string>
#include <vector>

namespace solidcell::report {

struct Segment {
  std::string name;
  double value = 0.0;
};

struct StackedBar {
  std::string label;
  std::vector<Segment> segments;
};

struct LineSeries {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
};

// Horizontal bars, one per label, with the value printed at the end of each bar.
std::string svg_bar_chart(const std::string& title, const std::string& unit, const std::vector<std::string>& labels,
                          const std::vector<double>& values);
// Horizontal 100 % stacked bars; a segment name keeps its colour across bars, and across charts when
// they share `colour_order` (names in the order colours are handed out; others follow).
std::string svg_stacked_bars(const std::string& title, const std::vector<StackedBar>& bars,
                             const std::vector<std::string>& colour_order = {});
std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<LineSeries>& series);

struct Sample {
  std::string name;
  std::vector<double> values;
};

// Histograms of several samples on shared equal-width bins over their common range, drawn as step curves of
// each sample's share per bin (so samples of different sizes compare); NaNs are left out.
std::string svg_histogram(const std::string& title, const std::string& x_label, const std::vector<Sample>& samples, int bins = 40);

std::string escape_xml(const std::string& text);

}  // namespace solidcell::report
