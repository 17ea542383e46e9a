#pragma once
// A lean variable-order (1-5), variable-step BDF integrator for the hot path: the quasi-constant step
// form of Shampine and Reichelt (SIAM J. Sci. Comput. 18:1, 1997; the form SciPy's BDF also uses),
// applied to F(t, y, y') = 0 like MATLAB's ode15s applies it to index-1 DAEs. Newton's matrix
// dF/dy + cj dF/dy' is built from the grouped difference-quotient Jacobian (grouped_jacobian.hpp) and
// factored by KLU (SUNDIALS' wrapper; band LU where SUNDIALS has no KLU); dF/dy' is taken once per
// start(), exact for residuals linear in y' with constant coefficients, as every cell model here is.
// Error test, weights and the consistent-initial-value problem follow IDA's conventions, so both
// integrators are asked for the same accuracy by the same tolerances; tests check it against IDA.
#include <memory>
#include <vector>

#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::numerics {

class BdfIntegrator final : public DaeIntegrator {
 public:
  BdfIntegrator(const DaeSystem& system, IntegratorOptions options);
  ~BdfIntegrator() override;
  BdfIntegrator(const BdfIntegrator&) = delete;
  BdfIntegrator& operator=(const BdfIntegrator&) = delete;

  void start(double t0, std::vector<double>& y, std::vector<double>& yp) override;
  void set_events(int count, EventFunction events) override;
  Outcome step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index = nullptr) override;
  Outcome advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                     int* event_index = nullptr) override;
  SolverStatistics statistics() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace solidcell::numerics
