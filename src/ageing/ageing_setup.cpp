#include "solidcell/ageing/ageing_setup.hpp"

#include <cmath>

#include <fmt/format.h>

#include "solidcell/ageing/solid_state_fade.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/parameters.hpp"

namespace solidcell::ageing {

std::unique_ptr<AgeingCell> make_ageing_cell(const cell::Cell& cell, const std::string& origin, const AgeingSetup& s) {
  const std::string& pre = s.field_prefix;
  if (s.mesh < 2 || s.mesh > 200) throw InputError(InputLocation{"", 0, pre + "mesh"}, fmt::format("{}", s.mesh), "allowed range [2, 200]");
  if (!(s.initial_soc >= 0.0 && s.initial_soc <= 1.0))
    throw InputError(InputLocation{"", 0, pre + "soc"}, fmt::format("{}", s.initial_soc), "allowed range [0, 1]");
  if (!(s.ambient_temperature_K >= 203.15 && s.ambient_temperature_K <= 393.15))
    throw InputError(InputLocation{"", 0, pre + "temperature-C"}, fmt::format("{}", s.ambient_temperature_K - 273.15), "allowed range [-70, 120] C");
  if (!(s.relative_tolerance >= 1e-12 && s.relative_tolerance <= 1e-2))
    throw InputError(InputLocation{"", 0, pre + "rtol"}, fmt::format("{}", s.relative_tolerance), "allowed range [1e-12, 1e-2]");
  electrochem::SeiGrowth law;
  try {
    law = electrochem::parse_sei_growth(s.sei);
  } catch (const InputError& e) {
    throw InputError(InputLocation{"", 0, pre + "sei"}, e.value(), e.allowed());
  }
  electrochem::LithiumPlating plating;
  try {
    plating = electrochem::parse_lithium_plating(s.plating);
  } catch (const InputError& e) {
    throw InputError(InputLocation{"", 0, pre + "plating"}, e.value(), e.allowed());
  }
  electrochem::ActiveMaterialLoss lam;
  try {
    lam = electrochem::parse_active_material_loss(s.lam);
  } catch (const InputError& e) {
    throw InputError(InputLocation{"", 0, pre + "lam"}, e.value(), e.allowed());
  }
  if (law == electrochem::SeiGrowth::none && plating == electrochem::LithiumPlating::none && lam == electrochem::ActiveMaterialLoss::none)
    throw InputError(InputLocation{"", 0, pre + "sei"}, "\"none\"", "an ageing study needs a growth law (or lithium plating, or loss of active material)");

  auto parameters = electrochem::model_parameters(cell, origin);
  if (!s.thermal) parameters.thermal.reset();
  auto fade = solid_state_fade_parameters(cell, parameters.electrode_area_m2);
  if (s.stack_pressure_Pa) {
    if (!fade)
      throw InputError(InputLocation{"", 0, pre + "stack-pressure-MPa"}, fmt::format("{}", *s.stack_pressure_Pa / 1e6),
                       "applies to a solid-state cell with a [degradation] table");
    if (!(*s.stack_pressure_Pa >= 1e4 && *s.stack_pressure_Pa <= 5e8))
      throw InputError(InputLocation{"", 0, pre + "stack-pressure-MPa"}, fmt::format("{}", *s.stack_pressure_Pa / 1e6), "allowed range [0.01, 500] MPa");
    fade->rates.stack_pressure_Pa = *s.stack_pressure_Pa;
  }
  if (!parameters.sei && !fade && parameters.solid_state)
    throw InputError(InputLocation{origin, 0, "degradation"}, "",
                     "the solid-state cell file has no [degradation] table (solid-state fade parameters; docs/ageing.md)");
  if (plating != electrochem::LithiumPlating::none) {
    if (parameters.solid_state || fade)
      throw InputError(InputLocation{"", 0, pre + "plating"}, fmt::format("\"{}\"", s.plating), "lithium plating applies to a liquid cell with a porous negative");
    if (!parameters.plating)
      throw InputError(InputLocation{origin, 0, "negative.plating"}, "",
                       "the cell file has no [negative.plating] table (lithium plating parameters; docs/ageing.md)");
  }
  if (lam != electrochem::ActiveMaterialLoss::none) {
    if (parameters.solid_state || fade)
      throw InputError(InputLocation{"", 0, pre + "lam"}, fmt::format("\"{}\"", s.lam), "loss of active material applies to a liquid cell with porous electrodes");
    if (!(parameters.negative && parameters.negative->active_material_loss) && !parameters.positive.active_material_loss)
      throw InputError(InputLocation{origin, 0, "positive.active_material_loss"}, "",
                       "the cell file has no [negative.active_material_loss] or [positive.active_material_loss] table (docs/ageing.md)");
    if (lam == electrochem::ActiveMaterialLoss::reaction_driven && law == electrochem::SeiGrowth::none)
      throw InputError(InputLocation{"", 0, pre + "lam"}, fmt::format("\"{}\"", s.lam), "reaction-driven loss of active material needs SEI growth");
  }
  if (!parameters.sei && !fade && law != electrochem::SeiGrowth::none)
    throw InputError(InputLocation{origin, 0, "negative.sei"}, "", "the cell file has no [negative.sei] table (SEI growth parameters; docs/ageing.md)");
  AgeingCellOptions co;
  co.sei = law;
  co.plating = plating;
  co.active_material_loss = lam;
  co.solid_state_fade = fade;
  co.mesh = electrochem::Mesh{s.mesh, s.mesh, s.mesh, s.mesh};
  co.simulation.initial_soc = s.initial_soc;
  co.simulation.ambient_temperature_K = s.ambient_temperature_K;
  co.simulation.relative_tolerance = s.relative_tolerance;
  co.simulation.integrator = s.integrator;
  return std::make_unique<AgeingCell>(parameters, co);
}

std::string degradation_description(const AgeingCell& cell) {
  if (cell.options().solid_state_fade) return "solid-state fade";
  const auto& o = cell.options();
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (o.sei != electrochem::SeiGrowth::none) add(fmt::format("SEI ({})", electrochem::to_string(o.sei)));
  if (o.plating != electrochem::LithiumPlating::none) add(fmt::format("lithium plating ({})", electrochem::to_string(o.plating)));
  if (o.active_material_loss != electrochem::ActiveMaterialLoss::none)
    add(fmt::format("loss of active material ({})", electrochem::to_string(o.active_material_loss)));
  return out;
}

}  // namespace solidcell::ageing
