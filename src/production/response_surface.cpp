#include "solidcell/production/response_surface.hpp"

#include <cmath>
#include <stdexcept>

namespace solidcell::production {

void QuadraticSurface::basis(const double* z, std::size_t d, double* out) {
  std::size_t k = 0;
  out[k++] = 1.0;
  for (std::size_t i = 0; i < d; ++i) out[k++] = z[i];
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = i; j < d; ++j) out[k++] = z[i] * z[j];
}

QuadraticSurface QuadraticSurface::fit(const std::vector<std::vector<double>>& points, const std::vector<double>& values) {
  if (points.empty() || points.size() != values.size()) throw std::invalid_argument("quadratic fit: points and values differ in number");
  const std::size_t d = points.front().size(), m = points.size(), n = term_count(d);
  if (m < n) throw std::invalid_argument("quadratic fit: fewer observations than terms");
  // Column-major design matrix A (m x n) and right-hand side b.
  std::vector<double> a(m * n), b(values);
  for (std::size_t r = 0; r < m; ++r) {
    if (points[r].size() != d) throw std::invalid_argument("quadratic fit: rows of unequal length");
    std::vector<double> row(n);
    basis(points[r].data(), d, row.data());
    for (std::size_t c = 0; c < n; ++c) a[c * m + r] = row[c];
  }
  // Householder QR applied to A and b together.
  std::vector<double> rdiag(n);
  for (std::size_t k = 0; k < n; ++k) {
    double* col = &a[k * m];
    double norm = 0.0;
    for (std::size_t r = k; r < m; ++r) norm += col[r] * col[r];
    norm = std::sqrt(norm);
    double scale = 0.0;  // size of the column for the rank test
    for (std::size_t r = 0; r < m; ++r) scale = std::max(scale, std::abs(col[r]));
    if (norm <= 1e-12 * std::max(1.0, scale) * std::sqrt(static_cast<double>(m)))
      throw std::invalid_argument("quadratic fit: the design does not determine every coefficient");
    const double alpha = col[k] > 0 ? -norm : norm;
    col[k] -= alpha;  // v = x - alpha e_k
    double vnorm2 = 0.0;
    for (std::size_t r = k; r < m; ++r) vnorm2 += col[r] * col[r];
    auto reflect = [&](double* y) {
      double dot = 0.0;
      for (std::size_t r = k; r < m; ++r) dot += col[r] * y[r];
      const double f = 2.0 * dot / vnorm2;
      for (std::size_t r = k; r < m; ++r) y[r] -= f * col[r];
    };
    for (std::size_t c = k + 1; c < n; ++c) reflect(&a[c * m]);
    reflect(b.data());
    rdiag[k] = alpha;
  }
  QuadraticSurface s;
  s.dims_ = d;
  s.coefficients_.assign(n, 0.0);
  for (std::size_t k = n; k-- > 0;) {
    double v = b[k];
    for (std::size_t c = k + 1; c < n; ++c) v -= a[c * m + k] * s.coefficients_[c];
    s.coefficients_[k] = v / rdiag[k];
  }
  double ss = 0.0;
  for (std::size_t r = 0; r < m; ++r) {
    const double e = s(points[r].data()) - values[r];
    ss += e * e;
  }
  s.rms_residual_ = std::sqrt(ss / static_cast<double>(m));
  return s;
}

double QuadraticSurface::operator()(const double* z) const {
  double y = coefficients_.empty() ? 0.0 : coefficients_[0];
  std::size_t k = 1;
  for (std::size_t i = 0; i < dims_; ++i) y += coefficients_[k++] * z[i];
  for (std::size_t i = 0; i < dims_; ++i)
    for (std::size_t j = i; j < dims_; ++j) y += coefficients_[k++] * z[i] * z[j];
  return y;
}

}  // namespace solidcell::production
