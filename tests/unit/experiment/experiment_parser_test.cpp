#include "solidcell/experiment/experiment_parser.hpp"

#include <functional>
#include <stdexcept>

#include <gtest/gtest.h>

#include "solidcell/base/input_error.hpp"

namespace solidcell::experiment {
namespace {

using Q = Termination::Quantity;
using X = Termination::Crossing;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

Step one(const std::string& text) {
  auto steps = parse_experiment(text);
  EXPECT_EQ(steps.size(), 1u) << text;
  return steps.at(0);
}

// The "allowed" part of the error for a single step, without the grammar summary.
std::string reason_of(const std::string& text) {
  try {
    parse_experiment(text);
  } catch (const InputError& e) {
    return e.allowed();
  }
  return "no error";
}

bool has_grammar(const std::string& allowed) {
  return allowed.find(experiment_grammar_summary()) != std::string::npos;
}

}  // namespace

// ---- the forms users write ---------------------------------------------------------------------------------

TEST(ExperimentParser, DischargeAtOneCUntilVoltage) {
  Step s = one("Discharge at 1C until 2.5 V");
  EXPECT_EQ(s.kind, StepKind::c_rate);
  EXPECT_EQ(s.direction, Direction::discharge);
  EXPECT_EQ(s.c_rate, 1.0);
  EXPECT_EQ(s.amperes, 0.0);
  EXPECT_FALSE(s.duration_s);
  ASSERT_EQ(s.terminations.size(), 1u);
  EXPECT_EQ(s.terminations[0].quantity, Q::voltage);
  EXPECT_EQ(s.terminations[0].value, 2.5);
  EXPECT_EQ(s.terminations[0].crossing, X::falling);
  EXPECT_FALSE(s.terminations[0].crossing_written);
  EXPECT_EQ(s.terminations[0].text, "2.5 V");
  EXPECT_EQ(s.text, "Discharge at 1C until 2.5 V");
  EXPECT_EQ(s.number, 1);
  EXPECT_EQ(s.line, 1);
  EXPECT_EQ(s.cycle, 1);
}

TEST(ExperimentParser, ChargeIsNegativeAndItsVoltageLimitRises) {
  Step s = one("Charge at 0.5C until 4.2 V");
  EXPECT_EQ(s.kind, StepKind::c_rate);
  EXPECT_EQ(s.direction, Direction::charge);
  EXPECT_EQ(s.c_rate, -0.5);
  ASSERT_EQ(s.terminations.size(), 1u);
  EXPECT_EQ(s.terminations[0].value, 4.2);
  EXPECT_EQ(s.terminations[0].crossing, X::rising);
}

TEST(ExperimentParser, CRateForms) {
  EXPECT_EQ(one("Charge at C/3 until 4.2 V").c_rate, -1.0 / 3.0);
  EXPECT_EQ(one("Discharge at C / 20 for 1 hour").c_rate, 1.0 / 20.0);
  EXPECT_EQ(one("Discharge at 2C for 10 minutes").c_rate, 2.0);
  EXPECT_EQ(one("Discharge at 0.5 C for 10 minutes").c_rate, 0.5);
  EXPECT_EQ(one("Discharge at .5C for 10 minutes").c_rate, 0.5);
  EXPECT_EQ(one("Discharge at C/2.5 for 10 minutes").c_rate, 1.0 / 2.5);
}

TEST(ExperimentParser, HoldUntilCRate) {
  Step s = one("Hold at 4.2 V until C/50");
  EXPECT_EQ(s.kind, StepKind::voltage);
  EXPECT_EQ(s.direction, Direction::none);
  EXPECT_EQ(s.volts, 4.2);
  ASSERT_EQ(s.terminations.size(), 1u);
  EXPECT_EQ(s.terminations[0].quantity, Q::c_rate);
  EXPECT_EQ(s.terminations[0].value, 1.0 / 50.0);
  EXPECT_EQ(s.terminations[0].crossing, X::falling);
  EXPECT_EQ(s.terminations[0].text, "C/50");
  EXPECT_DOUBLE_EQ(limit_current_A(s.terminations[0], 5.0), 0.1);
}

TEST(ExperimentParser, HoldUntilMilliamps) {
  Step s = one("Hold at 4100 mV until 50 mA");
  EXPECT_EQ(s.volts, 4.1);
  ASSERT_EQ(s.terminations.size(), 1u);
  EXPECT_EQ(s.terminations[0].quantity, Q::current);
  EXPECT_EQ(s.terminations[0].value, 0.05);
  EXPECT_EQ(limit_current_A(s.terminations[0], 5.0), 0.05);
  EXPECT_EQ(one("Hold at 4.1V until 50mA").terminations[0].value, 0.05);  // PyBaMM writes units unspaced
}

TEST(ExperimentParser, RestDurations) {
  Step s = one("Rest for 1 hour");
  EXPECT_EQ(s.kind, StepKind::rest);
  EXPECT_EQ(s.direction, Direction::none);
  EXPECT_EQ(s.duration_s, 3600.0);
  EXPECT_TRUE(s.terminations.empty());
  EXPECT_EQ(s.imposed_current_A(5.0), 0.0);
  EXPECT_EQ(one("Rest for 30 s").duration_s, 30.0);
}

TEST(ExperimentParser, EveryTimeUnit) {
  const std::pair<const char*, double> cases[] = {
      {"Rest for 30 s", 30},          {"Rest for 30 sec", 30},         {"Rest for 30 secs", 30},
      {"Rest for 1 second", 1},       {"Rest for 30 seconds", 30},     {"Rest for 10 m", 600},
      {"Rest for 10 min", 600},       {"Rest for 10 mins", 600},       {"Rest for 1 minute", 60},
      {"Rest for 10 minutes", 600},   {"Rest for 2 h", 7200},          {"Rest for 2 hr", 7200},
      {"Rest for 2 hrs", 7200},       {"Rest for 1 hour", 3600},       {"Rest for 0.5 hours", 1800},
      {"Rest for 1 day", 86400},      {"Rest for 2 days", 172800},     {"Rest for 1 d", 86400},
      {"Rest for 45minutes", 2700},   {"Rest for 1.5h", 5400},         {"Rest for 90 SECONDS", 90},
  };
  for (const auto& [text, seconds] : cases) {
    EXPECT_EQ(one(text).duration_s, seconds) << text;
  }
}

TEST(ExperimentParser, PowerSteps) {
  Step s = one("Discharge at 10 W for 10 minutes");
  EXPECT_EQ(s.kind, StepKind::power);
  EXPECT_EQ(s.watts, 10.0);
  EXPECT_EQ(s.duration_s, 600.0);
  EXPECT_TRUE(s.terminations.empty());
  EXPECT_EQ(one("Charge at 200 mW for 45 minutes").watts, -0.2);
  EXPECT_EQ(one("Discharge at 1.5 kW for 1 minute").watts, 1500.0);
  EXPECT_EQ(one("Discharge at 1W for 0.5 hours").watts, 1.0);
}

TEST(ExperimentParser, CurrentStepsInAmpsAndMilliamps) {
  Step s = one("Discharge at 2 A for 30 minutes or until 3.0 V");
  EXPECT_EQ(s.kind, StepKind::current);
  EXPECT_EQ(s.direction, Direction::discharge);
  EXPECT_EQ(s.amperes, 2.0);
  EXPECT_EQ(s.c_rate, 0.0);
  EXPECT_EQ(s.duration_s, 1800.0);
  ASSERT_EQ(s.terminations.size(), 1u);
  EXPECT_EQ(s.terminations[0].value, 3.0);
  EXPECT_EQ(s.terminations[0].crossing, X::falling);
  EXPECT_EQ(s.imposed_current_A(5.0), 2.0);

  Step c = one("Charge at 200 mA for 45 minutes");
  EXPECT_EQ(c.kind, StepKind::current);
  EXPECT_EQ(c.amperes, -0.2);
  EXPECT_EQ(c.duration_s, 2700.0);
  EXPECT_EQ(one("Charge at 50mA for 1 h").amperes, -0.05);
}

TEST(ExperimentParser, DischargeForOneHour) {
  Step s = one("Discharge at 1C for 1 hour");
  EXPECT_EQ(s.c_rate, 1.0);
  EXPECT_EQ(s.duration_s, 3600.0);
  EXPECT_TRUE(s.terminations.empty());
  EXPECT_DOUBLE_EQ(s.imposed_current_A(5.0), 5.0);
  EXPECT_DOUBLE_EQ(one("Charge at C/2 for 1 hour").imposed_current_A(5.0), -2.5);
}

TEST(ExperimentParser, ImposedCurrentIsOnlyForCurrentSteps) {
  EXPECT_THROW(one("Hold at 4.2 V until C/50").imposed_current_A(5.0), std::logic_error);
  EXPECT_THROW(one("Discharge at 10 W for 1 minute").imposed_current_A(5.0), std::logic_error);
  Termination v = one("Discharge at 1C until 2.5 V").terminations.at(0);
  EXPECT_THROW(limit_current_A(v, 5.0), std::logic_error);
}

TEST(ExperimentParser, KeywordsAndUnitsAreCaseInsensitive) {
  Step s = one("DISCHARGE AT 1c UNTIL 2.5v");
  EXPECT_EQ(s.c_rate, 1.0);
  EXPECT_EQ(s.terminations.at(0).value, 2.5);
  EXPECT_EQ(one("hold at 4.2 v until c/50").terminations.at(0).value, 1.0 / 50.0);
  EXPECT_EQ(one("rest FOR 10 Minutes").duration_s, 600.0);
  EXPECT_EQ(one("charge at 100 MA for 1 hour").amperes, -0.1);  // "m" is always milli
}

TEST(ExperimentParser, BlanksAreFlexible) {
  Step s = one("  Discharge   at\t1C    for  1 hour   or   until   2.5V  ");
  EXPECT_EQ(s.c_rate, 1.0);
  EXPECT_EQ(s.duration_s, 3600.0);
  EXPECT_EQ(s.terminations.at(0).value, 2.5);
  EXPECT_EQ(s.text, "Discharge   at\t1C    for  1 hour   or   until   2.5V");
}

TEST(ExperimentParser, SeveralTerminations) {
  Step s = one("Discharge at 10 W until 2.5 V or 1 A.h or until > 3 A");
  ASSERT_EQ(s.terminations.size(), 3u);
  EXPECT_EQ(s.terminations[0].quantity, Q::voltage);
  EXPECT_EQ(s.terminations[1].quantity, Q::capacity);
  EXPECT_EQ(s.terminations[1].value, 1.0);
  EXPECT_EQ(s.terminations[1].crossing, X::rising);
  EXPECT_EQ(s.terminations[2].quantity, Q::current);
  EXPECT_EQ(s.terminations[2].value, 3.0);
  EXPECT_EQ(s.terminations[2].crossing, X::rising);
  EXPECT_TRUE(s.terminations[2].crossing_written);
}

TEST(ExperimentParser, UntilBeforeFor) {
  Step s = one("Charge at 1C until 4.2 V or for 2 hours");
  EXPECT_EQ(s.duration_s, 7200.0);
  EXPECT_EQ(s.terminations.at(0).value, 4.2);
}

TEST(ExperimentParser, CapacityLimits) {
  EXPECT_EQ(one("Charge at 1C until 1 A.h").terminations.at(0).value, 1.0);
  EXPECT_EQ(one("Charge at 1C until 2 Ah").terminations.at(0).value, 2.0);
  EXPECT_EQ(one("Charge at 1C until 500 mAh").terminations.at(0).value, 0.5);
  EXPECT_EQ(one("Charge at 1C until 500 mA.h").terminations.at(0).quantity, Q::capacity);
  EXPECT_EQ(one("Hold at 4.2 V until 0.1 A.h").terminations.at(0).quantity, Q::capacity);
}

TEST(ExperimentParser, WrittenCrossingWins) {
  Step s = one("Discharge at 1C until > 4.3 V or < 2.5 V");
  ASSERT_EQ(s.terminations.size(), 2u);
  EXPECT_EQ(s.terminations[0].crossing, X::rising);
  EXPECT_TRUE(s.terminations[0].crossing_written);
  EXPECT_EQ(s.terminations[1].crossing, X::falling);
  EXPECT_EQ(s.terminations[1].text, "< 2.5 V");
  Step r = one("Rest for 1 hour or until > 3.9 V");
  EXPECT_EQ(r.terminations.at(0).crossing, X::rising);
}

TEST(ExperimentParser, PeriodSuffix) {
  Step s = one("Discharge at 3 C until 2.8 V (10 second period)");
  EXPECT_EQ(s.period_s, 10.0);
  EXPECT_EQ(s.terminations.at(0).value, 2.8);
  EXPECT_EQ(one("Rest for 10 minutes (1 minute period)").period_s, 60.0);
  EXPECT_FALSE(one("Rest for 10 minutes").period_s);
}

TEST(ExperimentParser, ChargeUntilALowVoltageIsLeftToTheSimulation) {
  // Whether 2.5 V can be reached by charging depends on the cell's voltage: the parser only records it.
  Step s = one("Charge at 1C until 2.5 V");
  EXPECT_EQ(s.terminations.at(0).crossing, X::rising);
}

// ---- drive cycles ------------------------------------------------------------------------------------------

TEST(ExperimentParser, DriveCycleSteps) {
  Step s = one("Drive cycle current from path/to/file.csv");
  EXPECT_EQ(s.kind, StepKind::drive_cycle);
  EXPECT_EQ(s.drive_cycle_quantity, DriveCycleQuantity::current);
  EXPECT_EQ(s.drive_cycle_path, "path/to/file.csv");
  EXPECT_FALSE(s.duration_s);
  EXPECT_TRUE(s.terminations.empty());

  Step p = one("drive cycle POWER from Data/WLTC.csv");
  EXPECT_EQ(p.drive_cycle_quantity, DriveCycleQuantity::power);
  EXPECT_EQ(p.drive_cycle_path, "Data/WLTC.csv");  // the path keeps its case
}

TEST(ExperimentParser, DriveCycleWithQuotedPathDurationAndLimit) {
  auto steps = parse_experiment(
      "Drive cycle power from \"my cycles/us06, hot (v2).csv\" for 2 hours or until 2.8 V, Rest for 1 s");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].drive_cycle_path, "my cycles/us06, hot (v2).csv");
  EXPECT_EQ(steps[0].duration_s, 7200.0);
  EXPECT_EQ(steps[0].terminations.at(0).crossing, X::falling);
  EXPECT_EQ(steps[1].kind, StepKind::rest);
}

