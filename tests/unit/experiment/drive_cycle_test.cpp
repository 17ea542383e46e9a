#include "solidcell/experiment/drive_cycle.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

#include <gtest/gtest.h>

#include "solidcell/base/input_error.hpp"

namespace solidcell::experiment {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

DriveCycle current_csv(const std::string& text) {
  return parse_drive_cycle_csv(text, "c.csv", DriveCycleQuantity::current);
}
std::string current_error(const std::string& text) {
  return error_of([&] { current_csv(text); });
}

// A folder of its own under the system's temporary directory, removed with the test.
class DriveCycleFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("solidcell_drive_cycle_") + info->name() + "_" +
                                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  fs::path dir_;
};

}  // namespace

TEST(DriveCycle, ReadsCurrentInAmperes) {
  DriveCycle c = current_csv("time_s,current_A\n0,1.5\n1,-0.5\n3,2\n");
  EXPECT_EQ(c.quantity, DriveCycleQuantity::current);
  EXPECT_EQ(c.source, "c.csv");
  EXPECT_EQ(c.time_s, (std::vector<double>{0, 1, 3}));
  EXPECT_EQ(c.values, (std::vector<double>{1.5, -0.5, 2}));
  EXPECT_EQ(c.duration_s(), 3.0);
}

TEST(DriveCycle, ConvertsMilliampsAndKilowatts) {
  DriveCycle c = current_csv("time_s,current_mA\n0,50\n10,-200\n");
  EXPECT_EQ(c.values, (std::vector<double>{0.05, -0.2}));
  DriveCycle p = parse_drive_cycle_csv("time_s,power_kW\n0,1.5\n1,-0.25\n", "p.csv", DriveCycleQuantity::power);
  EXPECT_EQ(p.quantity, DriveCycleQuantity::power);
  EXPECT_EQ(p.values, (std::vector<double>{1500, -250}));
  DriveCycle w = parse_drive_cycle_csv("time_s,power_W\n0,10\n1,20\n", "w.csv", DriveCycleQuantity::power);
  EXPECT_EQ(w.values, (std::vector<double>{10, 20}));
}

