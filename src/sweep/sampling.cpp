#include "solidcell/sweep/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace solidcell::sweep {

namespace {

std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Stream ids: a parameter's draws and its stratum permutation never share a key.
constexpr std::uint64_t jitter_stream = 0x1000;
constexpr std::uint64_t permutation_stream = 0x2000;

// 1.959963984540054: the 97.5 % quantile of the standard normal, so [low, high] is the central 95 %.
constexpr double z975 = 1.959963984540054;

}  // namespace

double uniform01(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const std::uint64_t k = mix(mix(mix(seed) ^ stream) ^ index);
  // 53 random bits, shifted half a step off 0 so that neither 0 nor 1 comes out.
  return (static_cast<double>(k >> 11) + 0.5) * 0x1.0p-53;
}

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw std::domain_error("normal_quantile needs 0 < p < 1");
  // Acklam's rational approximation (relative error 1.15e-9), then one Halley step on erfc.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  const double low = 0.02425;
  double x;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double parameter_quantile(const ParameterSpec& p, double u_in) {
  const double u = std::clamp(u_in, 0x1.0p-54, 1.0 - 0x1.0p-53);  // a stratum's top edge may round to 1
  switch (p.distribution) {
    case Distribution::uniform: return p.low + u * (p.high - p.low);
    case Distribution::normal: {
      const double mean = 0.5 * (p.low + p.high), sd = (p.high - p.low) / (2 * z975);
      return mean + sd * normal_quantile(u);
    }
    case Distribution::lognormal: {
      const double ll = std::log(p.low), lh = std::log(p.high);
      const double mean = 0.5 * (ll + lh), sd = (lh - ll) / (2 * z975);
      return std::exp(mean + sd * normal_quantile(u));
    }
  }
  return p.low;
}

CaseSampler::CaseSampler(const SweepSpec& spec)
    : parameters_(spec.parameters), method_(spec.method), seed_(spec.seed), cases_(spec.case_count()) {
  if (method_ != Method::latin_hypercube) return;
  // One seeded Fisher-Yates permutation of the strata per parameter; drawn once, a few bytes per case.
  strata_.resize(parameters_.size());
  for (std::size_t d = 0; d < parameters_.size(); ++d) {
    auto& perm = strata_[d];
    perm.resize(cases_);
    std::iota(perm.begin(), perm.end(), 0u);
    for (std::size_t i = cases_; i > 1; --i) {
      const double u = uniform01(seed_, permutation_stream + d, i);
      const auto j = static_cast<std::size_t>(u * static_cast<double>(i));  // 0..i-1
      std::swap(perm[i - 1], perm[j < i ? j : i - 1]);
    }
  }
}

std::vector<double> CaseSampler::values(std::size_t case_id) const {
  if (case_id >= cases_) throw std::out_of_range("case id beyond the sweep's cases");
  std::vector<double> v(parameters_.size());
  switch (method_) {
    case Method::grid: {
      std::size_t rest = case_id;
      for (std::size_t d = parameters_.size(); d-- > 0;) {  // the last parameter varies fastest
        const auto& vals = parameters_[d].values;
        v[d] = vals[rest % vals.size()];
        rest /= vals.size();
      }
      break;
    }
    case Method::latin_hypercube:
      for (std::size_t d = 0; d < parameters_.size(); ++d) {
        const double u = (static_cast<double>(strata_[d][case_id]) + uniform01(seed_, jitter_stream + d, case_id)) /
                         static_cast<double>(cases_);
        v[d] = parameter_quantile(parameters_[d], u);
      }
      break;
    case Method::monte_carlo:
      for (std::size_t d = 0; d < parameters_.size(); ++d) v[d] = parameter_quantile(parameters_[d], uniform01(seed_, d, case_id));
      break;
  }
  return v;
}

}  // namespace solidcell::sweep
