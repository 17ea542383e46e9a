// Sampling: a Latin hypercube puts one sample in each stratum of each parameter; Monte Carlo is reproducible
// by seed; case values depend only on the spec and the case id.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "solidcell/sweep/sampling.hpp"

namespace solidcell::sweep {
namespace {

SweepSpec random_spec(Method method, std::size_t n, std::uint64_t seed) {
  SweepSpec s;
  s.method = method;
  s.samples = n;
  s.seed = seed;
  ParameterSpec a;
  a.name = "a";
  a.low = 2.0;
  a.high = 6.0;
  ParameterSpec b = a;
  b.name = "b";
  b.low = 1e-14;
  b.high = 1e-13;
  b.distribution = Distribution::lognormal;
  ParameterSpec c = a;
  c.name = "c";
  c.low = -1.0;
  c.high = 1.0;
  c.distribution = Distribution::normal;
  s.parameters = {a, b, c};
  return s;
}

double cdf(const ParameterSpec& p, double x) {
  const double z = 1.959963984540054;
  switch (p.distribution) {
    case Distribution::uniform: return (x - p.low) / (p.high - p.low);
    case Distribution::normal: return 0.5 * std::erfc(-(x - 0.5 * (p.low + p.high)) / ((p.high - p.low) / (2 * z)) / std::sqrt(2.0));
    case Distribution::lognormal: {
      const double m = 0.5 * (std::log(p.low) + std::log(p.high)), sd = (std::log(p.high) - std::log(p.low)) / (2 * z);
      return 0.5 * std::erfc(-(std::log(x) - m) / sd / std::sqrt(2.0));
    }
  }
  return 0;
}

TEST(Sampling, NormalQuantileInvertsTheCdf) {
  for (double p : {1e-10, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999}) {
    const double x = normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-x / std::sqrt(2.0)), p, 1e-14 + 1e-12 * p) << p;
  }
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
}

TEST(Sampling, LatinHypercubeHasOneSampleInEachStratumOfEachParameter) {
  for (std::size_t n : {1u, 7u, 100u, 1000u}) {
    const auto spec = random_spec(Method::latin_hypercube, n, 11);
    CaseSampler s(spec);
    ASSERT_EQ(s.size(), n);
    std::vector<std::set<std::size_t>> strata(spec.parameters.size());
    for (std::size_t k = 0; k < n; ++k) {
      const auto v = s.values(k);
      for (std::size_t d = 0; d < v.size(); ++d) {
        const double u = cdf(spec.parameters[d], v[d]);
        ASSERT_GT(u, 0.0);
        ASSERT_LT(u, 1.0);
        strata[d].insert(static_cast<std::size_t>(u * static_cast<double>(n)));
      }
    }
    for (const auto& st : strata) EXPECT_EQ(st.size(), n) << "every stratum once for n = " << n;
  }
}

TEST(Sampling, MonteCarloIsReproducibleBySeedAndHasTheRightMoments) {
  const auto spec = random_spec(Method::monte_carlo, 20000, 5);
  CaseSampler a(spec), b(spec), c(random_spec(Method::monte_carlo, 20000, 6));
  EXPECT_EQ(a.values(1234), b.values(1234));
  EXPECT_NE(a.values(1234), c.values(1234));
  double sum_u = 0, sum_n = 0, sum_n2 = 0, inside = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const auto v = a.values(k);
    EXPECT_GE(v[0], 2.0);
    EXPECT_LE(v[0], 6.0);
    sum_u += v[0];
    sum_n += v[2];
    sum_n2 += v[2] * v[2];
    inside += (v[1] >= 1e-14 && v[1] <= 1e-13);
  }
  const double n = static_cast<double>(a.size());
  EXPECT_NEAR(sum_u / n, 4.0, 0.05);                      // uniform mean; sd of the mean 0.008
  EXPECT_NEAR(sum_n / n, 0.0, 0.02);                      // normal mean; sd 0.0036
  EXPECT_NEAR(std::sqrt(sum_n2 / n), 1.0 / 1.959963984540054, 0.01);
  EXPECT_NEAR(inside / n, 0.95, 0.01);                    // lognormal: [low, high] holds 95 %
}

TEST(Sampling, CaseValuesDependOnlyOnTheCaseId) {
  // A case's values do not depend on which cases were drawn before it, nor on the order of the draws.
  const auto spec = random_spec(Method::latin_hypercube, 50, 9);
  CaseSampler s(spec), t(spec);
  std::vector<std::vector<double>> forward, backward(50);
  for (std::size_t k = 0; k < 50; ++k) forward.push_back(s.values(k));
  for (std::size_t k = 50; k-- > 0;) backward[k] = t.values(k);
  EXPECT_EQ(forward, backward);
  // A Monte Carlo case keeps its values when the sweep grows: case 3 of 10 is case 3 of 1000.
  CaseSampler small(random_spec(Method::monte_carlo, 10, 9)), big(random_spec(Method::monte_carlo, 1000, 9));
  EXPECT_EQ(small.values(3), big.values(3));
}

TEST(Sampling, GridVariesTheLastParameterFastest) {
  SweepSpec s;
  s.method = Method::grid;
  ParameterSpec a, b;
  a.name = "a";
  a.values = {1, 2};
  b.name = "b";
  b.values = {10, 20, 30};
  s.parameters = {a, b};
  CaseSampler g(s);
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g.values(0), (std::vector<double>{1, 10}));
  EXPECT_EQ(g.values(2), (std::vector<double>{1, 30}));
  EXPECT_EQ(g.values(3), (std::vector<double>{2, 10}));
  EXPECT_EQ(g.values(5), (std::vector<double>{2, 30}));
  EXPECT_THROW(g.values(6), std::out_of_range);
}

}  // namespace
}  // namespace solidcell::sweep
