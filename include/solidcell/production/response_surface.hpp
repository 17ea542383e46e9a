#pragma once
// A full quadratic response surface y(z) = b0 + sum b_i z_i + sum_{i<=j} b_ij z_i z_j, fitted by least squares
// (Householder QR, no normal equations). The variability study fits one per output from a few hundred real model
// runs and evaluates it for every sampled cell; z are standardised inputs (deviation / standard deviation).
#include <cstddef>
#include <vector>

namespace solidcell::production {

class QuadraticSurface {
 public:
  // Terms of a full quadratic in `dims` variables: 1 + d + d (d + 1) / 2.
  static std::size_t term_count(std::size_t dims) { return 1 + dims + dims * (dims + 1) / 2; }

  // One row of points per observation. Throws std::invalid_argument with fewer observations than terms, rows
  // of unequal length or a design that does not determine every coefficient (rank deficient).
  static QuadraticSurface fit(const std::vector<std::vector<double>>& points, const std::vector<double>& values);

  double operator()(const double* z) const;
  double operator()(const std::vector<double>& z) const { return (*this)(z.data()); }

  std::size_t dims() const { return dims_; }
  // b0, b_1..b_d, then b_ij for i <= j in row order (b_11, b_12, ..., b_1d, b_22, ...).
  const std::vector<double>& coefficients() const { return coefficients_; }
  double rms_residual() const { return rms_residual_; }  // over the fitted observations

  static void basis(const double* z, std::size_t dims, double* out);  // the term values at z

 private:
  std::size_t dims_ = 0;
  std::vector<double> coefficients_;
  double rms_residual_ = 0.0;
};

}  // namespace solidcell::production
