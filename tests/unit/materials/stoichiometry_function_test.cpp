#include "solidcell/materials/stoichiometry_function.hpp"

#include <cmath>
#include <thread>

#include <gtest/gtest.h>

namespace solidcell::materials {

// Chen et al. 2020 NMC811 OCP written out in C++, to check the parsed expression against.
double chen_nmc811(double x) {
  return -0.8090 * x + 4.4875 - 0.0428 * std::tanh(18.5138 * (x - 0.5542)) - 17.7326 * std::tanh(15.7890 * (x - 0.3117)) +
         17.5842 * std::tanh(15.9308 * (x - 0.3120));
}

TEST(StoichiometryFunction, ExpressionMatchesHandWrittenFunction) {
  auto f = StoichiometryFunction::expression(
      "-0.8090*x + 4.4875 - 0.0428*tanh(18.5138*(x - 0.5542)) - 17.7326*tanh(15.7890*(x - 0.3117)) + 17.5842*tanh(15.9308*(x - 0.3120))");
  for (double x = 0.27; x < 0.91; x += 0.01) EXPECT_NEAR(f(x), chen_nmc811(x), 1e-12) << "x = " << x;
}

TEST(StoichiometryFunction, PythonPowerFollowsPythonPrecedence) {
  // BPX expressions are Python: ** binds tighter than unary minus and is right-associative.
  EXPECT_DOUBLE_EQ(StoichiometryFunction::expression("-x**2")(3.0), -9.0);
  EXPECT_DOUBLE_EQ(StoichiometryFunction::expression("2**3**2")(0.0), 512.0);
  EXPECT_DOUBLE_EQ(StoichiometryFunction::expression("(x / 1000) ** 1.5")(4000.0), 8.0);
  EXPECT_DOUBLE_EQ(StoichiometryFunction::expression("2*x**-1")(4.0), 0.5);
  EXPECT_NEAR(StoichiometryFunction::expression("7.84108819e-01 * exp(-5.16822591e01 * x)")(0.01), 0.784108819 * std::exp(-0.516822591), 1e-12);
  EXPECT_NEAR(StoichiometryFunction::expression("cosh(x)")(0.5), std::cosh(0.5), 1e-15);
}

TEST(StoichiometryFunction, InvalidExpressionThrows) {
  EXPECT_THROW(StoichiometryFunction::expression("4.2 - tanh(x"), std::invalid_argument);
  EXPECT_THROW(StoichiometryFunction::expression("4.2 - y"), std::invalid_argument);
}

TEST(StoichiometryFunction, TableInterpolatesLinearlyAndHoldsEnds) {
  auto f = StoichiometryFunction::table({0.0, 0.5, 1.0}, {4.0, 3.5, 3.0});
  EXPECT_DOUBLE_EQ(f(0.25), 3.75);
  EXPECT_DOUBLE_EQ(f(0.75), 3.25);
  EXPECT_DOUBLE_EQ(f(-1.0), 4.0);
  EXPECT_DOUBLE_EQ(f(2.0), 3.0);
  EXPECT_THROW(StoichiometryFunction::table({0.0, 0.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(StoichiometryFunction::table({0.0}, {1.0}), std::invalid_argument);
}

TEST(StoichiometryFunction, CopiesEvaluateIndependentlyOnThreads) {
  auto f = StoichiometryFunction::expression("x*x + 1");
  std::vector<std::thread> threads;
  std::vector<int> errors(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([f, t, &errors]() {  // each thread its own copy
      for (int i = 0; i < 20000; ++i) {
        double x = (t + 1) * 0.001 * i;
        if (f(x) != x * x + 1) ++errors[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int e : errors) EXPECT_EQ(e, 0);
}

}  // namespace solidcell::materials