// ---- several steps, groups, repeats -----------------------------------------------------------------------

TEST(ExperimentParser, SeparatorsCommasSemicolonsNewlines) {
  auto steps = parse_experiment("Discharge at 1C until 2.5 V, Rest for 1 hour; Charge at C/3 until 4.2 V\n"
                                "Hold at 4.2 V until C/50\n\n,Rest for 30 s,\n");
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].kind, StepKind::c_rate);
  EXPECT_EQ(steps[1].kind, StepKind::rest);
  EXPECT_EQ(steps[2].c_rate, -1.0 / 3.0);
  EXPECT_EQ(steps[3].kind, StepKind::voltage);
  EXPECT_EQ(steps[4].duration_s, 30.0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(steps[i].number, i + 1);
    EXPECT_EQ(steps[i].cycle, i + 1);  // each top-level step is a cycle, as in PyBaMM
  }
  EXPECT_EQ(steps[2].line, 1);
  EXPECT_EQ(steps[3].line, 2);
  EXPECT_EQ(steps[4].line, 4);
}

TEST(ExperimentParser, CommentsAreSkipped) {
  auto steps = parse_experiment("# formation\nCharge at C/10 until 4.2 V  # slow\n# end\nRest for 1 hour\n");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].text, "Charge at C/10 until 4.2 V");
  EXPECT_EQ(steps[0].line, 2);
  EXPECT_EQ(steps[1].line, 4);
}

