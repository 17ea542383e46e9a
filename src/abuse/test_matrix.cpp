#include "solidcell/abuse/test_matrix.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "solidcell/abuse/crush_test.hpp"
#include "solidcell/abuse/external_short_test.hpp"
#include "solidcell/abuse/nail_test.hpp"
#include "solidcell/abuse/overcharge_test.hpp"
#include "solidcell/abuse/standard_file.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {
namespace {

// Does the standard file have a [table] for the test?
bool standard_has(const std::string& standard, const std::string& table) { return StandardFile(standard).doc.contains(table); }

const char* table_of(const std::string& test) {
  if (test == "short") return "external_short";
  if (test == "heating") return "heating";
  if (test == "nail") return "nail";
  if (test == "overcharge") return "overcharge";
  return "crush";
}

}  // namespace

const std::vector<std::string>& abuse_test_names() {
  static const std::vector<std::string> names = {"heating", "nail", "overcharge", "crush", "short"};
  return names;
}

bool is_abuse_test(const std::string& name) {
  const auto& n = abuse_test_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

std::string fallback_standard(const std::string& test) { return test == "nail" ? "gbt31485-2015" : "gb38031-2025"; }

AbuseCase make_abuse_case(const cell::Cell& cell, const std::string& cell_file, const std::string& network_name_or_path) {
  AbuseCase c;
  c.cell = cell;
  c.inventory = cell_inventory(cell, cell_file);
  c.network = load_reaction_network(network_name_or_path.empty() ? default_network_name(cell.chemistry) : network_name_or_path);
  return c;
}

AbuseResult run_abuse_test(const std::string& test, const AbuseCase& c, const std::string& standard_in) {
  if (!is_abuse_test(test))
    throw InputError({"", 0, "test"}, test, "heating, nail, overcharge, crush or short");
  const std::string standard = standard_has(standard_in, table_of(test)) ? standard_in : fallback_standard(test);
  // The 3D runs take the lumped options that apply to them.
  ThreeDOptions o3 = c.three_d_options;
  o3.initial_soc = c.options.initial_soc;
  o3.max_operating_temperature_K = c.options.max_operating_temperature_K;
  if (test == "heating") {
    auto p = load_heating_procedure(standard);
    p.convection_W_per_m2_K *= c.convection_factor;
    if (c.three_d) return run_heating_test_3d(c.cell, c.inventory, c.network, p, o3);
    return run_heating_test(c.inventory, c.network, p, c.options);
  }
  if (test == "nail") {
    auto p = load_nail_procedure(standard);
    p.convection_W_per_m2_K *= c.convection_factor;
    p.contact_resistance_ohm *= c.nail_contact_factor;
    NailOverrides o;
    o.position_x_fraction = c.nail_position_x;
    o.position_y_fraction = c.nail_position_y;
    p = with_overrides(p, o);
    return run_nail_test_3d(c.cell, c.inventory, c.network, p, o3);
  }
  if (test == "overcharge") {
    auto p = load_overcharge_procedure(standard);
    p.convection_W_per_m2_K *= c.convection_factor;
    return run_overcharge_test(c.inventory, c.network, p, c.options);
  }
  if (test == "crush") {
    auto p = load_crush_procedure(standard);
    p.convection_W_per_m2_K *= c.convection_factor;
    if (c.three_d) return run_crush_test_3d(c.cell, c.inventory, c.network, p, o3);
    return run_crush_test(c.cell, c.inventory, c.network, p, c.options);
  }
  auto p = load_external_short_procedure(standard);
  p.convection_W_per_m2_K *= c.convection_factor;
  return run_external_short_test(c.inventory, c.network, p, c.options);
}

}  // namespace solidcell::abuse
