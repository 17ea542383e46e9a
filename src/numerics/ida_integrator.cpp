#include "solidcell/numerics/ida_integrator.hpp"

#include <algorithm>
#include <cmath>

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

struct IdaIntegrator::Impl {
  const DaeSystem& system;
  IntegratorOptions options;
  SundialsContext ctx;
  SolverErrorLog log;
  void* mem = nullptr;
  N_Vector y = nullptr, yp = nullptr, atol = nullptr, id = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver solver = nullptr;
  EventFunction events;
  int event_count = 0;
  bool initialised = false;
  long steps_since_start = 0;
  std::string callback_error;  // an exception caught inside a callback

  // Sparse path: the grouped difference-quotient Jacobian, in CSC (KLU) or copied into band storage.
  bool klu = false;
  std::unique_ptr<GroupedJacobian> grouped;
  std::vector<double> values;  // band path: the CSC values before they go into the band matrix
  SolverStatistics finished;  // counters of the starts before the present one

  explicit Impl(const DaeSystem& s, IntegratorOptions o) : system(s), options(o) {}
  ~Impl() {
    if (mem) IDAFree(&mem);
    if (solver) SUNLinSolFree(solver);
    if (matrix) SUNMatDestroy(matrix);
    for (N_Vector v : {y, yp, atol, id})
      if (v) N_VDestroy(v);
  }

  static int residual(SunReal t, N_Vector y, N_Vector yp, N_Vector r, void* data) {
    auto* self = static_cast<Impl*>(data);
    try {  // no exception may cross into SUNDIALS' C frames
      return self->system.residual(t, N_VGetArrayPointer(y), N_VGetArrayPointer(yp), N_VGetArrayPointer(r)) ? 0 : 1;
    } catch (const std::exception& e) {
      self->callback_error = e.what();
      return -1;
    }
  }

  static int roots(SunReal t, N_Vector y, N_Vector /*yp*/, SunReal* g, void* data) {
    auto* self = static_cast<Impl*>(data);
    try {
      self->events(t, N_VGetArrayPointer(y), g);
      return 0;
    } catch (const std::exception& e) {
      self->callback_error = e.what();
      return -1;
    }
  }

  // J = dF/dy + cj dF/dy' by difference quotients, one residual per column group, with IDA's own
  // increment (sqrt(eps) relative, at least one error-weight unit, signed like h y').
  static int jacobian(SunReal t, SunReal cj, N_Vector yy, N_Vector ypy, N_Vector rr, SUNMatrix J, void* data, N_Vector ewt_v,
                      N_Vector /*tmp2*/, N_Vector /*tmp3*/) {
    auto* self = static_cast<Impl*>(data);
    try {
      return self->fill_jacobian(t, cj, N_VGetArrayPointer(yy), N_VGetArrayPointer(ypy), N_VGetArrayPointer(rr), J, ewt_v);
    } catch (const std::exception& e) {
      self->callback_error = e.what();
      return -1;
    }
  }

  int fill_jacobian(double t, double cj, const double* y0, const double* yp0, const double* r, SUNMatrix J, N_Vector ewt_v) {
    IDAGetErrWeights(mem, ewt_v);
    SunReal h = 0.0;
    IDAGetCurrentStep(mem, &h);
    const auto& starts = grouped->column_start();
    const auto& rows = grouped->row_index();
#if defined(SOLIDCELL_HAVE_KLU)
    if (klu) {
      // SUNMatZero cleared the structure too: write it again.
      std::copy(starts.begin(), starts.end(), SM_INDEXPTRS_S(J));
      std::copy(rows.begin(), rows.end(), SM_INDEXVALS_S(J));
      return grouped->evaluate(t, cj, h, y0, yp0, r, N_VGetArrayPointer(ewt_v), SM_DATA_S(J)) ? 0 : 1;  // 1: recoverable, IDA cuts the step
    }
#endif
    if (!grouped->evaluate(t, cj, h, y0, yp0, r, N_VGetArrayPointer(ewt_v), values.data())) return 1;
    for (std::size_t c = 0; c + 1 < starts.size(); ++c)
      for (long e = starts[c]; e < starts[c + 1]; ++e)
        SM_ELEMENT_B(J, static_cast<SunIndex>(rows[static_cast<std::size_t>(e)]), static_cast<SunIndex>(c)) = values[static_cast<std::size_t>(e)];
    return 0;
  }

  [[noreturn]] void fail(double t, int flag, const std::string& what) {
    std::string reason = what + " (" + ida_flag_name(flag) + ")";
    if (!log.empty()) reason += ": " + log.to_string();
    if (!callback_error.empty()) reason += ": " + callback_error;
    throw SolverFailure(t, reason);
  }
};

