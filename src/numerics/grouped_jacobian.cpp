#include "solidcell/numerics/grouped_jacobian.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>

namespace solidcell::numerics {

GroupedJacobian::GroupedJacobian(const DaeSystem& system) : system_(system) {
  const std::size_t n = system.size();
  SparsityPattern pattern = system.jacobian_pattern();
  if (pattern.size() != n) throw std::logic_error("jacobian_pattern() does not match the system's size");
  for (std::size_t c = 0; c < n; ++c) pattern.add(c, c);  // Newton needs every diagonal entry
  pattern.finish();
  groups_ = group_columns(pattern, default_dense_row_threshold(n));
  column_start_.assign(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) {
    for (int r : pattern.rows_of_column(c)) row_index_.push_back(r);
    column_start_[c + 1] = static_cast<long>(row_index_.size());
  }
  lower_ = pattern.lower_bandwidth();
  upper_ = pattern.upper_bandwidth();
  y_shift_.assign(n, 0.0);
  yp_shift_.assign(n, 0.0);
  r_shift_.assign(n, 0.0);
  increment_.assign(n, 0.0);
}

bool GroupedJacobian::evaluate(double t, double cj, double h, const double* y, const double* yp, const double* r, const double* weight,
                               double* values) {
  const double srur = std::sqrt(DBL_EPSILON);
  for (std::size_t k = 0; k < size(); ++k) {
    double inc = std::max(srur * std::max(std::abs(y[k]), std::abs(h * yp[k])), 1.0 / weight[k]);
    if (h * yp[k] < 0.0) inc = -inc;
    increment_[k] = (y[k] + inc) - y[k];
  }
  return fill(t, y, yp, r, values, 1.0, cj);
}

bool GroupedJacobian::evaluate_derivative_part(double t, const double* y, const double* yp, const double* r, const double* weight,
                                               double* values) {
  for (std::size_t k = 0; k < size(); ++k) {
    const double inc = 1e-3 * (std::abs(yp[k]) + 1.0 / weight[k]);
    increment_[k] = (yp[k] + inc) - yp[k];
  }
  return fill(t, y, yp, r, values, 0.0, 1.0);
}

// Shifts y by cj_of_y x increment and y' by cj_of_yp x increment, column group by column group.
bool GroupedJacobian::fill(double t, const double* y, const double* yp, const double* r, double* values, double cj_of_y, double cj_of_yp) {
  const std::size_t n = size();
  std::copy(y, y + n, y_shift_.begin());
  std::copy(yp, yp + n, yp_shift_.begin());
  for (const auto& group : groups_.columns) {
    for (int c : group) {
      const auto k = static_cast<std::size_t>(c);
      y_shift_[k] += cj_of_y * increment_[k];
      yp_shift_[k] += cj_of_yp * increment_[k];
    }
    ++residual_evaluations_;
    if (!system_.residual(t, y_shift_.data(), yp_shift_.data(), r_shift_.data())) return false;
    const bool alone = group.size() == 1;
    for (int c : group) {
      const auto k = static_cast<std::size_t>(c);
      for (long e = column_start_[k]; e < column_start_[k + 1]; ++e) {
        const auto row = static_cast<std::size_t>(row_index_[static_cast<std::size_t>(e)]);
        values[e] = (groups_.dense_row[row] && !alone) ? 0.0 : (r_shift_[row] - r[row]) / increment_[k];
      }
      y_shift_[k] = y[k];
      yp_shift_[k] = yp[k];
    }
  }
  return true;
}

}  // namespace solidcell::numerics
