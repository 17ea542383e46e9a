#include "solidcell/experiment/step.hpp"

#include <stdexcept>

namespace solidcell::experiment {

double Step::imposed_current_A(double nominal_capacity_Ah) const {
  switch (kind) {
    case StepKind::current: return amperes;
    case StepKind::c_rate: return c_rate * nominal_capacity_Ah;
    case StepKind::rest: return 0.0;
    default: break;
  }
  throw std::logic_error(std::string("a ") + to_string(kind) + " step does not impose a constant current");
}

double limit_current_A(const Termination& termination, double nominal_capacity_Ah) {
  switch (termination.quantity) {
    case Termination::Quantity::current: return termination.value;
    case Termination::Quantity::c_rate: return termination.value * nominal_capacity_Ah;
    default: break;
  }
  throw std::logic_error(std::string("a ") + to_string(termination.quantity) + " termination is not a current limit");
}

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::current: return "current";
    case StepKind::c_rate: return "c_rate";
    case StepKind::voltage: return "voltage";
    case StepKind::power: return "power";
    case StepKind::rest: return "rest";
    case StepKind::drive_cycle: return "drive_cycle";
  }
  return "unknown";
}

const char* to_string(Direction direction) {
  switch (direction) {
    case Direction::discharge: return "discharge";
    case Direction::charge: return "charge";
    case Direction::none: return "none";
  }
  return "unknown";
}

const char* to_string(Termination::Quantity quantity) {
  switch (quantity) {
    case Termination::Quantity::voltage: return "voltage";
    case Termination::Quantity::current: return "current";
    case Termination::Quantity::c_rate: return "c_rate";
    case Termination::Quantity::capacity: return "capacity";
  }
  return "unknown";
}

const char* to_string(Termination::Crossing crossing) {
  switch (crossing) {
    case Termination::Crossing::falling: return "falling";
    case Termination::Crossing::rising: return "rising";
  }
  return "unknown";
}

}  // namespace solidcell::experiment