IdaIntegrator::IdaIntegrator(const DaeSystem& system, IntegratorOptions options) : impl_(std::make_unique<Impl>(system, options)) {
  auto& m = *impl_;
  const auto n = static_cast<SunIndex>(system.size());
  m.y = N_VNew_Serial(n, m.ctx);
  m.yp = N_VNew_Serial(n, m.ctx);
  m.atol = N_VNew_Serial(n, m.ctx);
  m.id = N_VNew_Serial(n, m.ctx);
  m.mem = IDACreate(m.ctx);
  if (!m.y || !m.yp || !m.atol || !m.id || !m.mem) throw std::bad_alloc();
  capture_ida_errors(m.mem, m.ctx, m.log);
  auto tol = system.absolute_tolerances(options.absolute_tolerance > 0.0 ? options.absolute_tolerance : options.relative_tolerance);
  auto mask = system.differential_mask();
  for (SunIndex i = 0; i < n; ++i) {
    N_VGetArrayPointer(m.atol)[i] = tol[static_cast<std::size_t>(i)];
    N_VGetArrayPointer(m.id)[i] = mask[static_cast<std::size_t>(i)];
  }
}

IdaIntegrator::~IdaIntegrator() = default;

void IdaIntegrator::set_events(int count, EventFunction events) {
  impl_->event_count = count;
  impl_->events = std::move(events);
  if (impl_->initialised) IDARootInit(impl_->mem, count, count > 0 ? Impl::roots : nullptr);
}

void IdaIntegrator::start(double t0, std::vector<double>& y, std::vector<double>& yp) {
  auto& m = *impl_;
  const auto n = m.system.size();
  std::copy(y.begin(), y.end(), N_VGetArrayPointer(m.y));
  yp.assign(n, 0.0);
  std::copy(yp.begin(), yp.end(), N_VGetArrayPointer(m.yp));
  m.log.clear();
  m.callback_error.clear();
  m.steps_since_start = 0;
  int flag;
  if (!m.initialised) {
    flag = IDAInit(m.mem, Impl::residual, t0, m.y, m.yp);
    if (flag == IDA_SUCCESS) flag = IDASetUserData(m.mem, &m);
    if (flag == IDA_SUCCESS) flag = IDASVtolerances(m.mem, m.options.relative_tolerance, m.atol);
    if (flag == IDA_SUCCESS) flag = IDASetId(m.mem, m.id);
    if (flag != IDA_SUCCESS) m.fail(t0, flag, "setting up IDA");
    int upper = m.system.upper_bandwidth(), lower = m.system.lower_bandwidth();
    if (m.options.linear_solver == LinearSolverKind::sparse) {
      m.grouped = std::make_unique<GroupedJacobian>(m.system);
      upper = m.grouped->upper_bandwidth();
      lower = m.grouped->lower_bandwidth();
#if defined(SOLIDCELL_HAVE_KLU)
      m.klu = true;
      m.matrix = SUNSparseMatrix(static_cast<SunIndex>(n), static_cast<SunIndex>(n), static_cast<SunIndex>(m.grouped->nonzeros()), CSC_MAT, m.ctx);
      m.solver = m.matrix ? SUNLinSol_KLU(m.y, m.matrix, m.ctx) : nullptr;
#endif
    }
    if (!m.klu) {
      if (m.grouped) m.values.assign(m.grouped->nonzeros(), 0.0);
      m.matrix = SUNBandMatrix(static_cast<SunIndex>(n), upper, lower, m.ctx);
      m.solver = m.matrix ? SUNLinSol_Band(m.y, m.matrix, m.ctx) : nullptr;
    }
    if (!m.matrix || !m.solver) throw std::bad_alloc();
    flag = IDASetLinearSolver(m.mem, m.solver, m.matrix);
    if (flag == IDA_SUCCESS && m.grouped) flag = IDASetJacFn(m.mem, Impl::jacobian);
    if (flag == IDA_SUCCESS) flag = IDASetMaxNumSteps(m.mem, m.options.max_steps);
    // Step changes can move the algebraic unknowns far (a power step from rest): allow a longer
    // Newton for the consistent initial values.
    if (flag == IDA_SUCCESS) flag = IDASetMaxNumItersIC(m.mem, 50);
    if (flag == IDA_SUCCESS) flag = IDASetMaxNumJacsIC(m.mem, 20);
    if (flag == IDA_SUCCESS) flag = IDASetMaxNumStepsIC(m.mem, 20);
    if (flag == IDA_SUCCESS && m.options.max_step_s > 0) flag = IDASetMaxStep(m.mem, m.options.max_step_s);
    if (flag != IDA_SUCCESS) m.fail(t0, flag, m.klu ? "setting up the KLU linear solver" : "setting up the band linear solver");
    m.initialised = true;
  } else {
    const SolverStatistics so_far = statistics();
    m.finished.steps = so_far.steps;
    m.finished.residual_evaluations = so_far.residual_evaluations;
    m.finished.jacobian_evaluations = so_far.jacobian_evaluations;
    m.finished.jacobian_residual_evaluations = so_far.jacobian_residual_evaluations - (m.grouped ? m.grouped->residual_evaluations() : 0);
    flag = IDAReInit(m.mem, t0, m.y, m.yp);
    if (flag != IDA_SUCCESS) m.fail(t0, flag, "restarting IDA");
  }
  IDARootInit(m.mem, m.event_count, m.event_count > 0 ? Impl::roots : nullptr);
  if (m.event_count > 0) {
    // Events are written positive while the step may go on: only a fall through zero ends it, so a
    // state that starts beyond a limit does not stop the step when it comes back inside.
    std::vector<int> falling(static_cast<std::size_t>(m.event_count), -1);
    IDASetRootDirection(m.mem, falling.data());
  }
  // Consistent initial values: differential unknowns fixed, algebraic ones and y' solved for.
  // tout1 sets the step IDA imagines for the correction (h = 0.001 (tout1 - t0)): about a millisecond
  // keeps the Newton matrix well conditioned for both the algebraic and the differential parts.
  flag = IDACalcIC(m.mem, IDA_YA_YDP_INIT, t0 + 1.0);
  if (flag != IDA_SUCCESS) m.fail(t0, flag, "finding consistent initial conditions");
  flag = IDAGetConsistentIC(m.mem, m.y, m.yp);
  if (flag != IDA_SUCCESS) m.fail(t0, flag, "reading the initial conditions");
  std::copy(N_VGetArrayPointer(m.y), N_VGetArrayPointer(m.y) + n, y.begin());
  std::copy(N_VGetArrayPointer(m.yp), N_VGetArrayPointer(m.yp) + n, yp.begin());
}

