#pragma once
// What the simulation driver asks of a DAE integrator: (re)start from a state with consistent initial
// values, step or advance towards a stop time, stop where an event function falls through zero, and
// report its work. Two implementations: IdaIntegrator (SUNDIALS IDA, the reference) and BdfIntegrator
// (a lean variable-order BDF for the hot path, checked against IDA in tests).
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "solidcell/numerics/dae_system.hpp"

namespace solidcell::numerics {

// The solver gave up: when, and what it said.
class SolverFailure : public std::runtime_error {
 public:
  SolverFailure(double time, std::string reason);
  double time() const { return time_; }
  const std::string& reason() const { return reason_; }

 private:
  double time_;
  std::string reason_;
};

enum class LinearSolverKind {
  sparse,  // KLU on the system's sparsity pattern (band storage of the same grouped Jacobian without KLU)
  band,    // SUNDIALS' band solver with IDA's own difference-quotient Jacobian
};

// Work done since the integrator was made, over all its (re)starts.
struct SolverStatistics {
  long steps = 0;
  long residual_evaluations = 0;           // for steps and Newton iterations
  long jacobian_evaluations = 0;
  long jacobian_residual_evaluations = 0;  // spent on difference-quotient Jacobians
  int residuals_per_jacobian = 0;          // column groups (sparse) or the band's width
};

struct IntegratorOptions {
  double relative_tolerance = 1e-6;
  double max_step_s = 0.0;  // 0: no limit
  long max_steps = 20000;   // per start(): a step that needs more is stalling, and fails with that reason
  LinearSolverKind linear_solver = LinearSolverKind::sparse;
  // Absolute tolerance in units of each unknown's scale (DaeSystem::absolute_tolerances); 0: the relative one.
  double absolute_tolerance = 0.0;
};

enum class IntegratorKind {
  ida,  // SUNDIALS IDA: the reference
  bdf,  // solidcell's own BDF (bdf_integrator.hpp)
};

class DaeIntegrator {
 public:
  // g(t, y, out) fills `count` event functions, positive while the step may go on; the integrator stops
  // where one falls through zero.
  using EventFunction = std::function<void(double t, const double* y, double* out)>;
  enum class Outcome { step, reached_stop_time, event };

  virtual ~DaeIntegrator() = default;
  // (Re)starts at t0 from y (algebraic parts are made consistent; y and yp are updated in place).
  virtual void start(double t0, std::vector<double>& y, std::vector<double>& yp) = 0;
  virtual void set_events(int count, EventFunction events) = 0;
  // One internal step towards t_stop (never past it). On an event, `event_index` names the function; the
  // simulation ends the step there, and an integrator needs start() before it integrates on.
  virtual Outcome step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index = nullptr) = 0;
  // Integrates to t_out (interpolating inside the last step, never past t_stop) or to an event before it.
  virtual Outcome advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                             int* event_index = nullptr) = 0;
  virtual SolverStatistics statistics() const = 0;
};

std::unique_ptr<DaeIntegrator> make_integrator(IntegratorKind kind, const DaeSystem& system, IntegratorOptions options);

}  // namespace solidcell::numerics
