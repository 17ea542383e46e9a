#include "solidcell/numerics/bdf_integrator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>
#if defined(SOLIDCELL_HAVE_KLU)
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>
#endif

#include "solidcell/numerics/grouped_jacobian.hpp"
#include "solidcell/numerics/sundials_compat.hpp"

namespace solidcell::numerics {
namespace {

constexpr int max_order = 5;
constexpr int newton_iterations = 4;    // IDA's maxcor
constexpr double newton_tolerance = 0.33;  // IDA's epcon: Newton stops at a third of the error test
constexpr double newton_rate_limit = 0.9;  // IDA's RATEMAX
constexpr double max_factor = 10.0, safety = 0.9;
constexpr double infinity = std::numeric_limits<double>::infinity();

// Coefficients of the BDF in backward-difference form: gamma_k = sum_{j<=k} 1/j, and the error constant
// 1/(k+1) of order k (Shampine and Reichelt 1997, with the NDF's kappa set to zero).
struct Coefficients {
  std::array<double, max_order + 2> gamma{}, error_constant{};
  Coefficients() {
    for (int k = 1; k <= max_order + 1; ++k) gamma[static_cast<std::size_t>(k)] = gamma[static_cast<std::size_t>(k - 1)] + 1.0 / k;
    for (int k = 0; k <= max_order + 1; ++k) error_constant[static_cast<std::size_t>(k)] = 1.0 / (k + 1);
  }
};
const Coefficients coefficients;

// R(order, factor): the matrix that re-expresses backward differences on a grid of spacing h as
// differences on spacing factor x h, for the same interpolating polynomial.
std::array<std::array<double, max_order + 1>, max_order + 1> difference_rescaling(int order, double factor) {
  std::array<std::array<double, max_order + 1>, max_order + 1> r{};
  for (int j = 0; j <= order; ++j) r[0][static_cast<std::size_t>(j)] = 1.0;
  for (int i = 1; i <= order; ++i)
    for (int j = 0; j <= order; ++j) {
      const double m = j == 0 ? 0.0 : (i - 1 - factor * j) / static_cast<double>(i);
      r[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = r[static_cast<std::size_t>(i - 1)][static_cast<std::size_t>(j)] * m;
    }
  return r;
}

}  // namespace

struct BdfIntegrator::Impl {
  const DaeSystem& system;
  IntegratorOptions options;
  std::size_t n;
  std::vector<double> atol, differential;
  GroupedJacobian jacobian;
  std::vector<double> f_y, f_yp;  // dF/dy and dF/dy' on the pattern (CSC values)

  // Linear algebra: KLU (or band LU) through SUNDIALS.
  SundialsContext ctx;
  N_Vector rhs = nullptr, solution = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver solver = nullptr;
  bool klu = false;
  double cj_factored = 0.0;  // cj of the factored matrix; 0: none
  bool jacobian_fresh = false;  // f_y was evaluated at the present step's predicted state
  double newton_ss = 20.0;   // IDA's rate estimate rate / (1 - rate), from the last iteration that measured it

  // The solution in backward-difference form: D[0] = y_n, D[j] = j-th difference on spacing h.
  std::vector<double> differences;
  int order = 1;
  int equal_steps = 0;
  double t = 0.0, h = 0.0, t_previous = 0.0;
  std::vector<double> y, yp, weight, y_predicted, psi, correction, delta, residual_values, matrix_values;
  std::vector<double> rescaled;         // work space of rescale_differences (rows 0..order)
  std::vector<double> y_trial, yp_trial;  // work space of the event search

  // Events.
  EventFunction events;
  int event_count = 0;
  std::vector<double> g_previous, g_now, g_trial;
  struct PendingEvent {
    double t;
    std::vector<double> y, yp;
    int index;
  };
  std::optional<PendingEvent> pending;

  long steps_since_start = 0;
  bool started = false;
  SolverStatistics totals;
  long residual_evaluations = 0;
  long jacobian_evaluations = 0;

