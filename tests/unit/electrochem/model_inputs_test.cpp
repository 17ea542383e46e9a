// Inputs re-solved without rebuilding (BatteryModel::set_input): a model built once and given a new input solves as
// a model built from the changed parameters does, setting the input back restores the first result, and names,
// ranges and inputs that do not fit the cell or the model are refused with the input's name.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/model_factory.hpp"
#include "solidcell/electrochem/model_inputs.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/simulation.hpp"

namespace solidcell::electrochem {
namespace {

CellParameters parameters_of(const std::string& cell, bool thermal = false) {
  auto p = model_parameters(cell::load_cell(cell));
  if (!thermal) p.thermal.reset();
  return p;
}

experiment::Solution run(BatteryModel& model, const std::string& protocol) {
  experiment::SimulationOptions options;
  options.relative_tolerance = 1e-6;
  return experiment::run_experiment(model, experiment::parse_experiment(protocol), options);
}

// A full discharge to the cell's lower cut-off, as the example.
std::string full_discharge(const CellParameters& p) { return fmt::format("Discharge at 1C until {} V", p.voltage_min_V); }

// The same voltage curve and capacity to 1e-9 relative (bit for bit when the two models' parameters are equal bit for bit).
void expect_same_run(const experiment::Solution& a, const experiment::Solution& b, const std::string& what) {
  ASSERT_FALSE(a.failure) << what << ": " << a.failure->reason;
  ASSERT_FALSE(b.failure) << what << ": " << b.failure->reason;
  ASSERT_EQ(a.time_s.size(), b.time_s.size()) << what;
  for (std::size_t k = 0; k < a.time_s.size(); ++k) {
    ASSERT_NEAR(a.time_s[k], b.time_s[k], 1e-9 * std::max(1.0, std::abs(b.time_s[k]))) << what << " at row " << k;
    ASSERT_NEAR(a.voltage_V[k], b.voltage_V[k], 1e-9 * std::abs(b.voltage_V[k])) << what << " at row " << k;
    ASSERT_NEAR(a.temperature_K[k], b.temperature_K[k], 1e-9 * b.temperature_K[k]) << what << " at row " << k;
  }
  EXPECT_NEAR(a.discharge_capacity_Ah.back(), b.discharge_capacity_Ah.back(), 1e-9 * std::abs(b.discharge_capacity_Ah.back())) << what;
}

struct HandChange {
  std::string input;
  double value;
  std::function<void(CellParameters&)> change;  // the same change written out on the parameters
};

// For each change: the model built once takes the input and solves as a model built from the hand-changed
// parameters; the input set back to its first value gives the first result again.
void check_against_fresh_models(const std::string& model_name, const CellParameters& base, const std::vector<HandChange>& changes) {
  auto model = make_model(model_name, base);
  const std::string protocol = full_discharge(base);
  const auto original = run(*model, protocol);
  ASSERT_FALSE(original.failure) << model_name;
  for (const auto& c : changes) {
    const std::string what = fmt::format("{} of {}: {} = {}", model_name, base.name, c.input, c.value);
    const double before = input_value(model->parameters(), c.input);
    model->set_input(c.input, c.value);
    CellParameters by_hand = base;
    c.change(by_hand);
    auto fresh = make_model(model_name, by_hand);
    const auto changed = run(*model, protocol);
    expect_same_run(changed, run(*fresh, protocol), what);
    // The input must matter, or the comparison above proves nothing.
    EXPECT_NE(changed.discharge_capacity_Ah.back(), original.discharge_capacity_Ah.back()) << what;
    model->set_input(c.input, before);
    expect_same_run(run(*model, protocol), original, what + ", set back");
  }
}

}  // namespace

TEST(ModelInputs, DfnWithNewInputsSolvesAsAFreshModel) {
  const auto base = parameters_of("lgm50");
  check_against_fresh_models(
      "dfn", base,
      {{"Negative particle radius [m]", 4.0e-6,
        [](CellParameters& p) {
          p.negative->particle_radius_m = 4.0e-6;
          p.negative->surface_area_per_volume = 3.0 * p.negative->active_fraction / 4.0e-6;
        }},
       {"Positive electrode thickness [m]", 70e-6, [](CellParameters& p) { p.positive.thickness_m = 70e-6; }},
       {"Separator porosity", 0.35,
        [](CellParameters& p) {
          p.separator.porosity = 0.35;
          p.separator.electrolyte_fraction = 0.35;
        }},
       {"Negative electrode Bruggeman coefficient (electrolyte)", 2.0, [](CellParameters& p) { p.negative->bruggeman = 2.0; }},
       {"Initial concentration in electrolyte [mol.m-3]", 800.0, [](CellParameters& p) { p.electrolyte->initial_concentration = 800.0; }},
       {"Positive electrode conductivity [S.m-1]", 0.02, [](CellParameters& p) { p.positive.conductivity = 0.02; }},
       {"Electrode area [m2]", 0.09, [](CellParameters& p) { p.electrode_area_m2 = 0.09; }}});
}

TEST(ModelInputs, SpmWithNewInputsSolvesAsAFreshModel) {
  const auto base = parameters_of("lgm50");
  check_against_fresh_models(
      "spm", base,
      {{"Positive particle radius [m]", 8e-6,
        [](CellParameters& p) {
          p.positive.particle_radius_m = 8e-6;
          p.positive.surface_area_per_volume = 3.0 * p.positive.active_fraction / 8e-6;
        }},
       {"Negative particle diffusivity [m2.s-1]", 1e-14, [](CellParameters& p) { p.negative->diffusivity = 1e-14; }},
       {"Positive electrode active material volume fraction", 0.6,
        [](CellParameters& p) {
          p.positive.active_fraction = 0.6;
          p.positive.surface_area_per_volume = 3.0 * 0.6 / p.positive.particle_radius_m;
        }},
       {"Negative electrode exchange-current density [A.m-2]", 0.05,
        [](CellParameters& p) { p.negative->exchange_current_reference = 0.05; }}});
}

TEST(ModelInputs, SpmeWithNewInputsSolvesAsAFreshModel) {
  const auto base = parameters_of("lgm50");
  check_against_fresh_models(
      "spme", base,
      {{"Negative electrode thickness [m]", 95e-6, [](CellParameters& p) { p.negative->thickness_m = 95e-6; }},
       {"Positive electrode porosity", 0.3,
        [](CellParameters& p) {
          p.positive.porosity = 0.3;
          p.positive.electrolyte_fraction = 0.3;
        }},
       {"Cation transference number", 0.38, [](CellParameters& p) { p.electrolyte->transference_number = 0.38; }},
       {"Separator thickness [m]", 25e-6, [](CellParameters& p) { p.separator.thickness_m = 25e-6; }}});
}

TEST(ModelInputs, SolidStateDfnWithNewInputsSolvesAsAFreshModel) {
  const auto base = parameters_of("assb-sulfide-li");
  check_against_fresh_models(
      "dfn", base,
      {{"Solid electrolyte ionic conductivity [S.m-1]", 0.05,
        [](CellParameters& p) {
          p.separator.ionic_conductivity = 0.05;
          p.positive.ionic_conductivity = 0.05;
        }},
       {"Positive electrode interface resistance [Ohm.m2]", 5e-4, [](CellParameters& p) { p.positive.interface_resistance = 5e-4; }},
       {"Lithium metal interface resistance [Ohm.m2]", 2e-3, [](CellParameters& p) { p.lithium_metal->interface_resistance = 2e-3; }},
       {"Positive electrode porosity", 0.15,
        [](CellParameters& p) {
          // The solids keep their proportions in what the pores leave.
          const double scale = (1.0 - 0.15) / (1.0 - p.positive.porosity);
          p.positive.porosity = 0.15;
          p.positive.active_fraction *= scale;
          p.positive.electrolyte_fraction *= scale;
          p.positive.surface_area_per_volume = 3.0 * p.positive.active_fraction / p.positive.particle_radius_m;
        }},
       {"Separator thickness [m]", 60e-6, [](CellParameters& p) { p.separator.thickness_m = 60e-6; }},
       {"Positive electrode thickness [m]", 50e-6, [](CellParameters& p) { p.positive.thickness_m = 50e-6; }}});
}

TEST(ModelInputs, EveryInputOfEveryModelSolvesAsAFreshModel) {
  // Each input a model lists, moved by 5 % (or set to a small value where it is zero), on a thermal cell so that
  // the thermal inputs apply; the reference model is built from apply_input()'s parameters.
  struct Case {
    const char* model;
    const char* cell;
  };
  int checked = 0;
  for (const Case& c : {Case{"dfn", "lgm50"}, Case{"spm", "lgm50"}, Case{"spme", "lgm50"}, Case{"dfn", "assb-sulfide-li"},
                        Case{"spm", "assb-sulfide-li"}, Case{"dfn", "assb-sulfide-anodefree"}}) {
    const auto base = parameters_of(c.cell, true);
    auto model = make_model(c.model, base);
    const auto names = model->input_names();
    const std::string kind = c.model;
    EXPECT_EQ(names, model_input_names(base, kind == "dfn" ? model_kind::dfn : kind == "spm" ? model_kind::spm : model_kind::spme));
    const auto original = run(*model, "Discharge at 1C for 10 minutes");
    for (const auto& name : names) {
      if (name == ambient_temperature_input) continue;  // the experiment's options set it (see AmbientTemperature...)
      const double before = input_value(base, name);
      const auto& range = find_model_input(name).range;
      CellParameters changed = base;
      double value = before == 0.0 ? range.low + 1e-4 * (range.high - range.low) : 1.05 * before;
      try {
        apply_input(changed, name, value);
      } catch (const InputError&) {  // out of range or volume fractions above 1: go the other way
        value = 0.95 * before;
        apply_input(changed, name, value);
      }
      const std::string what = fmt::format("{} of {}: {} = {}", c.model, c.cell, name, value);
      model->set_input(name, value);
      auto fresh = make_model(c.model, changed);
      const auto a = run(*model, "Discharge at 1C for 10 minutes");
      const auto b = run(*fresh, "Discharge at 1C for 10 minutes");
      expect_same_run(a, b, what);
      // Against a model built from the changed model's own parameters the runs are equal bit for bit (above, the
      // solid-state porosities set back leave their solids' fractions a rounding error from the first values).
      const auto twin = run(*make_model(c.model, model->parameters()), "Discharge at 1C for 10 minutes");
      EXPECT_TRUE(a.voltage_V == twin.voltage_V && a.temperature_K == twin.temperature_K) << what;
      model->set_input(name, before);
      ++checked;
    }
    expect_same_run(run(*model, "Discharge at 1C for 10 minutes"), original, std::string(c.model) + " of " + c.cell + ", all set back");
  }
  std::cout << checked << " inputs checked against freshly built models\n";
  EXPECT_GT(checked, 80);
}

TEST(ModelInputs, UnknownNamesAndValuesOutOfRangeNameTheInput) {
  auto model = make_model("dfn", parameters_of("lgm50"));
  const auto before = model->parameters().negative->particle_radius_m;
  try {
    model->set_input("Negative particle radius", 5e-6);  // the unit is part of the name
    FAIL() << "an unknown name was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("unknown input \"Negative particle radius\""), std::string::npos) << what;
    EXPECT_NE(what.find("\"Negative particle radius [m]\""), std::string::npos) << what;  // the valid names are listed
  }
  try {
    model->set_input("Negative particle radius [m]", -5e-6);
    FAIL() << "a negative radius was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "Negative particle radius [m]");
    EXPECT_STREQ(e.what(), "Negative particle radius [m] = -5e-06: allowed range (0, 0.001] m");
  }
  EXPECT_THROW(model->set_input("Separator porosity", std::nan("")), InputError);
  EXPECT_THROW(model->set_input("Cation transference number", 1.0), InputError);
  try {
    model->set_input("Positive electrode active material volume fraction", 0.8);  // beside a porosity of 0.335
    FAIL() << "volume fractions above 1 were accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "Positive electrode active material volume fraction");
    EXPECT_NE(std::string(e.what()).find("would add up to 1.135"), std::string::npos) << e.what();
  }
  try {
    model->set_input("Lower voltage cut-off [V]", 4.3);
    FAIL() << "crossed cut-offs were accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("Lower voltage cut-off [V] = 4.3: the lower voltage cut-off"), std::string::npos) << e.what();
  }
  // A refused input leaves the model as it was.
  EXPECT_EQ(model->parameters().negative->particle_radius_m, before);
  EXPECT_EQ(model->parameters().positive.active_fraction, parameters_of("lgm50").positive.active_fraction);
  EXPECT_THROW(find_model_input("Negative electrode diffusivity"), std::invalid_argument);
}

