#include "solidcell/numerics/dae_integrator.hpp"

#include <fmt/format.h>

#include "solidcell/numerics/bdf_integrator.hpp"
#include "solidcell/numerics/ida_integrator.hpp"

namespace solidcell::numerics {

SolverFailure::SolverFailure(double time, std::string reason)
    : std::runtime_error(fmt::format("solver failed at t = {:.6g} s: {}", time, reason)), time_(time), reason_(std::move(reason)) {}

std::unique_ptr<DaeIntegrator> make_integrator(IntegratorKind kind, const DaeSystem& system, IntegratorOptions options) {
  if (kind == IntegratorKind::bdf) return std::make_unique<BdfIntegrator>(system, options);
  return std::make_unique<IdaIntegrator>(system, options);
}

}  // namespace solidcell::numerics
