// solidcell: the command-line front end. Thin over the library: parse, call, print.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"

int main(int argc, char** argv) {
  CLI::App app{"solidcell: lithium cells from design to road to factory, all-solid-state beside the liquid baseline"};
  app.set_version_flag("--version", fmt::format("solidcell {} (git {})", solidcell::build_info::version, solidcell::build_info::git_sha));
  app.require_subcommand(1);
  app.fallthrough(false);

  std::vector<std::pair<std::string, solidcell::cli::Runner>> runners{
      {"cells", solidcell::cli::add_cells_command(app)},
      {"design", solidcell::cli::add_design_command(app)},
      {"compare", solidcell::cli::add_compare_command(app)},
      {"check", solidcell::cli::add_check_command(app)},
      {"import-bpx", solidcell::cli::add_import_bpx_command(app)},
      {"run", solidcell::cli::add_run_command(app)},
      {"age", solidcell::cli::add_age_command(app)},
      {"abuse", solidcell::cli::add_abuse_command(app)},
      {"qualify", solidcell::cli::add_qualify_command(app)},
      {"line", solidcell::cli::add_line_command(app)},
      {"variability", solidcell::cli::add_variability_command(app)},
      {"drive", solidcell::cli::add_drive_command(app)},
      {"year", solidcell::cli::add_year_command(app)},
      {"sweep", solidcell::cli::add_sweep_command(app)},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage errors are bad input too
  }

  try {
    for (auto& [name, run] : runners)
      if (app.get_subcommand(name)->parsed()) return run();
    return 2;
  } catch (const solidcell::InputError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "internal error: {} (please report it with the input that caused it)\n", e.what());
    return 1;
  }
}
