// The ageing and vehicle studies of a sweep: each case equals the library run with the same settings
// (`solidcell age`'s run_cycle_study, `solidcell drive`'s drive), the swept values reach the model, and
// parameter names the studies do not know are refused with the names they do.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "solidcell/ageing/ageing_setup.hpp"
#include "solidcell/ageing/cycle_study.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/sweep/case_file.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/nedc.hpp"

namespace solidcell::sweep {
namespace {

namespace fs = std::filesystem;

class StudyKinds : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("solidcell_studies_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  SweepOptions options(int threads) {
    SweepOptions o;
    o.output = (dir_ / "out").string();
    o.threads = threads;
    o.sync = false;
    return o;
  }
  CaseRecord read(std::size_t id) {
    auto r = read_case_file(dir_ / "out" / "cases" / case_file_name(id));
    EXPECT_TRUE(r.has_value());
    return r.value_or(CaseRecord{});
  }
  static double scalar(const CaseRecord& r, const std::string& name) {
    for (std::size_t i = 0; i < r.scalar_names.size(); ++i)
      if (r.scalar_names[i] == name) return r.scalars[i];
    ADD_FAILURE() << "no scalar " << name;
    return 0.0;
  }
  fs::path dir_;
};

const char* cycle = "Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20";

TEST_F(StudyKinds, AgeingCasesEqualTheCycleStudyAndHeatAgesFaster) {
  const auto spec = parse_sweep_spec(std::string(R"([sweep]
name = "ageing"
study = "ageing"
method = "grid"
[study]
cell = "liquid-ncm811-graphite"
experiment = ")") + cycle + R"("
cycles = 4
[[parameter]]
name = "ambient_temperature_K"
values = [298.15, 318.15]
)",
                                     "ageing.toml");
  ASSERT_TRUE(run_sweep(spec, options(2)).complete);
  const auto cool = read(0), hot = read(1);
  ASSERT_TRUE(cool.done) << cool.failure;
  ASSERT_TRUE(hot.done) << hot.failure;

  // The same study through the library, as `solidcell age liquid-ncm811-graphite --cycles 4 --temperature-C 45` runs it.
  const auto cell = cell::load_cell("liquid-ncm811-graphite");
  ageing::AgeingSetup setup;
  setup.ambient_temperature_K = 318.15;
  auto aged = ageing::make_ageing_cell(cell, "liquid-ncm811-graphite", setup);
  ageing::CycleStudyOptions so;
  so.cycles = 4;
  const auto direct = ageing::run_cycle_study(*aged, experiment::parse_experiment(cycle, "test"), so);
  ASSERT_EQ(direct.cycles.size(), 4u);
  EXPECT_DOUBLE_EQ(scalar(hot, "Capacity retention"), direct.cycles.back().capacity_retention);
  EXPECT_DOUBLE_EQ(scalar(hot, "Final discharge capacity [A.h]"), direct.cycles.back().discharge_capacity_Ah);
  EXPECT_DOUBLE_EQ(scalar(hot, "SEI thickness [m]"), direct.cycles.back().sei_thickness_m);
  EXPECT_EQ(scalar(hot, "Cycles run"), 4.0);
  EXPECT_TRUE(std::isnan(scalar(hot, "Cycles to 80 %")));

  // Arrhenius SEI (38 kJ/mol in this cell's file): 45 C grows more film and loses more lithium than 25 C.
  EXPECT_GT(scalar(hot, "SEI thickness [m]"), scalar(cool, "SEI thickness [m]"));
  EXPECT_GT(scalar(hot, "Lithium inventory lost [mol]"), 1.2 * scalar(cool, "Lithium inventory lost [mol]"));
  EXPECT_GT(scalar(cool, "Lithium inventory lost [mol]"), 0.0);
}

TEST_F(StudyKinds, AgeingStudyVariesTheStackPressureAndRecordsAShort) {
  // The sulfide lithium cell's fade: contact loss falls with stack pressure (docs/ageing.md).
  const auto spec = parse_sweep_spec(std::string(R"([sweep]
name = "pressure"
study = "ageing"
method = "grid"
[study]
cell = "assb-sulfide-li"
experiment = "Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V"
initial_soc = 0.0
cycles = 3
[[parameter]]
name = "stack_pressure_Pa"
values = [2e6, 5e6, 5e7]
)"),
                                     "pressure.toml");
  ASSERT_TRUE(run_sweep(spec, options(1)).complete);
  const auto shorted = read(0), low = read(1), high = read(2);
  for (const auto* r : {&shorted, &low, &high}) ASSERT_TRUE(r->done) << r->failure;
  // At 2 MPa the C/5 charge passes the critical current density: a short, recorded as an outcome of the case.
  EXPECT_EQ(scalar(shorted, "Short circuit (0/1)"), 1.0);
  EXPECT_LT(scalar(shorted, "Cycles run"), 3.0);
  // Above it, three cycles; contact loss scales as pressure^-0.5: 10x the pressure, sqrt(10) less loss.
  EXPECT_EQ(scalar(low, "Short circuit (0/1)"), 0.0);
  EXPECT_EQ(scalar(high, "Cycles run"), 3.0);
  const double lost_low = 1.0 - scalar(low, "Cathode contact fraction"), lost_high = 1.0 - scalar(high, "Cathode contact fraction");
  EXPECT_GT(lost_high, 0.0);
  EXPECT_NEAR(lost_low / lost_high, std::sqrt(10.0), 0.03 * std::sqrt(10.0));
  EXPECT_LT(scalar(low, "Capacity retention"), scalar(high, "Capacity retention"));
}

