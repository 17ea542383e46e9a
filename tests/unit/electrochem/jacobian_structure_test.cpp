// The structure-aware Jacobian: every model's declared sparsity pattern covers every entry that actually
// changes (probed column by column at states with current flowing, under every control kind), the column
// grouping is valid, and the sparse (KLU) path gives the same discharges as the band path.
#include <cmath>
#include <iostream>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/numerics/ida_integrator.hpp"
#include "solidcell/numerics/sparsity_pattern.hpp"

namespace solidcell::electrochem {
namespace {

Control control(ControlKind kind, double value) {
  Control c;
  c.kind = kind;
  c.value = value;
  return c;
}

CellParameters parameters_of(const std::string& cell, bool thermal) {
  auto p = model_parameters(cell::load_cell(cell));
  if (!thermal) p.thermal.reset();
  return p;
}

CellParameters half_cell() { return model_parameters(cell::load_cell(std::string(SOLIDCELL_TEST_DATA_DIR) + "/nmc811_half_cell.toml")); }

// A consistent state part-way through a 1C discharge, then jittered so that no derivative vanishes by
// coincidence (a zero overpotential makes d j / d T zero, say).
std::vector<double> state_under_load(BatteryModel& model, std::vector<double>& yp) {
  std::vector<double> y = model.initial_state(0.7);
  model.set_control(control(ControlKind::current, model.parameters().nominal_capacity_Ah));
  numerics::IdaIntegrator ida(model, numerics::IntegratorOptions{1e-6});
  ida.start(0.0, y, yp);
  double t = 0.0;
  ida.advance_to(60.0, 60.0, t, y, yp);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> jitter(-1e-4, 1e-4);
  for (std::size_t k = 0; k < y.size(); ++k) {
    y[k] += jitter(rng) * std::max(std::abs(y[k]), 1e-2);
    yp[k] += jitter(rng) * std::max(std::abs(yp[k]), 1e-6);
  }
  return y;
}

struct Case {
  std::string label;
  CellParameters parameters;
  std::string model;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (bool thermal : {false, true}) {
    for (const char* model : {"dfn", "spm", "spme"}) {
      out.push_back({fmt::format("lgm50 {}{}", model, thermal ? " thermal" : ""), parameters_of("lgm50", thermal), model});
      if (std::string(model) != "spme")  // the SPMe is a liquid-electrolyte model
        out.push_back({fmt::format("assb-sulfide-li {}{}", model, thermal ? " thermal" : ""), parameters_of("assb-sulfide-li", thermal), model});
    }
    out.push_back({fmt::format("assb-sulfide-anodefree dfn{}", thermal ? " thermal" : ""), parameters_of("assb-sulfide-anodefree", thermal), "dfn"});
  }
  out.push_back({"half cell dfn", half_cell(), "dfn"});
  return out;
}

}  // namespace

TEST(JacobianStructure, DeclaredPatternCoversEveryProbedEntry) {
  for (auto& c : cases()) {
    auto model = make_model(c.model, c.parameters, Mesh{});
    std::vector<double> yp;
    std::vector<double> y = state_under_load(*model, yp);
    const auto declared = model->jacobian_pattern();
    ASSERT_EQ(declared.size(), model->size()) << c.label;
    const double v = model->voltage(y.data());
    for (Control imposed : {control(ControlKind::current, 5.0), control(ControlKind::voltage, v), control(ControlKind::power, 5.0 * v),
                            control(ControlKind::resistance, v / 5.0)}) {
      model->set_control(imposed);
      const auto probed = numerics::probe_sparsity(*model, 60.0, y, yp);
      int missing = 0;
      for (std::size_t col = 0; col < probed.size(); ++col)
        for (int row : probed.rows_of_column(col))
          if (!declared.contains(static_cast<std::size_t>(row), col) && static_cast<std::size_t>(row) != col) {
            if (++missing <= 5) ADD_FAILURE() << c.label << ": entry (" << row << ", " << col << ") changes but is not declared";
          }
      EXPECT_EQ(missing, 0) << c.label << " control kind " << static_cast<int>(imposed.kind);
    }
  }
}

TEST(JacobianStructure, GroupedColumnsShareNoSparseRow) {
  auto model = make_model("dfn", parameters_of("lgm50", true), Mesh{});
  const auto pattern = model->jacobian_pattern();
  const auto groups = numerics::group_columns(pattern, numerics::default_dense_row_threshold(pattern.size()));
  std::vector<int> seen(pattern.size(), 0);
  for (const auto& group : groups.columns) {
    std::vector<int> owner(pattern.size(), -1);
    for (int col : group) {
      ++seen[static_cast<std::size_t>(col)];
      for (int row : pattern.rows_of_column(static_cast<std::size_t>(col))) {
        if (groups.dense_row[static_cast<std::size_t>(row)]) continue;
        EXPECT_EQ(owner[static_cast<std::size_t>(row)], -1) << "columns " << owner[static_cast<std::size_t>(row)] << " and " << col << " share row " << row;
        owner[static_cast<std::size_t>(row)] = col;
      }
    }
  }
  for (int count : seen) EXPECT_EQ(count, 1);
  // The point of it: far fewer residuals per Jacobian than the band's width (2 x 28 + 1 for this mesh).
  EXPECT_LT(groups.columns.size(), static_cast<std::size_t>(model->lower_bandwidth() + model->upper_bandwidth() + 1) / 2);
  std::cout << "DFN (lgm50, thermal): " << pattern.size() << " unknowns, " << pattern.nonzeros() << " entries, " << groups.columns.size()
            << " column groups, band width " << model->lower_bandwidth() + model->upper_bandwidth() + 1 << "\n";
}

TEST(JacobianStructure, SparseAndBandSolversGiveTheSameCycle) {
  for (auto& c : cases()) {
    if (c.label.find("half") != std::string::npos) continue;  // a half cell has another voltage window
    std::vector<experiment::Solution> runs;
    for (auto kind : {numerics::LinearSolverKind::band, numerics::LinearSolverKind::sparse}) {
      auto model = make_model(c.model, c.parameters, Mesh{});
      experiment::SimulationOptions o;
      o.relative_tolerance = 1e-8;
      o.linear_solver = kind;
      auto steps = experiment::parse_experiment(fmt::format("Discharge at 1C until {} V, Rest for 10 minutes, Charge at 0.5C until {} V, Hold at {} V until C/20",
                                                            c.parameters.voltage_min_V, c.parameters.voltage_max_V, c.parameters.voltage_max_V));
      runs.push_back(experiment::run_experiment(*model, steps, o));
      ASSERT_FALSE(runs.back().failure) << c.label << ": " << runs.back().failure->reason;
    }
    const auto& band = runs[0];
    const auto& sparse = runs[1];
    ASSERT_EQ(band.steps.size(), sparse.steps.size()) << c.label;
    for (std::size_t k = 0; k < band.steps.size(); ++k) {
      EXPECT_NEAR(band.steps[k].capacity_Ah, sparse.steps[k].capacity_Ah, 2e-5 * c.parameters.nominal_capacity_Ah) << c.label << " step " << k;
      EXPECT_NEAR(band.steps[k].end_s, sparse.steps[k].end_s, 1e-3 * std::max(1.0, band.steps[k].end_s)) << c.label << " step " << k;
    }
    EXPECT_NEAR(band.voltage_V.back(), sparse.voltage_V.back(), 1e-5) << c.label;
  }
}

}  // namespace solidcell::electrochem

