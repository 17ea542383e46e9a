#pragma once
// The scalar parameters a built model can change without being rebuilt (BatteryModel::set_input): a model is
// discretised once and re-solved with new inputs. Each input has its name (PyBaMM's parameter name where PyBaMM
// has one), its unit, its physical range, where it lives in CellParameters and which derived quantities follow it.
// docs/models.md lists them.
#include <functional>
#include <string>
#include <vector>

#include "solidcell/electrochem/parameters.hpp"

namespace solidcell::electrochem {

// Quantities computed from the parameters that an input changes; apply_input() recomputes the first three in
// CellParameters, and every model recomputes what it cached (refresh()).
namespace derived {
constexpr unsigned none = 0;
constexpr unsigned surface_area = 1u << 0;       // a = 3 eps_AM / R of the electrode
constexpr unsigned electrolyte_fraction = 1u << 1;  // liquid: the ion-carrying fraction is the porosity
constexpr unsigned solid_fractions = 1u << 2;    // solid-state: the solids fill 1 - porosity in fixed proportions
constexpr unsigned mesh_geometry = 1u << 3;      // widths and centres of the x cells (their number is fixed)
constexpr unsigned tortuosity = 1u << 4;         // transport factor (ion-carrying fraction)^Bruggeman of the x cells
}  // namespace derived

// The models whose equations read an input (the SPM has no electrolyte transport and no ohmic terms).
namespace model_kind {
constexpr unsigned spm = 1u << 0;
constexpr unsigned spme = 1u << 1;
constexpr unsigned dfn = 1u << 2;  // and the solid-state DFN
constexpr unsigned all = spm | spme | dfn;
}  // namespace model_kind

// An interval with its ends open or closed, worded as in the cell files' errors ("allowed range (0, 1]").
struct InputRange {
  double low = 0.0;
  double high = 0.0;
  bool low_open = true;
  bool high_open = false;

  bool contains(double v) const;  // false for NaN and infinities
  std::string describe() const;
};

// Where an input lives: derived quantities are recomputed for its region only.
enum class InputRegion { cell, negative, separator, positive };

struct ModelInput {
  std::string name;   // e.g. "Negative particle radius [m]"
  std::string unit;   // SI, as in the name ("" for dimensionless)
  InputRange range;
  InputRegion region = InputRegion::cell;
  unsigned invalidates = derived::none;  // derived:: flags
  unsigned used_by = model_kind::all;    // model_kind:: flags
  std::string needs;  // what the cell must have for the input to apply, e.g. "a porous negative electrode"
  std::function<bool(const CellParameters&)> applies;
  // The value in CellParameters; empty for the ambient temperature, which the model holds (set_temperature).
  std::function<double(const CellParameters&)> get;
  std::function<void(CellParameters&, double)> set;  // the value alone; apply_input() adds the derived quantities
};

// Every input, in the order docs/models.md lists them.
const std::vector<ModelInput>& model_inputs();
// Throws std::invalid_argument naming the unknown input and listing the valid names.
const ModelInput& find_model_input(const std::string& name);
// The names of the inputs that apply to a cell's parameters and that a model of this kind reads.
std::vector<std::string> model_input_names(const CellParameters& p, unsigned kind = model_kind::all);

// Checks that the input applies to the cell and the value lies in its range (InputError naming the input, the
// value and what is allowed), then sets it and recomputes what follows from it. The parameters are unchanged
// when it throws. Throws std::invalid_argument for the ambient temperature, which is not in CellParameters.
void apply_input(CellParameters& p, const std::string& name, double value);
// The input's present value; throws as find_model_input(), or InputError when the input does not apply.
double input_value(const CellParameters& p, const std::string& name);

// The name BatteryModel::set_input() takes for the ambient temperature (held by the model, not CellParameters).
inline const std::string ambient_temperature_input = "Ambient temperature [K]";

}  // namespace solidcell::electrochem