TEST(ExperimentParser, RepeatedGroupExpandsInOrder) {
  auto steps = parse_experiment(
      "(Discharge at 1C until 2.5 V, Rest for 1 hour, Charge at 0.5C until 4.2 V, Hold at 4.2 V until C/50) x 3");
  ASSERT_EQ(steps.size(), 12u);
  const StepKind kinds[] = {StepKind::c_rate, StepKind::rest, StepKind::c_rate, StepKind::voltage};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].kind, kinds[i % 4]) << i;
    EXPECT_EQ(steps[i].number, static_cast<int>(i % 4) + 1) << i;
    EXPECT_EQ(steps[i].cycle, static_cast<int>(i / 4) + 1) << i;
  }
  EXPECT_EQ(steps[2].c_rate, -0.5);
  EXPECT_EQ(steps[11].text, "Hold at 4.2 V until C/50");
}

TEST(ExperimentParser, RepeatSpellings) {
  const char* texts[] = {"(Rest for 1 s, Rest for 2 s) x 3", "(Rest for 1 s, Rest for 2 s)x3",
                         "(Rest for 1 s, Rest for 2 s) X 3", "(Rest for 1 s, Rest for 2 s) * 3",
                         "(Rest for 1 s, Rest for 2 s) \xC3\x97 3", "(Rest for 1 s, Rest for 2 s) repeated 3 times",
                         "(Rest for 1 s, Rest for 2 s) Repeated 3 Times"};
  for (const char* text : texts) {
    auto steps = parse_experiment(text);
    ASSERT_EQ(steps.size(), 6u) << text;
    EXPECT_EQ(steps[4].duration_s, 1.0) << text;
    EXPECT_EQ(steps[5].duration_s, 2.0) << text;
  }
}

