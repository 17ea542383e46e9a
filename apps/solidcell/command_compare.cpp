// solidcell compare A B [--json]: two cells side by side, with B/A ratios.
#include <fmt/format.h>

#include "cell_arguments.hpp"
#include "commands.hpp"
#include "design_text.hpp"
#include "solidcell/report/design_json.hpp"

namespace solidcell::cli {

Runner add_compare_command(CLI::App& app) {
  auto* sub = app.add_subcommand("compare", "Two cells side by side with ratios (B/A)");
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub->add_option("A", *a, "first cell: built-in name or file")->required();
  sub->add_option("B", *b, "second cell: built-in name or file")->required();
  sub->add_flag("--json", *json, "print one JSON object {a, b, ratio_b_over_a}");
  return [a, b, json]() {
    auto ca = load_cell_argument(*a);
    auto cb = load_cell_argument(*b);
    if (*json) {
      auto ja = report::design_to_json(ca.figures);
      auto jb = report::design_to_json(cb.figures);
      nlohmann::json ratio;
      for (auto it = ja.begin(); it != ja.end(); ++it)
        if (it->is_number() && jb[it.key()].is_number() && it->get<double>() != 0.0)
          ratio[it.key()] = jb[it.key()].get<double>() / it->get<double>();
      fmt::print("{}\n", nlohmann::json{{"a", ja}, {"b", jb}, {"ratio_b_over_a", ratio}}.dump(2));
      return 0;
    }
    fmt::print("A = {} ({}), B = {} ({})\n\n", ca.figures.cell_name, ca.origin, cb.figures.cell_name, cb.origin);
    fmt::print("{}", figures_table({&ca.figures, &cb.figures}, true));
    return 0;
  };
}

}  // namespace solidcell::cli
