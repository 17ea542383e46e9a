#pragma once
// dF/dy + cj dF/dy' of a DaeSystem by difference quotients, one residual evaluation per group of
// structurally independent columns (sparsity_pattern.hpp), stored in compressed columns (CSC).
#include <cstddef>
#include <vector>

#include "solidcell/numerics/dae_system.hpp"
#include "solidcell/numerics/sparsity_pattern.hpp"

namespace solidcell::numerics {

class GroupedJacobian {
 public:
  // The pattern is the system's jacobian_pattern() with every diagonal entry added.
  explicit GroupedJacobian(const DaeSystem& system);

  std::size_t size() const { return column_start_.size() - 1; }
  std::size_t nonzeros() const { return row_index_.size(); }
  std::size_t groups() const { return groups_.columns.size(); }
  const std::vector<long>& column_start() const { return column_start_; }  // size + 1 entries
  const std::vector<long>& row_index() const { return row_index_; }
  int lower_bandwidth() const { return lower_; }
  int upper_bandwidth() const { return upper_; }

  // Fills values[nonzeros()] at (t, y, yp), where F(t, y, yp) = r. Each unknown's increment is IDA's:
  // sqrt(eps) max(|y|, |h y'|), at least 1 / weight, signed like h y'. Returns false when the residual
  // fails at a shifted state (the caller shortens the step).
  bool evaluate(double t, double cj, double h, const double* y, const double* yp, const double* r, const double* weight, double* values);
  // dF/dy' alone on the same pattern (y' perturbed, y not). For a residual linear in y', as every model
  // here is, the quotient is exact up to rounding.
  bool evaluate_derivative_part(double t, const double* y, const double* yp, const double* r, const double* weight, double* values);
  long residual_evaluations() const { return residual_evaluations_; }

 private:
  bool fill(double t, const double* y, const double* yp, const double* r, double* values, double cj_of_y, double cj_of_yp);
  const DaeSystem& system_;
  std::vector<long> column_start_, row_index_;
  ColumnGroups groups_;
  int lower_ = 0, upper_ = 0;
  std::vector<double> y_shift_, yp_shift_, r_shift_, increment_;
  long residual_evaluations_ = 0;
};

}  // namespace solidcell::numerics