TEST(ExperimentParser, StepsAroundAGroupAndAGroupWithoutRepeat) {
  auto steps = parse_experiment(
      "Charge at C/10 until 4.2 V\n"
      "(Discharge at 1C until 2.5 V, Charge at 1C until 4.2 V) x 2\n"
      "(Rest for 1 hour, Discharge at C/20 until 2.5 V)\n"
      "Rest for 10 minutes");
  ASSERT_EQ(steps.size(), 8u);
  const int numbers[] = {1, 2, 3, 2, 3, 4, 5, 6};
  const int cycles[] = {1, 2, 2, 3, 3, 4, 4, 5};
  const int lines[] = {1, 2, 2, 2, 2, 3, 3, 4};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].number, numbers[i]) << i;
    EXPECT_EQ(steps[i].cycle, cycles[i]) << i;
    EXPECT_EQ(steps[i].line, lines[i]) << i;
  }
}

TEST(ExperimentParser, NestedGroupsStayInTheirCycle) {
  auto steps = parse_experiment("(Charge at 1C until 4.2 V, (Discharge at 1C for 1 minute, Rest for 1 minute) x 2) x 2");
  ASSERT_EQ(steps.size(), 10u);
  const StepKind kinds[] = {StepKind::c_rate, StepKind::c_rate, StepKind::rest, StepKind::c_rate, StepKind::rest};
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].kind, kinds[i % 5]) << i;
    EXPECT_EQ(steps[i].cycle, static_cast<int>(i / 5) + 1) << i;
  }
  EXPECT_EQ(steps[1].c_rate, 1.0);
  EXPECT_EQ(steps[0].c_rate, -1.0);
}