  Impl(const DaeSystem& s, IntegratorOptions o) : system(s), options(o), n(s.size()), jacobian(s) {
    atol = system.absolute_tolerances(options.absolute_tolerance > 0.0 ? options.absolute_tolerance : options.relative_tolerance);
    differential = system.differential_mask();
    f_y.assign(jacobian.nonzeros(), 0.0);
    f_yp.assign(jacobian.nonzeros(), 0.0);
    matrix_values.assign(jacobian.nonzeros(), 0.0);
    differences.assign(static_cast<std::size_t>(max_order + 3) * n, 0.0);
    for (auto* v : {&y, &yp, &weight, &y_predicted, &psi, &correction, &delta, &residual_values, &y_trial, &yp_trial}) v->assign(n, 0.0);
    rescaled.assign(static_cast<std::size_t>(max_order + 1) * n, 0.0);
    rhs = N_VNew_Serial(static_cast<SunIndex>(n), ctx);
    solution = N_VNew_Serial(static_cast<SunIndex>(n), ctx);
    if (!rhs || !solution) throw std::bad_alloc();
#if defined(SOLIDCELL_HAVE_KLU)
    klu = true;
    matrix = SUNSparseMatrix(static_cast<SunIndex>(n), static_cast<SunIndex>(n), static_cast<SunIndex>(jacobian.nonzeros()), CSC_MAT, ctx);
    if (!matrix) throw std::bad_alloc();
    std::copy(jacobian.column_start().begin(), jacobian.column_start().end(), SM_INDEXPTRS_S(matrix));
    std::copy(jacobian.row_index().begin(), jacobian.row_index().end(), SM_INDEXVALS_S(matrix));
    solver = SUNLinSol_KLU(rhs, matrix, ctx);
#else
    matrix = SUNBandMatrix(static_cast<SunIndex>(n), jacobian.upper_bandwidth(), jacobian.lower_bandwidth(), ctx);
    if (!matrix) throw std::bad_alloc();
    solver = SUNLinSol_Band(rhs, matrix, ctx);
#endif
    if (!solver || SUNLinSolInitialize(solver) != 0) throw std::runtime_error("could not set up the linear solver");
  }

  ~Impl() {
    if (solver) SUNLinSolFree(solver);
    if (matrix) SUNMatDestroy(matrix);
    if (rhs) N_VDestroy(rhs);
    if (solution) N_VDestroy(solution);
  }

  double* row(int j) { return differences.data() + static_cast<std::size_t>(j) * n; }

  double weighted_norm(const double* v) const {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += (v[i] * weight[i]) * (v[i] * weight[i]);
    return std::sqrt(sum / static_cast<double>(n));
  }

  void update_weights(const double* state) {
    for (std::size_t i = 0; i < n; ++i) weight[i] = 1.0 / (options.relative_tolerance * std::abs(state[i]) + atol[i]);
  }

  bool evaluate_residual(double time, const double* state, const double* rate, double* out) {
    ++residual_evaluations;
    return system.residual(time, state, rate, out);
  }

  // Factors `values` (CSC on the Jacobian's pattern); false when the matrix is singular.
  bool factor(const std::vector<double>& values) {
#if defined(SOLIDCELL_HAVE_KLU)
    std::copy(values.begin(), values.end(), SM_DATA_S(matrix));
#else
    SUNMatZero(matrix);
    const auto& starts = jacobian.column_start();
    const auto& rows = jacobian.row_index();
    for (std::size_t c = 0; c < n; ++c)
      for (long e = starts[c]; e < starts[c + 1]; ++e)
        SM_ELEMENT_B(matrix, static_cast<SunIndex>(rows[static_cast<std::size_t>(e)]), static_cast<SunIndex>(c)) = values[static_cast<std::size_t>(e)];
#endif
    if (SUNLinSolSetup(solver, matrix) == 0) return true;
#if defined(SOLIDCELL_HAVE_KLU)
    // KLU refactors with the pivot order of its first factorization; a new control (a voltage hold after a
    // current step) can make a pivot of that order vanish. Factor afresh, with a new order, once.
    SUNLinSol_KLUReInit(solver, matrix, static_cast<SunIndex>(jacobian.nonzeros()), SUNKLU_REINIT_PARTIAL);
    return SUNLinSolSetup(solver, matrix) == 0;
#else
    return false;
#endif
  }

