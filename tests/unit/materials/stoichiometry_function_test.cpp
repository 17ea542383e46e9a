#include "solidcell/materials/stoichiometry_function.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/electrochem/parameters.hpp"

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

TEST(StoichiometryFunction, OneObjectEvaluatesCorrectlyOnManyThreads) {
  // A cell shared by a sweep's workers evaluates the same expression objects at once (the design's OCV curve);
  // muparser reads x through one bound variable, so without the lock the threads read each other's x (a shared
  // lithium-ion cell's OCV at full charge came out at -8.9 V in a 2-thread abuse sweep).
  const auto f = StoichiometryFunction::expression(
      "-0.8090*x + 4.4875 - 0.0428*tanh(18.5138*(x - 0.5542)) - 17.7326*tanh(15.7890*(x - 0.3117)) + 17.5842*tanh(15.9308*(x - 0.3120))");
  const int points = 20000;
  std::vector<double> expected(points);
  for (int i = 0; i < points; ++i) expected[static_cast<size_t>(i)] = f(static_cast<double>(i) / points);
  std::vector<std::thread> threads;
  std::vector<int> differences(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t, &expected, &differences]() {  // the same object in every thread
      for (int i = 0; i < points; ++i) {
        const int k = (i * (t + 1)) % points;
        if (f(static_cast<double>(k) / points) != expected[static_cast<size_t>(k)]) ++differences[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int d : differences) EXPECT_EQ(d, 0);
}

// --- tabulation ---

const char* const chen_nmc811_text =
    "-0.8090*x + 4.4875 - 0.0428*tanh(18.5138*(x - 0.5542)) - 17.7326*tanh(15.7890*(x - 0.3117)) + 17.5842*tanh(15.9308*(x - 0.3120))";
const char* const chen_graphite_text =
    "1.9793*exp(-39.3631*x) + 0.2482 - 0.0909*tanh(29.8538*(x - 0.1234)) - 0.04478*tanh(14.9159*(x - 0.2769))"
    " - 0.0205*tanh(30.4444*(x - 0.6103))";
// LiPF6 in EC:EMC (Nyman 2008) as in data/materials/lp57.toml, functions of c_e [mol/m3].
const char* const nyman_diffusivity_text = "8.794e-11*(x/1000)**2 - 3.972e-10*(x/1000) + 4.862e-10";
const char* const nyman_conductivity_text = "0.1297*(x/1000)^3 - 2.51*(x/1000)^1.5 + 3.329*(x/1000)";

double chen_graphite(double x) {
  return 1.9793 * std::exp(-39.3631 * x) + 0.2482 - 0.0909 * std::tanh(29.8538 * (x - 0.1234)) -
         0.04478 * std::tanh(14.9159 * (x - 0.2769)) - 0.0205 * std::tanh(30.4444 * (x - 0.6103));
}

double chen_graphite_slope(double x) {
  auto sech2 = [](double u) { return 1.0 - std::tanh(u) * std::tanh(u); };
  return -39.3631 * 1.9793 * std::exp(-39.3631 * x) - 0.0909 * 29.8538 * sech2(29.8538 * (x - 0.1234)) -
         0.04478 * 14.9159 * sech2(14.9159 * (x - 0.2769)) - 0.0205 * 30.4444 * sech2(30.4444 * (x - 0.6103));
}

double nyman_diffusivity(double c) { return 8.794e-11 * (c / 1000) * (c / 1000) - 3.972e-10 * (c / 1000) + 4.862e-10; }
double nyman_conductivity(double c) { return 0.1297 * std::pow(c / 1000, 3) - 2.51 * std::pow(c / 1000, 1.5) + 3.329 * (c / 1000); }

// Largest |f - exact| at `points` evenly spaced points of [lo, hi], both ends included.
double max_error(const StoichiometryFunction& f, const std::function<double(double)>& exact, double lo, double hi, int points = 10001) {
  double worst = 0.0;
  for (int i = 0; i < points; ++i) {
    double x = lo + (hi - lo) * i / (points - 1);
    worst = std::max(worst, std::abs(f(x) - exact(x)));
  }
  return worst;
}

TEST(StoichiometryFunctionTabulation, Chen2020OcpsMatchHandWrittenFunctions) {
  auto nmc = StoichiometryFunction::expression(chen_nmc811_text);
  auto graphite = StoichiometryFunction::expression(chen_graphite_text);
  ASSERT_TRUE(nmc.tabulate(0.0, 1.0));
  ASSERT_TRUE(graphite.tabulate(0.0, 1.0));
  EXPECT_TRUE(nmc.tabulated());
  EXPECT_GE(nmc.tabulation_intervals(), 1024u);
  EXPECT_LE(graphite.tabulation_intervals(), 65536u);
  EXPECT_LE(max_error(nmc, chen_nmc811, 0.0, 1.0), 1e-10);
  EXPECT_LE(max_error(graphite, chen_graphite, 0.0, 1.0), 1e-10);
  // Also between the checkpoints tabulate() verified: a prime number of points, none on the grid's eighths.
  EXPECT_LE(max_error(graphite, chen_graphite, 0.0, 1.0, 100003), 1e-10);
}

TEST(StoichiometryFunctionTabulation, DiffusivityIsAccurateRelativeToItsScale) {
  // ~4e-10 m2/s: an absolute tolerance of 1e-10 would accept anything.
  auto d = StoichiometryFunction::expression(nyman_diffusivity_text);
  ASSERT_TRUE(d.tabulate(10.0, 4000.0));
  for (int i = 0; i <= 10000; ++i) {
    double c = 10.0 + 3990.0 * i / 10000;
    EXPECT_NEAR(d(c), nyman_diffusivity(c), 1e-10 * nyman_diffusivity(c)) << "c_e = " << c;
  }
  // The conductivity's (c_e/1000)^1.5 is not smooth at 0, so its grid is finer; still within 1e-10 of its scale.
  auto kappa = StoichiometryFunction::expression(nyman_conductivity_text);
  ASSERT_TRUE(kappa.tabulate(10.0, 4000.0));
  EXPECT_LE(max_error(kappa, nyman_conductivity, 10.0, 4000.0), 1e-10 * 1.5);
}

TEST(StoichiometryFunctionTabulation, DerivativeFollowsTheFunction) {
  auto graphite = StoichiometryFunction::expression(chen_graphite_text);
  for (double x = 0.01; x < 1.0; x += 0.01)  // untabulated: a central difference of the expression
    EXPECT_NEAR(graphite.derivative(x), chen_graphite_slope(x), 1e-6 * std::max(1.0, std::abs(chen_graphite_slope(x)))) << "x = " << x;
  ASSERT_TRUE(graphite.tabulate(0.0, 1.0));
  for (int i = 0; i <= 10000; ++i) {  // the interpolant's derivative, O(h^3)
    double x = i / 10000.0;
    EXPECT_NEAR(graphite.derivative(x), chen_graphite_slope(x), 1e-6 * std::max(1.0, std::abs(chen_graphite_slope(x)))) << "x = " << x;
  }
  EXPECT_EQ(StoichiometryFunction::constant(4.2).derivative(0.3), 0.0);
  auto table = StoichiometryFunction::table({0.0, 0.5, 1.0}, {4.0, 3.5, 3.0});
  EXPECT_DOUBLE_EQ(table.derivative(0.25), -1.0);
  EXPECT_EQ(table.derivative(-0.5), 0.0);  // held constant outside
  EXPECT_EQ(table.derivative(1.5), 0.0);
}

TEST(StoichiometryFunctionTabulation, SingularEndsAreLeftToTheExpression) {
  // log(0) is not finite: no table, and every value is the expression's own.
  auto log_x = StoichiometryFunction::expression("log(x)");
  EXPECT_FALSE(log_x.tabulate(0.0, 1.0));
  EXPECT_FALSE(log_x.tabulated());
  for (int i = 1; i <= 10000; ++i) EXPECT_EQ(log_x(i / 10000.0), std::log(i / 10000.0));
  // Smooth but 0/0 at the end: not tabulated on [0, 1], tabulated just inside it (as model_parameters retries).
  auto sinc = StoichiometryFunction::expression("sin(x)/x");
  EXPECT_FALSE(sinc.tabulate(0.0, 1.0));
  ASSERT_TRUE(sinc.tabulate(1e-6, 1.0 - 1e-6));
  EXPECT_LE(max_error(sinc, [](double x) { return std::sin(x) / x; }, 1e-7, 1.0), 1e-10);
  EXPECT_TRUE(std::isnan(sinc(0.0)));  // still the expression there
}

TEST(StoichiometryFunctionTabulation, OutsideTheRangeTheExpressionIsEvaluatedExactly) {
  auto raw = StoichiometryFunction::expression(chen_graphite_text);
  auto tabulated = raw;
  ASSERT_TRUE(tabulated.tabulate(0.1, 0.9));
  for (double x : {-0.5, 0.0, 0.05, 0.0999999, 0.9000001, 0.95, 1.0, 2.0}) EXPECT_EQ(tabulated(x), raw(x)) << "x = " << x;
  EXPECT_FALSE(raw.tabulated());  // the copy tabulated, not the original
  EXPECT_EQ(tabulated.expression_text(), chen_graphite_text);
}

TEST(StoichiometryFunctionTabulation, CopiesShareTheTable) {
  auto f = StoichiometryFunction::expression(chen_nmc811_text);
  ASSERT_TRUE(f.tabulate(0.0, 1.0));
  StoichiometryFunction copy(f);
  StoichiometryFunction assigned;
  assigned = f;
  StoichiometryFunction moved = [&f] { return StoichiometryFunction(f); }();
  for (const auto* g : {&copy, &assigned, &moved}) {
    EXPECT_TRUE(g->tabulated());
    EXPECT_EQ(g->tabulation_intervals(), f.tabulation_intervals());
    for (int i = -100; i <= 1100; ++i) EXPECT_EQ((*g)(i / 1000.0), f(i / 1000.0)) << "x = " << i / 1000.0;
  }
  // Tabulating again replaces only this copy's table.
  ASSERT_TRUE(copy.tabulate(0.3, 0.6));
  EXPECT_EQ(assigned(0.2), f(0.2));
}

TEST(StoichiometryFunctionTabulation, TabulatedCopiesEvaluateIdenticallyOnThreads) {
  auto f = StoichiometryFunction::expression(chen_graphite_text);
  ASSERT_TRUE(f.tabulate(0.0, 1.0));
  const int points = 50000;
  std::vector<double> expected(points);
  for (int i = 0; i < points; ++i) expected[static_cast<size_t>(i)] = f(-0.1 + 1.2 * i / points);  // inside and outside
  std::vector<std::thread> threads;
  std::vector<int> differences(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([f, t, &expected, &differences]() {  // each thread its own copy, one shared table
      for (int i = 0; i < points; ++i)
        if (f(-0.1 + 1.2 * i / points) != expected[static_cast<size_t>(i)]) ++differences[static_cast<size_t>(t)];
    });
  }
  for (auto& th : threads) th.join();
  for (int d : differences) EXPECT_EQ(d, 0);
}

TEST(StoichiometryFunctionTabulation, ConstantsAndTablesAreUnaffected) {
  auto c = StoichiometryFunction::constant(3.7);
  EXPECT_FALSE(c.tabulate(0.0, 1.0));
  EXPECT_FALSE(c.tabulated());
  EXPECT_EQ(c.tabulation_intervals(), 0u);
  EXPECT_EQ(c(0.5), 3.7);
  auto t = StoichiometryFunction::table({0.0, 0.5, 1.0}, {4.0, 3.5, 3.0});
  EXPECT_FALSE(t.tabulate(0.0, 1.0));
  EXPECT_FALSE(t.tabulated());
  EXPECT_DOUBLE_EQ(t(0.25), 3.75);
  EXPECT_DOUBLE_EQ(t(2.0), 3.0);
  auto e = StoichiometryFunction::expression("x*x + 1");
  EXPECT_FALSE(e.tabulate(1.0, 1.0));  // empty range
  EXPECT_FALSE(e.tabulate(0.0, std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(e.tabulated());
}

TEST(StoichiometryFunctionTabulation, ModelParametersTabulateTheBuiltInCellsFunctions) {
  auto p = electrochem::model_parameters(cell::load_cell("lgm50"));
  ASSERT_TRUE(p.negative && p.electrolyte);
  EXPECT_TRUE(p.positive.open_circuit_potential.tabulated());
  EXPECT_TRUE(p.negative->open_circuit_potential.tabulated());
  EXPECT_TRUE(p.electrolyte->diffusivity.tabulated());
  EXPECT_TRUE(p.electrolyte->conductivity.tabulated());
  EXPECT_LE(max_error(p.positive.open_circuit_potential, chen_nmc811, 0.0, 1.0), 1e-10);
  EXPECT_LE(max_error(p.negative->open_circuit_potential, chen_graphite, 0.0, 1.0), 1e-10);
  EXPECT_LE(max_error(p.electrolyte->diffusivity, nyman_diffusivity, 10.0, 4000.0), 1e-10 * 4.9e-10);
  EXPECT_LE(max_error(p.electrolyte->conductivity, nyman_conductivity, 10.0, 4000.0), 1e-10 * 1.5);
}

}  // namespace solidcell::materials