TEST(ExperimentParser, MultilineGroup) {
  auto steps = parse_experiment("(\n  Discharge at 1C until 2.5 V\n  Rest for 1 hour\n) x 2\nRest for 1 s\n");
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[0].line, 2);
  EXPECT_EQ(steps[1].line, 3);
  EXPECT_EQ(steps[4].line, 5);
  EXPECT_EQ(steps[4].cycle, 3);
}

TEST(ExperimentParser, LargeRepeatCountIsFine) {
  auto steps = parse_experiment("(Charge at 1C until 4.2 V, Discharge at 1C until 2.5 V) x 1000");
  EXPECT_EQ(steps.size(), 2000u);
  EXPECT_EQ(steps.back().cycle, 1000);
}

TEST(ExperimentParser, DocumentationExample) {
  // The first example of docs/experiments.md.
  auto steps = parse_experiment(
      "Charge at C/10 until 4.2 V          # formation\n"
      "Hold at 4.2 V until C/50\n"
      "Rest for 1 hour\n"
      "(\n"
      "  Discharge at 1C until 2.5 V\n"
      "  Rest for 30 minutes\n"
      "  Charge at 0.5C until 4.2 V\n"
      "  Hold at 4.2 V until C/50\n"
      ") x 100\n"
      "Discharge at 2 A for 30 minutes or until 3.0 V\n"
      "Drive cycle current from us06_current.csv for 2 hours or until 2.8 V\n");
  ASSERT_EQ(steps.size(), 3u + 400u + 2u);
  EXPECT_EQ(steps.back().kind, StepKind::drive_cycle);
  EXPECT_EQ(steps.back().drive_cycle_path, "us06_current.csv");
  EXPECT_EQ(steps.back().cycle, 105);
  EXPECT_EQ(steps.back().number, 9);
  EXPECT_EQ(steps.back().line, 11);
  auto nested = parse_experiment(
      "(Charge at 1C until 4.2 V, (Discharge at 5C for 10 s, Rest for 1 minute) x 10) repeated 50 times");
  EXPECT_EQ(nested.size(), 50u * 21u);
  EXPECT_EQ(nested.back().cycle, 50);
}

// ---- errors -------------------------------------------------------------------------------------------------