  // x = A^{-1} b, in place.
  bool solve(double* b) {
    std::copy(b, b + n, N_VGetArrayPointer(rhs));
    if (SUNLinSolSolve(solver, matrix, solution, rhs, 0.0) != 0) return false;
    std::copy(N_VGetArrayPointer(solution), N_VGetArrayPointer(solution) + n, b);
    return true;
  }

  bool factor_newton_matrix(double cj) {
    for (std::size_t e = 0; e < matrix_values.size(); ++e) matrix_values[e] = f_y[e] + cj * f_yp[e];
    cj_factored = cj;
    newton_ss = 20.0;
    return factor(matrix_values);
  }

  [[noreturn]] void fail(double time, const std::string& reason) const { throw SolverFailure(time, reason); }

  // Consistent initial values: differential unknowns held, algebraic unknowns and y' solved for by Newton
  // on F(t0, y, y') = 0, with dF/dy in the algebraic columns and dF/dy' in the differential ones.
  void consistent_initial_values() {
    update_weights(y.data());
    if (!evaluate_residual(t, y.data(), yp.data(), residual_values.data())) fail(t, "the residual cannot be evaluated at the initial state");
    if (!jacobian.evaluate_derivative_part(t, y.data(), yp.data(), residual_values.data(), weight.data(), f_yp.data()))
      fail(t, "the residual cannot be evaluated near the initial state");
    const auto& starts = jacobian.column_start();
    double previous_norm = infinity;
    for (int iteration = 0; iteration < 30; ++iteration) {
      if (iteration > 0 && !evaluate_residual(t, y.data(), yp.data(), residual_values.data()))
        fail(t, "finding consistent initial conditions: the residual failed at a Newton iterate");
      ++jacobian_evaluations;
      if (!jacobian.evaluate(t, 0.0, 0.0, y.data(), yp.data(), residual_values.data(), weight.data(), f_y.data()))
        fail(t, "finding consistent initial conditions: the residual failed while forming the Jacobian");
      for (std::size_t c = 0; c < n; ++c)
        for (long e = starts[c]; e < starts[c + 1]; ++e) {
          const auto k = static_cast<std::size_t>(e);
          matrix_values[k] = differential[c] != 0.0 ? f_yp[k] : f_y[k];
        }
      cj_factored = 0.0;
      if (!factor(matrix_values)) fail(t, "finding consistent initial conditions: the Jacobian is singular");
      std::copy(residual_values.begin(), residual_values.end(), delta.begin());
      if (!solve(delta.data())) fail(t, "finding consistent initial conditions: the linear solve failed");
      double algebraic_norm = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (differential[i] != 0.0) {
          yp[i] -= delta[i];
        } else {
          y[i] -= delta[i];
          algebraic_norm += (delta[i] * weight[i]) * (delta[i] * weight[i]);
        }
      }
      algebraic_norm = std::sqrt(algebraic_norm / static_cast<double>(n));
      // Converged when the algebraic correction is well inside the error test and was already small before
      // (y' follows the algebraic unknowns linearly, so it has settled too).
      if (algebraic_norm <= 1e-3 && previous_norm <= 1e-1) return;
      previous_norm = algebraic_norm;
    }
    fail(t, "finding consistent initial conditions: Newton's iteration did not converge in 30 iterations");
  }

