#pragma once
// What one cell is made of, by material: the design's mass breakdown split over each layer's solids by
// their volume fractions and densities. Parts without a material in the cell file (tabs, tape, cap
// assemblies) are "tabs_and_parts"; a lumped cell's housing is "housing_and_rest".
#include <map>
#include <string>

#include "solidcell/cell/cell.hpp"
#include "solidcell/cell/design.hpp"

namespace solidcell::production {

std::map<std::string, double> bill_of_materials_kg(const cell::Cell& cell, const cell::DesignFigures& design);

}  // namespace solidcell::production