TEST(ExperimentParserErrors, NamesTheStepItsTextAndLine) {
  std::string e = error_of([] {
    parse_experiment("Discharge at 1C until 2.5 V\nRest for 1 hour, Discharge at -1C until 2.5 V", "protocol.txt");
  });
  EXPECT_EQ(e,
            "protocol.txt:2: experiment step 3 = \"Discharge at -1C until 2.5 V\": negative value \"-1C\": give a "
            "positive magnitude (Charge or Discharge sets the sign)");
}

TEST(ExperimentParserErrors, FirstLineOffsetsTheLine) {
  std::string e = error_of([] { parse_experiment("Rest for 1 hour\nRest for 0 s", "cell.toml", 12); });
  EXPECT_EQ(e, "cell.toml:13: experiment step 2 = \"Rest for 0 s\": the duration must be greater than 0");
}

TEST(ExperimentParserErrors, CarriesFieldValueAllowed) {
  try {
    parse_experiment("Rest for 1 hour, Hold at 4.2 V");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "experiment step 2");
    EXPECT_EQ(e.value(), "\"Hold at 4.2 V\"");
    EXPECT_EQ(e.allowed(), "a hold needs \"for <time>\" or \"until <current>\", e.g. \"Hold at 4.2 V until C/50\"");
  }
}

TEST(ExperimentParserErrors, NotUnderstoodGivesTheGrammar) {
  std::string r = reason_of("Dance at 1C until 2.5 V");
  EXPECT_EQ(r.rfind("not understood; steps are ", 0), 0u) << r;
  EXPECT_TRUE(has_grammar(r));
  EXPECT_EQ(error_of([] { parse_experiment("Dance at 1C"); }),
            "experiment step 1 = \"Dance at 1C\": not understood; " + experiment_grammar_summary());
}

TEST(ExperimentParserErrors, NegativeValues) {
  EXPECT_EQ(reason_of("Discharge at -1C until 2.5 V"),
            "negative value \"-1C\": give a positive magnitude (Charge or Discharge sets the sign)");
  EXPECT_EQ(reason_of("Charge at -2 A for 1 hour"),
            "negative value \"-2\": give a positive magnitude (Charge or Discharge sets the sign)");
  EXPECT_EQ(reason_of("Charge at C/-3 for 1 hour"),
            "negative value \"-3\": give a positive magnitude (Charge or Discharge sets the sign)");
  EXPECT_EQ(reason_of("Rest for -5 minutes"), "negative value \"-5\": a duration must be greater than 0");
  EXPECT_EQ(reason_of("Hold at -4.2 V until C/50"), "negative value \"-4.2\": the hold voltage must be greater than 0");
  EXPECT_EQ(reason_of("Hold at 4.2 V until -50 mA"),
            "negative value \"-50\": limits are magnitudes, e.g. \"until 50 mA\"");
}

TEST(ExperimentParserErrors, ZeroValuesAndDurations) {
  EXPECT_EQ(reason_of("Rest for 0 minutes"), "the duration must be greater than 0");
  EXPECT_EQ(reason_of("Discharge at 1C for 0 s"), "the duration must be greater than 0");
  EXPECT_EQ(reason_of("Discharge at 0 A for 1 hour"),
            "the current or power must be greater than 0; a step without current is \"Rest for <time>\"");
  EXPECT_EQ(reason_of("Discharge at 0C for 1 hour").rfind("the current or power must be greater than 0", 0), 0u);
  EXPECT_EQ(reason_of("Discharge at C/0 for 1 hour"), "\"C/0\" is not a C-rate: the divisor must be greater than 0");
  EXPECT_EQ(reason_of("Hold at 0 V for 1 hour"), "the hold voltage must be greater than 0");
  EXPECT_EQ(reason_of("Hold at 4.2 V until 0 mA"), "a limit must be greater than 0");
  EXPECT_EQ(reason_of("Rest for 1 hour (0 s period)"), "the period must be greater than 0");
}

TEST(ExperimentParserErrors, StepsThatCannotEnd) {
  EXPECT_EQ(reason_of("Hold at 4.2 V"),
            "a hold needs \"for <time>\" or \"until <current>\", e.g. \"Hold at 4.2 V until C/50\"");
  EXPECT_EQ(reason_of("Discharge at 1C"),
            "the step needs \"for <time>\" or \"until <limit>\", e.g. \"Discharge at 1C until 2.5 V\" or \"Rest for 1 "
            "hour\"");
  EXPECT_EQ(reason_of("Rest"), "a rest needs a time, e.g. \"Rest for 1 hour\"");
}