  void rescale_differences(double factor) {
    const auto r = difference_rescaling(order, factor);
    const auto u = difference_rescaling(order, 1.0);
    std::array<std::array<double, max_order + 1>, max_order + 1> ru{};
    for (int i = 0; i <= order; ++i)
      for (int j = 0; j <= order; ++j) {
        double s = 0.0;
        for (int k = 0; k <= order; ++k) s += r[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] * u[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
        ru[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = s;
      }
    // D[j] <- sum_m RU[m][j] D[m], j = 0..order.
    std::fill(rescaled.begin(), rescaled.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(order + 1) * n), 0.0);
    for (int j = 0; j <= order; ++j) {
      double* out = rescaled.data() + static_cast<std::size_t>(j) * n;
      for (int m = 0; m <= order; ++m) {
        const double c = ru[static_cast<std::size_t>(m)][static_cast<std::size_t>(j)];
        if (c == 0.0) continue;
        const double* d = row(m);
        for (std::size_t i = 0; i < n; ++i) out[i] += c * d[i];
      }
    }
    std::copy(rescaled.begin(), rescaled.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(order + 1) * n), differences.begin());
    h *= factor;
  }

  // The interpolating polynomial of the last step at time s, and its derivative.
  void interpolate(double s, double* y_out, double* yp_out) {
    std::copy(row(0), row(0) + n, y_out);
    std::fill(yp_out, yp_out + n, 0.0);
    double p = 1.0, dp = 0.0;  // product of (s - t_m) / ((m + 1) h) over m < j, and its derivative
    for (int j = 1; j <= order; ++j) {
      const double shift = t - h * (j - 1);
      const double denominator = h * j;
      const double x = (s - shift) / denominator;
      dp = dp * x + p / denominator;
      p *= x;
      const double* d = row(j);
      for (std::size_t i = 0; i < n; ++i) {
        y_out[i] += d[i] * p;
        yp_out[i] += d[i] * dp;
      }
    }
  }

  void choose_first_step(double t_target) {
    double span = std::abs(t_target - t);
    h = span > 0.0 ? 0.001 * span : 1e-6;
    const double yp_norm = weighted_norm(yp.data());
    if (yp_norm * h > 0.5) h = 0.5 / yp_norm;
    if (options.max_step_s > 0.0) h = std::min(h, options.max_step_s);
    h = std::max(h, 1e-12);
    // Order 1 from the consistent initial values: D[0] = y, D[1] = h y'.
    std::fill(differences.begin(), differences.end(), 0.0);
    std::copy(y.begin(), y.end(), row(0));
    for (std::size_t i = 0; i < n; ++i) row(1)[i] = h * yp[i];
    order = 1;
    equal_steps = 0;
  }

  // dF/dy at the predicted state, and the Newton matrix with it; false when the residual fails there.
  bool refresh_jacobian(double t_new, double cj) {
    for (std::size_t i = 0; i < n; ++i) yp[i] = psi[i] * cj;
    if (!evaluate_residual(t_new, y_predicted.data(), yp.data(), residual_values.data())) return false;
    ++jacobian_evaluations;
    if (!jacobian.evaluate(t_new, 0.0, h, y_predicted.data(), yp.data(), residual_values.data(), weight.data(), f_y.data())) return false;
    jacobian_fresh = true;
    return factor_newton_matrix(cj);
  }

  // Newton's iteration for the corrector; true when it converged (correction holds y_new - y_predicted).
  // IDA's rate-based test (rate / (1 - rate) x |delta| <= 0.33), but never on the first iteration with a
  // rate carried over from an earlier step: accepting such a first iterate let algebraic errors build up
  // until Newton diverged near the end of a solid-state discharge. At least two residuals per step.
  bool newton(double t_new, double cj) {
    std::fill(correction.begin(), correction.end(), 0.0);
    std::copy(y_predicted.begin(), y_predicted.end(), y.begin());
    double first_norm = 0.0;
    for (int m = 0; m < newton_iterations; ++m) {
      for (std::size_t i = 0; i < n; ++i) yp[i] = (psi[i] + correction[i]) * cj;
      if (!evaluate_residual(t_new, y.data(), yp.data(), residual_values.data())) return false;
      for (std::size_t i = 0; i < n; ++i) delta[i] = -residual_values[i];
      if (!solve(delta.data())) return false;
      if (cj != cj_factored) {  // IDA's correction for a matrix factored at another cj
        const double scale = 2.0 / (1.0 + cj / cj_factored);
        for (double& d : delta) d *= scale;
      }
      for (std::size_t i = 0; i < n; ++i) {
        y[i] += delta[i];
        correction[i] += delta[i];
      }
      const double norm = weighted_norm(delta.data());
      if (!std::isfinite(norm)) return false;
      if (m == 0) {
        first_norm = norm;
        if (norm <= 1e-4 * newton_tolerance) return true;
      } else {
        const double rate = std::pow(norm / first_norm, 1.0 / m);
        if (rate > newton_rate_limit) return false;
        newton_ss = rate / (1.0 - rate);
      }
      if (m > 0 && newton_ss * norm <= newton_tolerance) return true;
    }
    return false;
  }

