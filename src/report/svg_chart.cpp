#include "solidcell/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace solidcell::report {
namespace {

// Colour-blind-safe palette (Okabe and Ito 2008), extended with neutral tones.
const std::vector<std::string> palette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                          "#F0E442", "#000000", "#999999", "#7F3C8D", "#8C564B", "#3969AC"};

std::string header(int width, int height, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{2}\">\n"
      "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      width, height, escape_xml(title));
}

// A "nice" axis maximum and tick step for the data maximum.
std::pair<double, double> nice_axis(double max_value) {
  if (max_value <= 0.0) return {1.0, 0.2};
  double raw = max_value / 5.0;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  return {std::ceil(max_value / step) * step, step};
}

// Tick labels with as many decimals as the step needs.
std::string tick_label(double v, double step) {
  int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", v, decimals);
}

std::string fmt_value(double v) {
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::abs(v) >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_bar_chart(const std::string& title, const std::string& unit, const std::vector<std::string>& labels,
                          const std::vector<double>& values) {
  const int label_w = 190, plot_w = 360, bar_h = 26, gap = 10, top = 36;
  const int height = top + static_cast<int>(labels.size()) * (bar_h + gap) + 30;
  const int width = label_w + plot_w + 80;
  double vmax = values.empty() ? 1.0 : *std::max_element(values.begin(), values.end());
  auto [axis_max, step] = nice_axis(vmax);
  std::string s = header(width, height, title + " [" + unit + "]");
  for (double t = 0; t <= axis_max + 1e-9; t += step) {
    double x = label_w + plot_w * t / axis_max;
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>\n", x, top - 4,
                     height - 26);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n", x, height - 10,
                     tick_label(t, step));
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    int y = top + static_cast<int>(i) * (bar_h + gap);
    double w = plot_w * std::max(0.0, values[i]) / axis_max;
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", label_w - 8, y + bar_h / 2 + 4,
                     escape_xml(labels[i]));
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {} {}</title></rect>\n",
                     label_w, y, w, bar_h, palette[i % palette.size()], escape_xml(labels[i]), fmt_value(values[i]),
                     escape_xml(unit));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>\n", label_w + w + 6, y + bar_h / 2 + 4, fmt_value(values[i]));
  }
  return s + "</svg>\n";
}

std::string svg_stacked_bars(const std::string& title, const std::vector<StackedBar>& bars,
                             const std::vector<std::string>& colour_order) {
  std::map<std::string, size_t> colour_of;
  for (const auto& name : colour_order)
    if (!colour_of.contains(name)) colour_of[name] = colour_of.size();
  std::vector<std::string> legend;  // only the segments this chart shows
  for (const auto& b : bars)
    for (const auto& seg : b.segments) {
      if (!colour_of.contains(seg.name)) colour_of[seg.name] = colour_of.size();
      if (std::find(legend.begin(), legend.end(), seg.name) == legend.end()) legend.push_back(seg.name);
    }
  const int label_w = 190, plot_w = 440, bar_h = 30, gap = 14, top = 36;
  const int legend_rows = static_cast<int>((legend.size() + 2) / 3);
  const int bars_h = static_cast<int>(bars.size()) * (bar_h + gap);
  const int height = top + bars_h + 18 * legend_rows + 16;
  const int width = label_w + plot_w + 30;
  std::string s = header(width, height, title);
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = top + static_cast<int>(i) * (bar_h + gap);
    double total = 0.0;
    for (const auto& seg : bars[i].segments) total += std::max(0.0, seg.value);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", label_w - 8, y + bar_h / 2 + 4,
                     escape_xml(bars[i].label));
    double x = label_w;
    for (const auto& seg : bars[i].segments) {
      double share = total > 0 ? std::max(0.0, seg.value) / total : 0.0;
      double w = plot_w * share;
      s += fmt::format("<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\" "
                       "stroke-width=\"0.5\"><title>{}: {:.1f} %</title></rect>\n",
                       x, y, w, bar_h, palette[colour_of[seg.name] % palette.size()], escape_xml(seg.name), 100 * share);
      if (share >= 0.07) {
        s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"11\">{:.0f}%</text>\n",
                         x + w / 2, y + bar_h / 2 + 4, 100 * share);
      }
      x += w;
    }
  }
  int ly = top + bars_h + 4;
  for (size_t k = 0; k < legend.size(); ++k) {
    int col = static_cast<int>(k % 3), row = static_cast<int>(k / 3);
    int x = 10 + col * 210, y = ly + row * 18;
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", x, y,
                     palette[colour_of[legend[k]] % palette.size()]);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n", x + 16, y + 10, escape_xml(legend[k]));
  }
  return s + "</svg>\n";
}