TEST(ExperimentParserErrors, LimitsThatDoNotFitTheStep) {
  EXPECT_EQ(reason_of("Hold at 4.2 V until 4.1 V"),
            "a voltage hold cannot end on a voltage; end it on a current (\"until 50 mA\", \"until C/50\"), a charge "
            "or a time");
  EXPECT_EQ(reason_of("Discharge at 1C until C/50"),
            "this step imposes the current, so it cannot end on a current limit (\"C/50\"); end it on a voltage, a "
            "charge (A.h) or a time");
  EXPECT_EQ(reason_of("Drive cycle current from a.csv until 1 A").rfind("this step imposes the current", 0), 0u);
  EXPECT_EQ(reason_of("Rest for 1 hour or until 3.0 V"),
            "a rest has no direction, so a voltage limit needs one: \"until < 3.0 V\" or \"until > 3.0 V\"");
  EXPECT_EQ(reason_of("Rest for 1 hour or until 1 A.h"), "no charge passes during a rest, so it cannot end on a charge");
  EXPECT_EQ(reason_of("Charge at 1C until > 1 A.h"), "a charge limit only counts up: write it without \"<\" or \">\"");
  EXPECT_EQ(reason_of("Discharge at 10 W until 5 W"),
            "a step can end on a voltage (2.5 V), a current (50 mA, C/50) or a charge (1 A.h), not on a power or a "
            "resistance");
  EXPECT_EQ(reason_of("Charge at 1C until 80% SOC").rfind("percentages (e.g. \"80% SOC\") are not supported", 0), 0u);
  // A power step lets the current vary, so it may end on one.
  EXPECT_NO_THROW(parse_experiment("Discharge at 10 W until 5 A"));
  EXPECT_NO_THROW(parse_experiment("Drive cycle power from a.csv until 5 A"));
}

TEST(ExperimentParserErrors, WrongQuantityForTheVerb) {
  EXPECT_EQ(reason_of("Discharge at 4.2 V for 1 hour"),
            "\"Discharge at\" takes a current (A, mA), a C-rate (1C, C/3) or a power (W, mW, kW); a voltage is held "
            "with \"Hold at 4.2 V until C/50\"");
  EXPECT_EQ(reason_of("Hold at 1C until C/50").rfind("\"Hold at\" takes a voltage (V or mV)", 0), 0u);
  EXPECT_EQ(reason_of("Charge at 1 Ohm for 1 hour"),
            "\"Charge at\" takes a current (A, mA), a C-rate (1C, C/3) or a power (W, mW, kW)");
}

TEST(ExperimentParserErrors, UnitsAndNumbers) {
  EXPECT_EQ(reason_of("Discharge at 1 Q for 1 hour"),
            "unknown unit \"q\": use A, mA, C (1C, C/3), W, mW, kW, V or mV, and A.h or mA.h for a charge limit");
  EXPECT_EQ(reason_of("Discharge at 1 for 1 hour"), "missing unit after 1: use A, mA, C (1C, C/3), W, mW, kW, V or mV");
  EXPECT_EQ(reason_of("Rest for 10 fortnights"),
            "unknown time unit \"fortnights\": use s, sec, seconds, min, minutes, h, hours or days");
  EXPECT_EQ(reason_of("Rest for 10"), "missing time unit: use s, sec, seconds, min, minutes, h, hours or days");
  EXPECT_EQ(reason_of("Discharge at 1e999 A for 1 hour"), "number out of range \"1e999\"");
  EXPECT_EQ(reason_of("Discharge at 1e308 kW for 1 hour"), "number out of range");
  EXPECT_EQ(reason_of("Rest for 1e308 hours"), "number out of range");
  EXPECT_EQ(reason_of("Discharge at C/1e-320 for 1 hour").rfind("number out of range", 0), 0u);
  EXPECT_TRUE(has_grammar(reason_of("Discharge at fast until 2.5 V")));
  EXPECT_TRUE(has_grammar(reason_of("Rest for a while")));
}