  // One accepted step towards t_stop (never past it).
  void take_step(double t_stop) {
    int failures = 0, error_failures = 0;
    while (true) {
      if (options.max_step_s > 0.0 && h > options.max_step_s) {
        rescale_differences(options.max_step_s / h);
        equal_steps = 0;
      }
      // The last step lands on t_stop exactly (no 1-ulp step left over after rounding).
      const bool last = t + h * (1.0 + 1e-10) >= t_stop;
      if (last && t + h != t_stop) {
        rescale_differences((t_stop - t) / h);
        equal_steps = 0;
      }
      const double t_new = last ? t_stop : t + h;
      const double alpha = coefficients.gamma[static_cast<std::size_t>(order)];
      const double cj = alpha / h;
      std::fill(y_predicted.begin(), y_predicted.end(), 0.0);
      std::fill(psi.begin(), psi.end(), 0.0);
      for (int j = 0; j <= order; ++j) {
        const double* d = row(j);
        const double g = j >= 1 ? coefficients.gamma[static_cast<std::size_t>(j)] / alpha : 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          y_predicted[i] += d[i];
          psi[i] += g * d[i];
        }
      }
      // As IDA: a new Jacobian when cj has moved far from the factored one, or after a failed iteration.
      const double ratio = cj_factored > 0.0 ? cj / cj_factored : 0.0;
      bool ok = true;
      if (ratio < 0.6 || ratio > 1.67) ok = jacobian_fresh ? factor_newton_matrix(cj) : refresh_jacobian(t_new, cj);
      ok = ok && newton(t_new, cj);
      if (!ok) {
        if (!jacobian_fresh && refresh_jacobian(t_new, cj)) continue;
        if (++failures > 10 || h < 1e-14 * std::max(1.0, std::abs(t)))
          fail(t, fmt::format("Newton's iteration failed {} times, step size {:.3g} s", failures, h));
        rescale_differences(0.25);
        equal_steps = 0;
        jacobian_fresh = false;  // the next try evaluates one at its own predicted state
        continue;
      }
      const double error = coefficients.error_constant[static_cast<std::size_t>(order)] * weighted_norm(correction.data());
      if (error > 1.0) {
        // As IDA: the first failure may lower the order (when the lower order's error estimate is no
        // larger) and shrinks h by the estimate; a second quarters h; later ones also drop to order 1,
        // which gets over a kink in the solution that high orders keep tripping on.
        ++error_failures;
        if (++failures > 10 || h < 1e-14 * std::max(1.0, std::abs(t)))
          fail(t, fmt::format("the error test failed {} times, step size {:.3g} s", error_failures, h));
        double factor = 0.25;
        if (error_failures == 1) {
          double estimate = error;
          if (order > 1) {
            // The order-(k-1) estimate at the new point: D[k] + d, as IDA's phi[k] + ee.
            const double* d_k = row(order);
            for (std::size_t i = 0; i < n; ++i) delta[i] = d_k[i] + correction[i];
            const double lower = coefficients.error_constant[static_cast<std::size_t>(order - 1)] * weighted_norm(delta.data());
            if (lower <= error) {
              --order;
              estimate = lower;
            }
          }
          factor = std::clamp(safety * std::pow(2.0 * estimate + 1e-4, -1.0 / (order + 1)), 0.25, 0.9);
        } else if (error_failures > 2) {
          order = 1;
        }
        rescale_differences(factor);
        equal_steps = 0;
        continue;
      }
      // Accepted: the new differences from the correction.
      t_previous = t;
      t = t_new;
      jacobian_fresh = false;
      {
        double* d_next = row(order + 2);
        const double* d_top = row(order + 1);
        for (std::size_t i = 0; i < n; ++i) d_next[i] = correction[i] - d_top[i];
        std::copy(correction.begin(), correction.end(), row(order + 1));
        for (int j = order; j >= 0; --j) {
          double* d = row(j);
          const double* above = row(j + 1);
          for (std::size_t i = 0; i < n; ++i) d[i] += above[i];
        }
      }
      // y holds the corrected state and yp its derivative from the last Newton iterate.
      for (std::size_t i = 0; i < n; ++i) yp[i] = (psi[i] + correction[i]) * cj;
      ++steps_since_start;
      ++totals.steps;
      if (++equal_steps >= order + 1) choose_order_and_step(error);
      update_weights(y.data());
      return;
    }
  }

