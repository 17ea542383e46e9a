#include "solidcell/electrochem/model_factory.hpp"

#include "solidcell/base/input_error.hpp"
#include "solidcell/electrochem/spm_model.hpp"
#include "solidcell/electrochem/spme_model.hpp"

namespace solidcell::electrochem {

std::vector<std::string> model_names() { return {"spm", "spme", "dfn"}; }

std::unique_ptr<BatteryModel> make_model(const std::string& name, const CellParameters& parameters, const Mesh& mesh) {
  if (parameters.sei_growth != SeiGrowth::none && name != "dfn")
    throw InputError(InputLocation{"", 0, "SEI"}, std::string("\"") + to_string(parameters.sei_growth) + "\"",
                     "SEI growth is solved by the DFN only (docs/ageing.md)");
  if (name == "spm") return std::make_unique<SpmModel>(parameters, mesh);
  if (name == "spme") return std::make_unique<SpmeModel>(parameters, mesh);  // throws for solid-state cells
  if (name == "dfn") return std::make_unique<DfnModel>(parameters, mesh);
  throw InputError(InputLocation{"", 0, "model"}, "\"" + name + "\"", "must be one of \"spm\", \"spme\", \"dfn\"");
}

}  // namespace solidcell::electrochem