TEST(ExperimentParserErrors, ClauseSyntax) {
  EXPECT_EQ(reason_of("Discharge at 1C until 2.5 V banana").rfind("unexpected \"banana\"; steps are", 0), 0u);
  EXPECT_EQ(reason_of("Discharge at 1C for 1 hour or for 2 hours"), "only one \"for <time>\" per step");
  EXPECT_EQ(reason_of("Discharge at 1C for 1 hour for 2 hours").rfind("unexpected \"for 2 hours\"; steps are", 0), 0u);
  EXPECT_EQ(reason_of("Discharge at 1C for 1 hour or 2.5 V")
                .rfind("expected \"for <time>\" or \"until <limit>\" after \"or\", found \"2.5 V\"", 0),
            0u);
  EXPECT_EQ(reason_of("Discharge 1C until 2.5 V").rfind("expected \"at\" after \"Discharge\"", 0), 0u);
  EXPECT_EQ(reason_of("Rest for 1 hour (1 minute)"), "expected \"(<time> period)\", e.g. \"(10 second period)\"");
  EXPECT_EQ(reason_of("Run US06 (A)").rfind("PyBaMM's \"Run\" steps are written", 0), 0u);
  EXPECT_EQ(reason_of("Drive cycle speed from a.csv").rfind("expected \"current\" or \"power\"", 0), 0u);
  EXPECT_EQ(reason_of("Drive cycle current from my file.csv")
                .rfind("unexpected \"file.csv\" (put a file name with blanks in double quotes)", 0),
            0u);
  EXPECT_EQ(reason_of("Drive cycle current from \"a.csv"), "missing closing '\"' after the file name");
  EXPECT_EQ(reason_of("Drive cycle current from"), "missing file after \"from\", e.g. \"Drive cycle current from us06.csv\"");
}

TEST(ExperimentParserErrors, GroupStructure) {
  EXPECT_EQ(error_of([] { parse_experiment("(Rest for 1 s, Rest for 2 s", "p.txt"); }),
            "p.txt:1: experiment = \"(Rest for 1 s, Rest for 2 s\": \"(\" is never closed: a group is \"(<steps>) x N\"");
  EXPECT_EQ(error_of([] { parse_experiment("Rest for 1 s\nRest for 2 s) x 2", "p.txt"); }),
            "p.txt:2: experiment = \") x 2\": \")\" without a matching \"(\"");
  EXPECT_EQ(error_of([] { parse_experiment("() x 2", "p.txt"); }),
            "p.txt:1: experiment = \"() x 2\": empty group: a group is \"(<steps>) x N\"");
  const std::string after =
      "after a group write \"x N\" or \"repeated N times\" (N a whole number from 1 to 1000000), then a comma, a "
      "semicolon or a new line";
  EXPECT_EQ(error_of([] { parse_experiment("(Rest for 1 s) x three", "p.txt"); }),
            "p.txt:1: experiment = \"x three\": " + after);
  for (const char* text : {"(Rest for 1 s) x 0", "(Rest for 1 s) x 2.5", "(Rest for 1 s) x 1000001",
                           "(Rest for 1 s) x", "(Rest for 1 s) Rest for 2 s", "(Rest for 1 s) x 2 x 3",
                           "(Rest for 1 s) x 99999999999999999999999"}) {
    EXPECT_EQ(reason_of(text), after) << text;
  }
}

TEST(ExperimentParserErrors, ErrorsInsideGroupsNameTheWrittenStep) {
  std::string e = error_of([] { parse_experiment("Rest for 1 s\n(Rest for 1 s, Charge at 1C) x 5", "p.txt"); });
  EXPECT_EQ(e.rfind("p.txt:2: experiment step 3 = \"Charge at 1C\": the step needs", 0), 0u) << e;
}

TEST(ExperimentParserErrors, EmptyAndTooLong) {
  EXPECT_EQ(reason_of(""), "no steps; " + experiment_grammar_summary());
  EXPECT_EQ(reason_of(" ,\n# only a comment\n;"), "no steps; " + experiment_grammar_summary());
  EXPECT_EQ(error_of([] { parse_experiment("((Rest for 1 s) x 1000 , Rest for 2 s) x 1000"); }),
            "experiment = 1001000 steps after expanding repeats: at most 1000000 steps");
  EXPECT_EQ(error_of([] { parse_experiment("(((Rest for 1 s) x 1000000) x 1000000) x 1000000"); }),
            "experiment = 1000000000000000000 steps after expanding repeats: at most 1000000 steps");
}

}  // namespace solidcell::experiment
