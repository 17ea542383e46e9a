#pragma once
// A semi-explicit DAE F(t, y, y') = 0 as the integrators see it: size, residual, which unknowns are
// differential, the band structure of its Jacobian and per-unknown absolute tolerances.
#include <cstddef>
#include <vector>

#include "solidcell/numerics/sparsity_pattern.hpp"

namespace solidcell::numerics {

class DaeSystem {
 public:
  virtual ~DaeSystem() = default;
  virtual std::size_t size() const = 0;
  // Returns false when the state is outside the model's domain (e.g. a concentration below zero), so the
  // integrator can retry with a smaller step instead of taking the value.
  virtual bool residual(double t, const double* y, const double* yp, double* r) const = 0;
  virtual std::vector<double> differential_mask() const = 0;  // 1 differential, 0 algebraic
  virtual int lower_bandwidth() const = 0;
  virtual int upper_bandwidth() const = 0;
  virtual std::vector<double> absolute_tolerances(double relative_tolerance) const = 0;
  // Where dF/dy + cj dF/dy' can be non-zero, whatever the state and the control: a model that knows its
  // structure says so, and the sparse solver perturbs many columns at once. The default is the band.
  virtual SparsityPattern jacobian_pattern() const { return SparsityPattern::banded(size(), lower_bandwidth(), upper_bandwidth()); }
};

}  // namespace solidcell::numerics