TEST_F(StudyKinds, VehicleCasesEqualTheDriveAndFollowTheVehicleFile) {
  const auto spec = parse_sweep_spec(R"([sweep]
name = "drag"
study = "vehicle"
method = "grid"
[study]
pack = "model3-class-ncm811"
vehicle = "midsize-bev"
cycle = "nedc"
[[parameter]]
name = "vehicle:road_load.drag_coefficient"
values = [0.23, 0.30]
[[parameter]]
name = "pack:pack.parallel"
values = [4]
)",
                                     "drag.toml");
  ASSERT_TRUE(run_sweep(spec, options(2)).complete);
  const auto sleek = read(0), blunt = read(1);
  ASSERT_TRUE(sleek.done) << sleek.failure;
  ASSERT_TRUE(blunt.done) << blunt.failure;

  // The first case through the library, as `solidcell drive` runs it (drag 0.23 is the file's own value).
  auto pack = vehicle::load_pack("model3-class-ncm811");
  pack.parallel = 4;
  const auto car = vehicle::load_vehicle("midsize-bev");
  const auto cell = cell::load_cell(pack.cell);
  const auto figures = cell::compute_design(cell, pack.cell);
  const auto direct = vehicle::drive(cell, figures, pack.cell, pack, car, vehicle::nedc_speed_trace(), vehicle::DriveOptions{});
  EXPECT_DOUBLE_EQ(scalar(sleek, "Consumption [kW.h/100km]"), direct.consumption_kWh_per_100km);
  EXPECT_DOUBLE_EQ(scalar(sleek, "Range [km]"), direct.range_km);
  EXPECT_DOUBLE_EQ(scalar(sleek, "Cells in pack"), static_cast<double>(direct.pack_figures.cells));

  // More drag, more energy per km and less range; the pack is the same.
  EXPECT_GT(scalar(blunt, "Consumption [kW.h/100km]"), 1.03 * scalar(sleek, "Consumption [kW.h/100km]"));
  EXPECT_LT(scalar(blunt, "Range [km]"), scalar(sleek, "Range [km]"));
  EXPECT_EQ(scalar(blunt, "Pack energy [kW.h]"), scalar(sleek, "Pack energy [kW.h]"));
}

TEST(StudyKindNames, UnknownParametersAreRefusedWithTheNamesTheStudyKnows) {
  auto refusal = [](const std::string& text) {
    try {
      parse_sweep_spec(text, "bad.toml");
      make_study(parse_sweep_spec(text, "bad.toml"));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto ageing = refusal(R"([sweep]
name = "x"
study = "ageing"
method = "grid"
[study]
cell = "lgm50"
experiment = "Discharge at 1C until 2.5 V"
cycles = 2
[[parameter]]
name = "stack_presure_Pa"
values = [1e6]
)");
  EXPECT_NE(ageing.find("bad.toml:10: parameter[0].name = \"stack_presure_Pa\""), std::string::npos) << ageing;
  EXPECT_NE(ageing.find("\"stack_pressure_Pa\""), std::string::npos) << ageing;

  const auto vehicle = refusal(R"([sweep]
name = "x"
study = "vehicle"
method = "grid"
[study]
pack = "model3-class-ncm811"
vehicle = "midsize-bev"
cycle = "nedc"
[[parameter]]
name = "vehicle:road_load.drag"
values = [0.3]
)");
  EXPECT_NE(vehicle.find("parameter[0].name = \"vehicle:road_load.drag\""), std::string::npos) << vehicle;
  EXPECT_NE(vehicle.find("road_load.drag_coefficient"), std::string::npos) << vehicle;

  const auto no_sei = refusal(std::string(R"([sweep]
name = "x"
study = "ageing"
method = "grid"
[study]
cell = ")") + SOLIDCELL_TEST_DATA_DIR + R"(/nmc811_half_cell.toml"
experiment = "Discharge at 1C until 2.5 V"
cycles = 2
[[parameter]]
name = "initial_soc"
values = [1.0]
)");
  EXPECT_NE(no_sei.find("study.cell"), std::string::npos) << no_sei;
}

}  // namespace
}  // namespace solidcell::sweep
