#pragma once
// SUNDIALS IDA over a DaeSystem: Newton with a sparse (KLU) or band linear solver, consistent
// initialisation of the algebraic unknowns, and root-finding for events. The reference integrator.
// The sparse path fills the Jacobian by difference quotients over groups of structurally independent
// columns (the system's jacobian_pattern()); the band path lets IDA difference every band column.
#include <memory>
#include <vector>

#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::numerics {

class IdaIntegrator final : public DaeIntegrator {
 public:
  IdaIntegrator(const DaeSystem& system, IntegratorOptions options);
  ~IdaIntegrator() override;
  IdaIntegrator(const IdaIntegrator&) = delete;
  IdaIntegrator& operator=(const IdaIntegrator&) = delete;

  void start(double t0, std::vector<double>& y, std::vector<double>& yp) override;
  void set_events(int count, EventFunction events) override;
  Outcome step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index = nullptr) override;
  Outcome advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                     int* event_index = nullptr) override;
  SolverStatistics statistics() const override;

 private:
  Outcome solve(double t_target, double t_stop, int mode, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace solidcell::numerics
