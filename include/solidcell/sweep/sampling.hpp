#pragma once
// The cases of a sweep: case k (0..N-1) has one value per parameter, a pure function of the spec and k, so any
// thread or rank computes any case alike. Random methods draw from counter-based streams keyed by
// (seed, case, parameter): the same seed gives the same cases whatever the thread or rank count.
//   grid             every combination of the values; the first parameter varies slowest
//   latin_hypercube  each parameter's range cut into N strata of equal probability, one sample in each
//                    (a seeded permutation per parameter pairs the strata; the position inside a stratum is random)
//   monte_carlo      independent draws
#include <cstddef>
#include <cstdint>
#include <vector>

#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::sweep {

// A uniform number in (0, 1) from the stream (seed, stream, index): splitmix64 of the key.
double uniform01(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);
// The standard normal quantile (inverse CDF), accurate to about 1e-15.
double normal_quantile(double p);
// The parameter's value at cumulative probability u in (0, 1) under its distribution.
double parameter_quantile(const ParameterSpec& p, double u);

class CaseSampler {
 public:
  explicit CaseSampler(const SweepSpec& spec);
  std::size_t size() const { return cases_; }
  std::size_t dimensions() const { return parameters_.size(); }
  // One value per parameter, in the spec's order.
  std::vector<double> values(std::size_t case_id) const;

 private:
  std::vector<ParameterSpec> parameters_;
  Method method_;
  std::uint64_t seed_;
  std::size_t cases_;
  std::vector<std::vector<std::uint32_t>> strata_;  // latin_hypercube: [parameter][case] -> stratum
};

}  // namespace solidcell::sweep