  void choose_order_and_step(double error) {
    const double error_lower = order > 1 ? coefficients.error_constant[static_cast<std::size_t>(order - 1)] * weighted_norm(row(order)) : infinity;
    const double error_higher =
        order < max_order ? coefficients.error_constant[static_cast<std::size_t>(order + 1)] * weighted_norm(row(order + 2)) : infinity;
    auto factor_of = [](double e, int k) { return e == 0.0 ? infinity : std::pow(e, -1.0 / k); };
    const double f_lower = factor_of(error_lower, order), f_same = factor_of(error, order + 1), f_higher = factor_of(error_higher, order + 2);
    double best = f_same;
    int change = 0;
    if (f_lower > best) {
      best = f_lower;
      change = -1;
    }
    if (f_higher > best) {
      best = f_higher;
      change = 1;
    }
    order += change;
    rescale_differences(std::min(max_factor, safety * best));
    equal_steps = 0;
  }

  // Events that fell through zero in the last step: the earliest root, located on the interpolant.
  bool find_event(int* event_index) {
    if (event_count == 0) return false;
    events(t, y.data(), g_now.data());
    int which = -1;
    double t_root = infinity;
    for (int k = 0; k < event_count; ++k) {
      const auto kk = static_cast<std::size_t>(k);
      if (!(g_previous[kk] > 0.0 && g_now[kk] <= 0.0)) continue;
      double lo = t_previous, hi = t, g_lo = g_previous[kk], g_hi = g_now[kk];
      const double tolerance = 100.0 * std::numeric_limits<double>::epsilon() * (std::abs(t) + std::abs(h));
      int side = 0;  // Illinois: halve the value of an end kept twice in a row
      for (int it = 0; it < 100 && hi - lo > tolerance; ++it) {
        double s = hi - g_hi * (hi - lo) / (g_hi - g_lo);
        const double margin = 0.1 * (hi - lo);
        if (!(s > lo + 1e-3 * margin && s < hi - 1e-3 * margin)) s = 0.5 * (lo + hi);
        interpolate(s, y_trial.data(), yp_trial.data());
        events(s, y_trial.data(), g_trial.data());
        if (g_trial[kk] <= 0.0) {
          hi = s;
          g_hi = g_trial[kk];
          if (side == -1) g_lo *= 0.5;
          side = -1;
        } else {
          lo = s;
          g_lo = g_trial[kk];
          if (side == 1) g_hi *= 0.5;
          side = 1;
        }
      }
      // Coincident roots (a step's "until 2.5 V" and the cell's 2.5 V limit): the later event function
      // wins, as in IDA, so that a step's own limit is reported rather than the cell's.
      if (hi <= t_root + 10.0 * tolerance) {
        t_root = std::min(t_root, hi);
        which = k;
      }
    }
    if (which < 0) {
      std::swap(g_previous, g_now);
      return false;
    }
    PendingEvent e{t_root, std::vector<double>(n), std::vector<double>(n), which};
    interpolate(t_root, e.y.data(), e.yp.data());
    pending = std::move(e);
    if (event_index) *event_index = which;
    return true;
  }