namespace solidcell::electrochem {

TEST(ControlKinds, ResistanceControlDischargesThroughTheResistor) {
  // V = I R on every model: the cell discharges through 0.8 ohm (about 1C for the 5 A.h LG M50).
  for (const char* name : {"dfn", "spm", "spme"}) {
    auto model = make_model(name, parameters_of("lgm50", false), Mesh{});
    model->set_control(control(ControlKind::resistance, 0.8));
    std::vector<double> y = model->initial_state(1.0), yp;
    model->guess_current(y.data(), model->open_circuit_voltage(y.data()) / 0.8);
    numerics::IdaIntegrator ida(*model, numerics::IntegratorOptions{1e-8});
    ida.start(0.0, y, yp);
    double t = 0.0;
    for (double t_out : {1.0, 60.0, 600.0}) {
      ida.advance_to(t_out, 600.0, t, y, yp);
      const double v = model->voltage(y.data()), i = model->current(y.data());
      EXPECT_NEAR(v, 0.8 * i, 1e-6) << name << " at " << t << " s";
      EXPECT_GT(i, 4.0) << name;
      EXPECT_LT(i, 5.5) << name;
    }
    // Charge is conserved into the capacity counter: Q = integral of I dt (the current falls slowly with V).
    EXPECT_GT(model->discharge_capacity_Ah(y.data()), 600.0 * 4.0 / 3600.0) << name;
  }
}

}  // namespace solidcell::electrochem