IdaIntegrator::Outcome IdaIntegrator::step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index) {
  return solve(t_stop, t_stop, IDA_ONE_STEP, t, y, yp, event_index);
}

IdaIntegrator::Outcome IdaIntegrator::advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                                                 int* event_index) {
  return solve(std::min(t_out, t_stop), t_stop, IDA_NORMAL, t, y, yp, event_index);
}

IdaIntegrator::Outcome IdaIntegrator::solve(double t_target, double t_stop, int mode, double& t, std::vector<double>& y,
                                            std::vector<double>& yp, int* event_index) {
  auto& m = *impl_;
  if (m.steps_since_start >= m.options.max_steps) {
    throw SolverFailure(t, fmt::format("more than {} solver steps in one experiment step (the solution is stalling: a concentration or "
                                       "potential at its limit)", m.options.max_steps));
  }
  long before = 0;
  IDAGetNumSteps(m.mem, &before);
  IDASetStopTime(m.mem, t_stop);
  SunReal t_out = t;
  int flag = IDASolve(m.mem, t_target, &t_out, m.y, m.yp, mode);
  long after = before;
  IDAGetNumSteps(m.mem, &after);
  m.steps_since_start += std::max(1L, after - before);
  if (flag < 0) {
    SunReal t_fail = t;
    IDAGetCurrentTime(m.mem, &t_fail);
    m.fail(t_fail, flag, "integrating");
  }
  t = t_out;
  const auto n = m.system.size();
  std::copy(N_VGetArrayPointer(m.y), N_VGetArrayPointer(m.y) + n, y.begin());
  std::copy(N_VGetArrayPointer(m.yp), N_VGetArrayPointer(m.yp) + n, yp.begin());
  if (flag == IDA_ROOT_RETURN) {
    if (event_index) {
      std::vector<int> found(static_cast<std::size_t>(m.event_count), 0);
      IDAGetRootInfo(m.mem, found.data());
      *event_index = -1;
      for (int k = 0; k < m.event_count; ++k)
        if (found[static_cast<std::size_t>(k)] != 0) *event_index = k;
    }
    return Outcome::event;
  }
  if (flag == IDA_TSTOP_RETURN || t >= t_stop) return Outcome::reached_stop_time;
  return Outcome::step;
}

SolverStatistics IdaIntegrator::statistics() const {
  const auto& m = *impl_;
  SolverStatistics s = m.finished;  // IDAReInit zeroes IDA's own counters: earlier starts are kept here
  if (m.initialised) {
    long v = 0;
    IDAGetNumSteps(m.mem, &v);
    s.steps += v;
    IDAGetNumResEvals(m.mem, &v);
    s.residual_evaluations += v;
    IDAGetNumJacEvals(m.mem, &v);
    s.jacobian_evaluations += v;
    IDAGetNumLinResEvals(m.mem, &v);
    s.jacobian_residual_evaluations += v;
  }
  if (m.grouped) s.jacobian_residual_evaluations += m.grouped->residual_evaluations();
  s.residuals_per_jacobian = m.grouped ? static_cast<int>(m.grouped->groups())
                                                : std::min<int>(m.system.lower_bandwidth() + m.system.upper_bandwidth() + 1,
                                                                static_cast<int>(m.system.size()));
  return s;
}

}  // namespace solidcell::numerics
