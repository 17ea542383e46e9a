#pragma once
// The CLI's commands: each file adds one subcommand to the app and runs it. Commands return the process
// exit code; bad input reaches main() as solidcell::InputError and exits 2.
#include <CLI/CLI.hpp>
#include <functional>

namespace solidcell::cli {

using Runner = std::function<int()>;

// Each registers its subcommand and returns the function that runs it once parsed.
Runner add_cells_command(CLI::App& app);
Runner add_design_command(CLI::App& app);
Runner add_compare_command(CLI::App& app);
Runner add_check_command(CLI::App& app);
Runner add_import_bpx_command(CLI::App& app);
Runner add_qualify_command(CLI::App& app);
Runner add_run_command(CLI::App& app);
Runner add_age_command(CLI::App& app);
Runner add_abuse_command(CLI::App& app);
Runner add_line_command(CLI::App& app);
Runner add_variability_command(CLI::App& app);
Runner add_drive_command(CLI::App& app);
Runner add_year_command(CLI::App& app);
Runner add_sweep_command(CLI::App& app);

}  // namespace solidcell::cli