TEST(ModelInputs, InputsThatDoNotApplyAreRefused) {
  auto solid = make_model("dfn", parameters_of("assb-sulfide-li"));
  for (const char* name : {"Negative particle radius [m]", "Initial concentration in electrolyte [mol.m-3]", "Cation transference number",
                           "Cell heat capacity [J.K-1]"}) {
    try {
      solid->set_input(name, 1.0);
      FAIL() << name << " was accepted for a solid-state cell with a lithium negative (isothermal)";
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().field, name);
      EXPECT_NE(std::string(e.what()).find("does not apply to the cell \"assb-sulfide-li\": it needs"), std::string::npos) << e.what();
    }
    const auto names = solid->input_names();
    EXPECT_EQ(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  auto liquid = make_model("dfn", parameters_of("lgm50"));
  EXPECT_THROW(liquid->set_input("Solid electrolyte ionic conductivity [S.m-1]", 0.1), InputError);
  EXPECT_THROW(liquid->set_input("Lithium metal exchange-current density [A.m-2]", 10.0), InputError);
  // The SPM has no ohmic or electrolyte transport terms: an input it would ignore is refused, not silently kept.
  auto spm = make_model("spm", parameters_of("lgm50"));
  try {
    spm->set_input("Negative electrode conductivity [S.m-1]", 100.0);
    FAIL() << "the SPM accepted an electrode conductivity";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the SPM model does not use it"), std::string::npos) << e.what();
  }
  const auto spm_names = spm->input_names();
  EXPECT_EQ(std::find(spm_names.begin(), spm_names.end(), "Cation transference number"), spm_names.end());
  EXPECT_NE(std::find(spm_names.begin(), spm_names.end(), "Negative particle radius [m]"), spm_names.end());
}

TEST(ModelInputs, AmbientTemperatureIsTheModelsTemperature) {
  auto model = make_model("spme", parameters_of("lgm50"));
  model->set_input(ambient_temperature_input, 313.15);
  EXPECT_EQ(model->temperature(), 313.15);
  EXPECT_THROW(model->set_input(ambient_temperature_input, 450.0), InputError);
  EXPECT_EQ(model->temperature(), 313.15);
  CellParameters p = model->parameters();
  EXPECT_THROW(apply_input(p, ambient_temperature_input, 300.0), std::invalid_argument);  // not a CellParameters value
}

TEST(ModelInputs, AmbientTemperatureInputHoldsThroughAnExperimentUnlessTheOptionsGiveOne) {
  auto p = parameters_of("lgm50");
  p.thermal.reset();
  auto model = make_model("spm", p);
  model->set_input(ambient_temperature_input, 313.15);
  experiment::SimulationOptions o;
  auto kept = experiment::run_experiment(*model, experiment::parse_experiment("Rest for 1 minute"), o);
  ASSERT_FALSE(kept.failure);
  EXPECT_EQ(kept.temperature_K.back(), 313.15);
  o.ambient_temperature_K = 288.15;
  auto replaced = experiment::run_experiment(*model, experiment::parse_experiment("Rest for 1 minute"), o);
  ASSERT_FALSE(replaced.failure);
  EXPECT_EQ(replaced.temperature_K.back(), 288.15);
}

TEST(ModelInputs, RegistryNamesUnitsAndRangesAreConsistent) {
  std::set<std::string> names;
  for (const auto& in : model_inputs()) {
    EXPECT_TRUE(names.insert(in.name).second) << "twice: " << in.name;
    EXPECT_LT(in.range.low, in.range.high) << in.name;
    if (!in.unit.empty()) {
      EXPECT_NE(in.name.find("[" + in.unit + "]"), std::string::npos) << in.name;
    }
    EXPECT_TRUE(static_cast<bool>(in.applies)) << in.name;
    EXPECT_EQ(static_cast<bool>(in.get), static_cast<bool>(in.set)) << in.name;
  }
  // Every value a built-in cell has lies in its input's range, so that setting it back is always allowed.
  for (const char* cell : {"lgm50", "liquid-ncm811-graphite", "assb-sulfide-li", "assb-sulfide-anodefree"}) {
    const auto p = parameters_of(cell, true);
    for (const auto& name : model_input_names(p)) {
      if (name == ambient_temperature_input) continue;
      EXPECT_TRUE(find_model_input(name).range.contains(input_value(p, name))) << cell << ": " << name << " = " << input_value(p, name);
    }
  }
  // Derived quantities follow: a = 3 eps_AM / R.
  auto p = parameters_of("lgm50");
  apply_input(p, "Negative electrode active material volume fraction", 0.7);
  EXPECT_DOUBLE_EQ(p.negative->surface_area_per_volume, 3.0 * 0.7 / p.negative->particle_radius_m);
  apply_input(p, "Negative electrode porosity", 0.2);
  EXPECT_EQ(p.negative->electrolyte_fraction, 0.2);
}

}  // namespace solidcell::electrochem
