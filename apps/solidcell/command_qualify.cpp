// solidcell qualify: the main job. The all-solid-state cells beside the liquid baseline, as a table on the
// terminal and a self-contained HTML report (plus the numbers as JSON) in solidcell-report/.
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "design_text.hpp"
#include "solidcell/base/version_info.hpp"
#include "solidcell/report/design_json.hpp"
#include "solidcell/report/html_report.hpp"

namespace solidcell::cli {

Runner add_qualify_command(CLI::App& app) {
  auto* sub = app.add_subcommand("qualify", "Qualify all-solid-state cells against the liquid baseline: terminal summary and HTML report");
  auto cells = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"assb-sulfide-li", "assb-sulfide-anodefree"});
  auto baseline = std::make_shared<std::string>("liquid-ncm811-graphite");
  auto out_dir = std::make_shared<std::string>("solidcell-report");
  auto json = std::make_shared<bool>(false);
  sub->add_option("--cell", *cells, "cell(s) to qualify: built-in names or files")->capture_default_str();
  sub->add_option("--baseline", *baseline, "the reference cell")->capture_default_str();
  sub->add_option("-o,--output", *out_dir, "report folder (index.html, design.json)")->capture_default_str();
  sub->add_flag("--json", *json, "print the summary as JSON");
  return [cells, baseline, out_dir, json]() {
    std::vector<report::ReportCell> subjects;
    for (const auto& c : *cells) {
      auto l = load_cell_argument(c);
      subjects.push_back({l.cell, l.figures, l.origin, l.hash});
    }
    auto b = load_cell_argument(*baseline);
    report::ReportCell base{b.cell, b.figures, b.origin, b.hash};

    report::ReportMetadata meta{build_info::version, build_info::git_sha, utc_timestamp(), "solidcell qualify"};
    report::AnnouncedClaim claim;
    auto html = report::render_qualify_report(subjects, base, claim, meta);

    nlohmann::json data{{"solidcell_version", meta.version}, {"git_sha", meta.git_sha}, {"created_utc", meta.created_utc}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : subjects) {
      auto j = report::design_to_json(s.figures);
      j["input_file"] = s.origin;
      j["input_hash"] = s.input_hash;
      j["specific_energy_vs_baseline"] = s.figures.specific_energy_Wh_per_kg / base.figures.specific_energy_Wh_per_kg;
      j["energy_density_vs_baseline"] = s.figures.energy_density_Wh_per_L / base.figures.energy_density_Wh_per_L;
      list.push_back(j);
    }
    data["cells"] = list;
    auto bj = report::design_to_json(base.figures);
    bj["input_file"] = base.origin;
    bj["input_hash"] = base.input_hash;
    data["baseline"] = bj;

    std::filesystem::path dir(*out_dir);
    write_file_atomically(dir / "design.json", data.dump(2) + "\n");
    write_file_atomically(dir / "index.html", html);

    if (*json) {
      data["report"] = (dir / "index.html").string();
      fmt::print("{}\n", data.dump(2));
      return 0;
    }
    std::vector<const cell::DesignFigures*> figs;
    for (const auto& s : subjects) figs.push_back(&s.figures);
    figs.push_back(&base.figures);
    fmt::print("solidcell qualify: {} beside the baseline {}\n\n", fmt::join(*cells, ", "), *baseline);
    fmt::print("{}\n", figures_table(figs, false));
    for (const auto& s : subjects) {
      fmt::print("{}: {:+.1f} % Wh/kg and {:+.1f} % Wh/L against {} (announced class: about {:.0f} Wh/kg, {:.0f} Wh/L, +{:.0f} %)\n",
                 s.figures.cell_name, 100 * (s.figures.specific_energy_Wh_per_kg / base.figures.specific_energy_Wh_per_kg - 1),
                 100 * (s.figures.energy_density_Wh_per_L / base.figures.energy_density_Wh_per_L - 1), base.figures.cell_name,
                 claim.specific_energy_Wh_per_kg, claim.energy_density_Wh_per_L, 100 * claim.gain_over_liquid);
    }
    fmt::print("\nreport: {}\n", (dir / "index.html").string());
    return 0;
  };
}

}  // namespace solidcell::cli
