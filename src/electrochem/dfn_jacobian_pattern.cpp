// The DFN's Jacobian structure, read off DfnModel::residual: a control volume's equations reach its
// neighbours' electrolyte and solid potentials and concentrations, and its own particle's surface
// shells through the reaction; particle shells reach only the shells beside them. The temperature
// reaches everything (Arrhenius factors) and its energy balance reads everything; the control equation
// reads the current and the terminal voltage (the last two solid potentials).
#include "solidcell/electrochem/dfn_model.hpp"

namespace solidcell::electrochem {

numerics::SparsityPattern DfnModel::jacobian_pattern() const {
  numerics::SparsityPattern p(size_);
  const std::size_t n = cells_.size();
  const int nr = mesh_.particle;
  // The unknowns the reaction current of cell i reads (its surface concentration is extrapolated from
  // the two outermost shells).
  auto reaction_inputs = [&](std::size_t i, auto&& add_column) {
    add_column(phie(i));
    add_column(phis(i));
    if (liquid_) add_column(ce(i));
    add_column(cs(i, nr - 1));
    if (nr >= 2) add_column(cs(i, nr - 2));
    if (sei_ && cells_[i].region == Region::negative) add_column(sei(i));  // film resistance
    if (plating_ && cells_[i].region == Region::negative) add_column(plated(i));  // stripping exchange current
    if (cells_[i].electrode && lam_in(i)) add_column(lam(i));  // active surface per volume
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i == 0 ? 0 : i - 1, hi = i + 1 < n ? i + 1 : i;
    const bool electrode = cells_[i].electrode != nullptr;
    // Charge and salt balances: fluxes through both faces, and the local reaction.
    for (std::size_t row : {phie(i), liquid_ ? ce(i) : phie(i)}) {
      for (std::size_t k = lo; k <= hi; ++k) {
        p.add(row, phie(k));
        if (liquid_) p.add(row, ce(k));
      }
      if (electrode) reaction_inputs(i, [&](std::size_t col) { p.add(row, col); });
    }
    if (!electrode) continue;
    // Solid potential: neighbours in the same electrode, the reaction, and the collector's current.
    const std::size_t row = phis(i);
    for (std::size_t k = lo; k <= hi; ++k)
      if (cells_[k].electrode) p.add(row, phis(k));
    reaction_inputs(i, [&](std::size_t col) { p.add(row, col); });
    if (i + 1 == n) p.add(row, current_index_);
    // Particle shells: Fick's law between neighbouring shells; the surface shell takes the reaction.
    for (int k = 0; k < nr; ++k) {
      for (int m = std::max(0, k - 1); m <= std::min(nr - 1, k + 1); ++m) p.add(cs(i, k), cs(i, m));
      if (k == nr - 1) reaction_inputs(i, [&](std::size_t col) { p.add(cs(i, k), col); });
    }
    // SEI thickness: grows at the side reaction's rate, which reads what the reaction reads.
    if (sei_ && cells_[i].region == Region::negative) reaction_inputs(i, [&](std::size_t col) { p.add(sei(i), col); });
    // Plated and dead lithium: deposited at the plating rate (which reads what the reaction reads); the plated lithium
    // dies at a rate set by itself and the SEI thickness.
    if (plating_ && cells_[i].region == Region::negative)
      for (std::size_t row : {plated(i), dead(i)}) {
        reaction_inputs(i, [&](std::size_t col) { p.add(row, col); });
        p.add(row, plated(i));
        p.add(row, dead(i));
        if (sei_) p.add(row, sei(i));
      }
    // Loss of active material: the stress reads every shell (mean and surface concentrations); the reaction-driven law
    // the SEI current; the lithium lost reads the same and the fraction's rate.
    if (lam_in(i))
      for (std::size_t row : {lam(i), lam_lithium(i)}) {
        reaction_inputs(i, [&](std::size_t col) { p.add(row, col); });
        for (int k = 0; k < nr; ++k) p.add(row, cs(i, k));
        p.add(row, lam(i));
        p.add(row, lam_lithium(i));
        if (sei_ && cells_[i].region == Region::negative) p.add(row, sei(i));
        if (plating_ && cells_[i].region == Region::negative) p.add(row, plated(i));
      }
  }
  p.add(capacity_index_, capacity_index_);
  p.add(capacity_index_, current_index_);
  // Control: I = I_set, V = V_set or I = P / V, with V from the last two solid potentials (or, for a
  // one-cell positive, the last one and the current).
  const std::size_t last = n - 1;
  p.add(current_index_, current_index_);
  p.add(current_index_, phis(last));
  if (last > 0 && cells_[last - 1].electrode) p.add(current_index_, phis(last - 1));
  if (thermal_) {
    for (std::size_t k = 0; k < size_; ++k) {
      p.add(k, temperature_index_);
      p.add(temperature_index_, k);
    }
  }
  p.finish();
  return p;
}

}  // namespace solidcell::electrochem