TEST(DriveCycle, AcceptsPyBaMMHeadersQuotesBlanksCrLfBomAndComments) {
  DriveCycle c = current_csv("\xEF\xBB\xBF# exported from the bench\r\n\"Time [s]\", \"Current [A]\"\r\n\r\n 0 , 1 \r\n"
                             "0.5,+2\r\n# a note\r\n1,3e0\r\n");
  EXPECT_EQ(c.time_s, (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(c.values, (std::vector<double>{1, 2, 3}));
  DriveCycle p = parse_drive_cycle_csv("time [s],Power [kW]\n0,1\n1,2", "p.csv", DriveCycleQuantity::power);
  EXPECT_EQ(p.values, (std::vector<double>{1000, 2000}));  // last row without a newline
}

TEST(DriveCycle, ValueAtInterpolatesLinearlyAndHoldsTheEnds) {
  DriveCycle c = current_csv("time_s,current_A\n0,0\n10,10\n20,-10\n");
  EXPECT_EQ(c.value_at(0.0), 0.0);
  EXPECT_EQ(c.value_at(2.5), 2.5);
  EXPECT_EQ(c.value_at(10.0), 10.0);
  EXPECT_EQ(c.value_at(15.0), 0.0);
  EXPECT_EQ(c.value_at(17.5), -5.0);
  EXPECT_EQ(c.value_at(20.0), -10.0);
  EXPECT_EQ(c.value_at(-1.0), 0.0);
  EXPECT_EQ(c.value_at(1e9), -10.0);
  EXPECT_TRUE(std::isnan(c.value_at(std::nan(""))));
}

TEST(DriveCycle, EmptyCycleIsAProgrammingError) {
  DriveCycle empty;
  EXPECT_THROW(empty.value_at(0.0), std::logic_error);
  EXPECT_THROW(empty.duration_s(), std::logic_error);
}

TEST(DriveCycle, HeaderErrors) {
  const std::string current_header =
      "the first line must be the header time_s,current_A (or current_mA; PyBaMM's \"Time [s]\", \"Current [A]\" "
      "are accepted too)";
  EXPECT_EQ(current_error(""), "c.csv: empty file: " + current_header);
  EXPECT_EQ(current_error("0,1\n1,2\n"), "c.csv:1: header = \"0,1\": " + current_header + "; this line holds numbers");
  EXPECT_EQ(current_error("cycSecs,cycMps,cycGrade,cycRoadType\n0,0,0,0\n"),
            "c.csv:1: header = \"cycSecs,cycMps,cycGrade,cycRoadType\": " + current_header);
  EXPECT_EQ(current_error("seconds,current_A\n0,1\n1,2\n"), "c.csv:1: header = \"seconds\": " + current_header);
  EXPECT_EQ(current_error("time_s,speed_kmh\n0,1\n1,2\n"), "c.csv:1: header = \"speed_kmh\": " + current_header);
  EXPECT_EQ(current_error("time_s,power_W\n0,1\n1,2\n"),
            "c.csv:1: header = \"power_W\": the step reads current (\"Drive cycle current from ...\") but this file "
            "gives power; " +
                current_header);
  EXPECT_EQ(error_of([] { parse_drive_cycle_csv("time_s,current_A\n0,1\n1,2\n", "p.csv", DriveCycleQuantity::power); }),
            "p.csv:1: header = \"current_A\": the step reads power (\"Drive cycle power from ...\") but this file "
            "gives current; the first line must be the header time_s,power_W (or power_kW; PyBaMM's \"Time [s]\", "
            "\"Power [W]\", \"Power [kW]\" are accepted too)");
}

TEST(DriveCycle, RowErrorsNameLineColumnValueAndRule) {
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,abc\n"), "c.csv:3: current_A = \"abc\": must be a number");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,\n"), "c.csv:3: current_A = \"\": must be a number");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1x,2\n"), "c.csv:3: time_s = \"1x\": must be a number");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,nan\n"), "c.csv:3: current_A = nan: must be finite");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,-inf\n"), "c.csv:3: current_A = -inf: must be finite");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,1e999\n"), "c.csv:3: current_A = 1e999: must be finite");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n1,2,3\n"),
            "c.csv:3: \"1,2,3\": each row must have 2 columns, time_s,current_A");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n5\n"), "c.csv:3: \"5\": each row must have 2 columns, time_s,current_A");
  EXPECT_EQ(current_error("Time [s],Current [A]\n0,1\n2,1\n2,3\n"),
            "c.csv:4: Time [s] = 2: must increase strictly from row to row (the row before has 2)");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n5,1\n4,1\n"),
            "c.csv:4: time_s = 4: must increase strictly from row to row (the row before has 5)");
  EXPECT_EQ(current_error("time_s,current_A\n1,1\n2,1\n"),
            "c.csv:2: time_s = 1: the first row must be at time 0 (times count from the start of the step)");
}

TEST(DriveCycle, NeedsTwoRows) {
  EXPECT_EQ(current_error("time_s,current_A\n"), "c.csv:1: a drive cycle needs at least 2 data rows after the header, found 0");
  EXPECT_EQ(current_error("time_s,current_A\n0,1\n\n"),
            "c.csv:2: a drive cycle needs at least 2 data rows after the header, found 1");
}

TEST_F(DriveCycleFile, LoadsAFile) {
  std::string path = write("cycle.csv", "time_s,current_A\n0,0\n1,2\n2,4\n");
  DriveCycle c = load_drive_cycle(path, DriveCycleQuantity::current);
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.values, (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(c.value_at(1.5), 3.0);
}

TEST_F(DriveCycleFile, ErrorsNameTheFile) {
  std::string path = write("bad.csv", "time_s,current_A\n0,0\n1,fast\n");
  EXPECT_EQ(error_of([&] { load_drive_cycle(path, DriveCycleQuantity::current); }),
            path + ":3: current_A = \"fast\": must be a number");
  std::string missing = (dir_ / "missing.csv").string();
  EXPECT_EQ(error_of([&] { load_drive_cycle(missing, DriveCycleQuantity::current); }),
            missing + ": drive-cycle file not found or not a regular file");
  EXPECT_EQ(error_of([&] { load_drive_cycle(dir_.string(), DriveCycleQuantity::power); }),
            dir_.string() + ": drive-cycle file not found or not a regular file");
}

TEST(DriveCycle, QuantityNames) {
  EXPECT_STREQ(to_string(DriveCycleQuantity::current), "current");
  EXPECT_STREQ(to_string(DriveCycleQuantity::power), "power");
}

}  // namespace solidcell::experiment
