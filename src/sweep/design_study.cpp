// The design study: a cell's design figures (cell/design.hpp) with cell-file values swept by their dotted
// paths. [study] cell = "NAME or FILE".
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/sweep/cell_template.hpp"
#include "solidcell/sweep/study.hpp"
#include "study_parameters.hpp"

namespace solidcell::sweep {

namespace {

const std::vector<std::string>& design_scalars() {
  static const std::vector<std::string> names{
      "Capacity [A.h]",          "Energy [W.h]",           "Nominal voltage [V]",        "Mass [kg]",
      "Volume [m3]",             "Specific energy [W.h.kg-1]", "Energy density [W.h.L-1]", "N/P ratio",
      "Lithium inventory [A.h]", "Areal capacity [mA.h.cm-2]", "Positive thickness [m]",  "Separator thickness [m]",
      "Negative thickness [m]",  "Stack thickness charged [m]",
  };
  return names;
}

std::vector<double> design_values(const cell::DesignFigures& f) {
  return {f.capacity_Ah,  f.energy_Wh,   f.nominal_voltage_V, f.mass_kg, f.volume_m3, f.specific_energy_Wh_per_kg,
          f.energy_density_Wh_per_L, f.np_ratio, f.lithium_inventory_Ah, f.areal_capacity_mAh_per_cm2, f.positive_thickness_m,
          f.separator_thickness_m, f.negative_thickness_m, f.stack_thickness_charged_m};
}

class DesignWorker : public StudyWorker {
 public:
  DesignWorker(std::shared_ptr<const CellTemplate> cell, std::vector<std::string> paths, bool time_series)
      : cell_(std::move(cell)), paths_(std::move(paths)), time_series_(time_series) {}

  CaseOutcome run(std::span<const double> values) override {
    const auto c = cell_->with(paths_, values);
    const auto f = cell::compute_design(c, cell_->file());
    CaseOutcome out;
    out.scalars = design_values(f);
    if (time_series_) {
      NamedArray q{"Discharge capacity [A.h]", "A.h", {}}, v{"Open-circuit voltage [V]", "V", {}};
      for (const auto& p : f.ocv_curve) {
        q.values.push_back(p.capacity_Ah);
        v.values.push_back(p.voltage_V);
      }
      NamedArray m{"Component mass [kg]", "kg", {}}, vol{"Component volume [m3]", "m3", {}};
      for (const auto& b : f.breakdown) {
        m.values.push_back(b.mass_kg);
        vol.values.push_back(b.volume_m3);
      }
      out.arrays = {std::move(q), std::move(v), std::move(m), std::move(vol)};
    }
    return out;
  }

 private:
  std::shared_ptr<const CellTemplate> cell_;
  std::vector<std::string> paths_;
  bool time_series_;
};

class DesignStudy : public Study {
 public:
  explicit DesignStudy(const SweepSpec& spec) {
    auto t = spec.study_table();
    cell_ = std::make_shared<const CellTemplate>(resolve_cell_path(t.string("cell"), spec.file));
    t.accept("source");
    t.reject_unknown_keys();
    for (const auto& p : spec.parameters) {
      if (!cell_->has_number(p.name))
        throw InputError(InputLocation{spec.file, p.line, fmt::format("parameter[{}].name", &p - spec.parameters.data())}, "\"" + p.name + "\"",
                         cell_path_allowed(*cell_, "the design study varies numeric keys of its cell file", p.name));
      paths_.push_back(p.name);
    }
  }
  std::vector<std::string> scalar_names() const override { return design_scalars(); }
  std::unique_ptr<StudyWorker> make_worker(bool time_series) const override {
    return std::make_unique<DesignWorker>(cell_, paths_, time_series);
  }

 private:
  std::shared_ptr<const CellTemplate> cell_;
  std::vector<std::string> paths_;
};

}  // namespace

std::unique_ptr<Study> make_design_study(const SweepSpec& spec) { return std::make_unique<DesignStudy>(spec); }

}  // namespace solidcell::sweep
