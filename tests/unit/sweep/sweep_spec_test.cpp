// Sweep specs: what a good spec reads as, and that every malformed one names the file, line, field, value
// and what is allowed.
#include <gtest/gtest.h>

#include <string>

#include "solidcell/base/input_error.hpp"
#include "solidcell/sweep/study.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {
namespace {

const std::string good = R"([sweep]
name = "t"
study = "experiment"
method = "latin_hypercube"
samples = 8
seed = 3

[study]
cell = "lgm50"
model = "spm"
experiment = "Discharge at {current_A} A until 2.5 V"

[[parameter]]
name = "Negative particle radius [m]"
low = 4e-6
high = 7e-6
source = "test"

[[parameter]]
name = "current_A"
low = 1.0
high = 5.0
distribution = "normal"

[outputs]
summary = ["Discharge capacity [A.h]"]
)";

InputError error_of(const std::string& text) {
  try {
    auto spec = parse_sweep_spec(text, "spec.toml");
    make_study(spec);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return InputError({}, "", "");
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

TEST(SweepSpec, ReadsAGoodSpec) {
  const auto spec = parse_sweep_spec(good, "spec.toml");
  EXPECT_EQ(spec.name, "t");
  EXPECT_EQ(spec.study, "experiment");
  EXPECT_EQ(spec.method, Method::latin_hypercube);
  EXPECT_EQ(spec.samples, 8u);
  EXPECT_EQ(spec.case_count(), 8u);
  EXPECT_EQ(spec.seed, 3u);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].name, "Negative particle radius [m]");
  EXPECT_EQ(spec.parameters[0].line, 14);
  EXPECT_EQ(spec.parameters[1].distribution, Distribution::normal);
  EXPECT_EQ(spec.summary_outputs, std::vector<std::string>{"Discharge capacity [A.h]"});
  EXPECT_NO_THROW(make_study(spec));
}

TEST(SweepSpec, HashIgnoresNameAndOutputButNotValues) {
  const auto a = parse_sweep_spec(good, "a.toml");
  const auto b = parse_sweep_spec(replace(replace(good, "name = \"t\"", "name = \"other\"\noutput = \"x\""), "seed = 3", "seed = 3 # same"), "b.toml");
  EXPECT_EQ(a.hash, b.hash);
  const auto c = parse_sweep_spec(replace(good, "high = 5.0", "high = 5.5"), "a.toml");
  EXPECT_NE(a.hash, c.hash);
}

TEST(SweepSpec, GridCountsEveryCombination) {
  const auto spec = parse_sweep_spec(R"([sweep]
name = "g"
study = "design"
method = "grid"
[study]
cell = "lgm50"
[[parameter]]
name = "positive.porosity"
values = [0.3, 0.35]
[[parameter]]
name = "positive.thickness_um"
values = [60.0, 70.0, 80.0]
)",
                                     "g.toml");
  EXPECT_EQ(spec.case_count(), 6u);
  EXPECT_NO_THROW(make_study(spec));
}

TEST(SweepSpec, ErrorsNameFileLineFieldValueAndAllowed) {
  {
    auto e = error_of(replace(good, "method = \"latin_hypercube\"", "method = \"sobol\""));
    EXPECT_EQ(e.where().file, "spec.toml");
    EXPECT_EQ(e.where().line, 4);
    EXPECT_EQ(e.where().field, "sweep.method");
    EXPECT_EQ(e.value(), "\"sobol\"");
    EXPECT_NE(e.allowed().find("latin_hypercube"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "samples = 8", "samples = 0"));
    EXPECT_EQ(e.where().field, "sweep.samples");
    EXPECT_EQ(e.where().line, 5);
    EXPECT_NE(e.allowed().find("[1,"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "study = \"experiment\"", "study = \"aging\""));
    EXPECT_EQ(e.where().field, "sweep.study");
    EXPECT_NE(e.allowed().find("\"abuse\""), std::string::npos);
    EXPECT_NE(e.allowed().find("\"ageing\""), std::string::npos);
    EXPECT_NE(e.allowed().find("\"vehicle\""), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "name = \"Negative particle radius [m]\"", "name = \"Negative particle radius\""));
    EXPECT_EQ(e.where().line, 14);
    EXPECT_EQ(e.where().field, "parameter[0].name");
    EXPECT_EQ(e.value(), "\"Negative particle radius\"");
    EXPECT_NE(e.allowed().find("Negative particle radius [m]"), std::string::npos);  // lists the model's inputs
  }
  {
    auto e = error_of(replace(good, "high = 7e-6", "high = 3e-6"));
    EXPECT_EQ(e.where().field, "parameter[0].high");
    EXPECT_NE(e.allowed().find("greater than low"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "distribution = \"normal\"", "distribution = \"beta\""));
    EXPECT_EQ(e.where().field, "parameter[1].distribution");
    EXPECT_NE(e.allowed().find("lognormal"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "summary = [\"Discharge capacity [A.h]\"]", "summary = [\"Capacity\"]"));
    EXPECT_EQ(e.where().field, "outputs.summary");
    EXPECT_EQ(e.value(), "\"Capacity\"");
    EXPECT_NE(e.allowed().find("Discharge energy [W.h]"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "model = \"spm\"", "model = \"spm\"\ntemperature = 3"));
    EXPECT_EQ(e.where().field, "study.temperature");
  }
  {
    auto e = error_of(replace(good, "low = 1.0\nhigh = 5.0", "values = [1.0, 2.0]"));
    EXPECT_EQ(e.where().field, "parameter[1].values");
    EXPECT_NE(e.allowed().find("grid"), std::string::npos);
  }
  {
    auto e = error_of(replace(good, "until 2.5 V", "until {v_min} V"));
    EXPECT_EQ(e.where().field, "study.experiment");
    EXPECT_EQ(e.where().line, 11);
    EXPECT_NE(e.allowed().find("{v_min}"), std::string::npos);
  }
  {
    auto e = error_of("[sweep]\nname = \"x\"\nstudy = \"design\"\nmethod = \"grid\"\n[study]\ncell = \"lgm50\"\n");
    EXPECT_EQ(e.where().field, "parameter");
  }
  {
    auto e = error_of("[sweep\nname = 1\n");
    EXPECT_EQ(e.where().line, 1);
    EXPECT_NE(e.allowed().find("TOML syntax"), std::string::npos);
  }
}

TEST(SweepSpec, StudiesRefuseUnknownParametersWithTheirNames) {
  auto design = error_of(R"([sweep]
name = "d"
study = "design"
method = "grid"
[study]
cell = "lgm50"
[[parameter]]
name = "positive.thickness"
values = [1.0]
)");
  EXPECT_EQ(design.where().line, 8);
  EXPECT_NE(design.allowed().find("positive.thickness_um"), std::string::npos);

  auto abuse = error_of(R"([sweep]
name = "a"
study = "abuse"
method = "grid"
[study]
cell = "lgm50"
test = "nail"
[[parameter]]
name = "oven_temperature_C"
values = [130.0]
)");
  EXPECT_EQ(abuse.where().line, 9);
  EXPECT_NE(abuse.allowed().find("only for test = \"heating\""), std::string::npos);
}

}  // namespace
}  // namespace solidcell::sweep