  void check_step_budget() const {
    if (steps_since_start >= options.max_steps)
      throw SolverFailure(t, fmt::format("more than {} solver steps in one experiment step (the solution is stalling: a concentration or "
                                         "potential at its limit)", options.max_steps));
  }
};

BdfIntegrator::BdfIntegrator(const DaeSystem& system, IntegratorOptions options) : impl_(std::make_unique<Impl>(system, options)) {}
BdfIntegrator::~BdfIntegrator() = default;

void BdfIntegrator::set_events(int count, EventFunction events) {
  auto& m = *impl_;
  m.event_count = count;
  m.events = std::move(events);
  const auto size = static_cast<std::size_t>(std::max(count, 0));
  m.g_previous.assign(size, 0.0);
  m.g_now.assign(size, 0.0);
  m.g_trial.assign(size, 0.0);
  if (m.started && count > 0) m.events(m.t, m.y.data(), m.g_previous.data());
}

void BdfIntegrator::start(double t0, std::vector<double>& y, std::vector<double>& yp) {
  auto& m = *impl_;
  m.t = t0;
  m.t_previous = t0;
  m.h = 0.0;
  m.pending.reset();
  m.steps_since_start = 0;
  std::copy(y.begin(), y.end(), m.y.begin());
  std::fill(m.yp.begin(), m.yp.end(), 0.0);
  m.consistent_initial_values();
  m.started = true;
  m.jacobian_fresh = false;
  m.cj_factored = 0.0;  // the factored matrix was the initial-value one
  m.update_weights(m.y.data());
  if (m.event_count > 0) m.events(t0, m.y.data(), m.g_previous.data());
  y = m.y;
  yp = m.yp;
}

DaeIntegrator::Outcome BdfIntegrator::step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index) {
  auto& m = *impl_;
  if (m.pending) {
    t = m.pending->t;
    y = m.pending->y;
    yp = m.pending->yp;
    if (event_index) *event_index = m.pending->index;
    return Outcome::event;
  }
  if (m.t >= t_stop) {
    t = m.t;
    y = m.y;
    yp = m.yp;
    return Outcome::reached_stop_time;
  }
  m.check_step_budget();
  if (m.h == 0.0) m.choose_first_step(t_stop);
  m.take_step(t_stop);
  if (m.find_event(event_index)) return step(t_stop, t, y, yp, event_index);
  t = m.t;
  y = m.y;
  yp = m.yp;
  return m.t >= t_stop ? Outcome::reached_stop_time : Outcome::step;
}

DaeIntegrator::Outcome BdfIntegrator::advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                                                 int* event_index) {
  auto& m = *impl_;
  const double target = std::min(t_out, t_stop);
  if (m.h == 0.0) m.choose_first_step(target);
  while (!m.pending && m.t < target) {
    m.check_step_budget();
    m.take_step(t_stop);
    m.find_event(nullptr);
  }
  if (m.pending && m.pending->t <= target) {
    t = m.pending->t;
    y = m.pending->y;
    yp = m.pending->yp;
    if (event_index) *event_index = m.pending->index;
    return Outcome::event;
  }
  // The output time lies inside the last step (an event after it waits for the next call).
  if (m.t > target) {
    m.interpolate(target, y.data(), yp.data());
  } else {
    y = m.y;
    yp = m.yp;
  }
  t = target;
  return target >= t_stop ? Outcome::reached_stop_time : Outcome::step;
}

SolverStatistics BdfIntegrator::statistics() const {
  const auto& m = *impl_;
  SolverStatistics s = m.totals;
  s.residual_evaluations = m.residual_evaluations;
  s.jacobian_evaluations = m.jacobian_evaluations;
  s.jacobian_residual_evaluations = m.jacobian.residual_evaluations();
  s.residuals_per_jacobian = static_cast<int>(m.jacobian.groups());
  return s;
}

}  // namespace solidcell::numerics