std::string svg_line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                           const std::vector<LineSeries>& series) {
  const int left = 60, right = 20, top = 36, bottom = 46, plot_w = 520, plot_h = 280;
  const int width = left + plot_w + right, height = top + plot_h + bottom + 18 * static_cast<int>(series.size());
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size(); ++i) {
      x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
    }
  if (!(x1 > x0)) x0 = 0, x1 = 1;
  if (!(y1 > y0)) y0 = 0, y1 = 1;
  double pad = 0.05 * (y1 - y0);
  y0 -= pad, y1 += pad;
  auto px = [&](double x) { return left + plot_w * (x - x0) / (x1 - x0); };
  auto py = [&](double y) { return top + plot_h * (1.0 - (y - y0) / (y1 - y0)); };
  std::string s = header(width, height, title);
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", left, top, plot_w, plot_h);
  // Round tick steps on both axes, labelled with the decimals the step needs.
  auto ticks = [](double lo, double hi) {
    auto [unused, step] = nice_axis(hi - lo);
    (void)unused;
    std::vector<double> out;
    for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push_back(t);
    return std::make_pair(out, step);
  };
  auto [xt, xs] = ticks(x0, x1);
  for (double xv : xt)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n", px(xv), top + plot_h + 16, tick_label(xv, xs));
  auto [yt, ys] = ticks(y0, y1);
  for (double yv : yt) {
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", left - 6, py(yv) + 4, tick_label(yv, ys));
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>\n", left, py(yv), left + plot_w);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + plot_w / 2, top + plot_h + 34, escape_xml(x_label));
  s += fmt::format("<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n", top + plot_h / 2,
                   top + plot_h / 2, escape_xml(y_label));
  for (size_t k = 0; k < series.size(); ++k) {
    std::string pts;
    for (size_t i = 0; i < series[k].x.size(); ++i) pts += fmt::format("{:.1f},{:.1f} ", px(series[k].x[i]), py(series[k].y[i]));
    s += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", palette[k % palette.size()], pts);
    int ly = top + plot_h + bottom + 18 * static_cast<int>(k);
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"3\" fill=\"{}\"/>\n", left, ly - 4, palette[k % palette.size()]);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", left + 20, ly, escape_xml(series[k].name));
  }
  return s + "</svg>\n";
}

std::string svg_histogram(const std::string& title, const std::string& x_label, const std::vector<Sample>& samples, int bins) {
  const int left = 60, right = 20, top = 36, bottom = 46, plot_w = 520, plot_h = 240;
  const int width = left + plot_w + right, height = top + plot_h + bottom + 18 * static_cast<int>(samples.size());
  bins = std::max(1, bins);
  double x0 = 1e300, x1 = -1e300;
  for (const auto& s : samples)
    for (double v : s.values)
      if (std::isfinite(v)) x0 = std::min(x0, v), x1 = std::max(x1, v);
  if (!(x1 > x0)) x0 = (x0 < 1e300 ? x0 : 0.0) - 0.5, x1 = x0 + 1.0;
  const double w = (x1 - x0) / bins;
  std::vector<std::vector<double>> share(samples.size(), std::vector<double>(static_cast<size_t>(bins), 0.0));
  double ymax = 0.0;
  for (size_t k = 0; k < samples.size(); ++k) {
    double count = 0.0;
    for (double v : samples[k].values) {
      if (!std::isfinite(v)) continue;
      const int b = std::min(bins - 1, static_cast<int>((v - x0) / w));
      share[k][static_cast<size_t>(b)] += 1.0;
      count += 1.0;
    }
    for (double& s : share[k]) {
      s = count > 0 ? 100.0 * s / count : 0.0;
      ymax = std::max(ymax, s);
    }
  }
  auto [ytop, ystep] = nice_axis(ymax);
  auto px = [&](double x) { return left + plot_w * (x - x0) / (x1 - x0); };
  auto py = [&](double y) { return top + plot_h * (1.0 - y / ytop); };
  std::string s = header(width, height, title);
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>\n", left, top, plot_w, plot_h);
  auto [unused, xstep] = nice_axis(x1 - x0);
  (void)unused;
  for (double t = std::ceil(x0 / xstep) * xstep; t <= x1 + 1e-9 * xstep; t += xstep)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n", px(t), top + plot_h + 16,
                     tick_label(t, xstep));
  for (double t = 0.0; t <= ytop + 1e-9 * ystep; t += ystep) {
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", left - 6, py(t) + 4, tick_label(t, ystep));
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>\n", left, py(t), left + plot_w);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + plot_w / 2, top + plot_h + 34, escape_xml(x_label));
  s += fmt::format("<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">share of cells per bin [%]</text>\n",
                   top + plot_h / 2, top + plot_h / 2);
  for (size_t k = 0; k < samples.size(); ++k) {
    std::string pts = fmt::format("{:.1f},{:.1f} ", px(x0), py(0.0));
    for (int b = 0; b < bins; ++b) {
      const double y = share[k][static_cast<size_t>(b)];
      pts += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", px(x0 + b * w), py(y), px(x0 + (b + 1) * w), py(y));
    }
    pts += fmt::format("{:.1f},{:.1f}", px(x1), py(0.0));
    const auto& colour = palette[k % palette.size()];
    s += fmt::format("<polyline fill=\"{0}\" fill-opacity=\"0.25\" stroke=\"{0}\" stroke-width=\"1.5\" points=\"{1}\"/>\n", colour, pts);
    int ly = top + plot_h + bottom + 18 * static_cast<int>(k);
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"8\" fill=\"{}\"/>\n", left, ly - 8, colour);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", left + 20, ly, escape_xml(samples[k].name));
  }
  return s + "</svg>\n";
}

}  // namespace solidcell::report
