#pragma once
// Physical constants (CODATA 2018 exact values) and the unit conversions used at input boundaries.
namespace solidcell::constants {

inline constexpr double faraday_C_per_mol = 96485.33212;
inline constexpr double gas_constant_J_per_mol_K = 8.314462618;
inline constexpr double seconds_per_hour = 3600.0;
inline constexpr double lithium_molar_mass_kg_per_mol = 6.941e-3;

}  // namespace solidcell::constants

namespace solidcell::units {

inline constexpr double um = 1e-6;                      // micrometre -> m
inline constexpr double mm = 1e-3;                      // millimetre -> m
inline constexpr double g = 1e-3;                       // gram -> kg
inline constexpr double mAh_per_cm2 = 36000.0;          // mAh/cm2 -> C/m2 (1 mAh/cm2 = 10 Ah/m2)
inline constexpr double Ah_per_m2_per_mAh_per_cm2 = 10.0;
inline constexpr double mAh_per_g = 3.6 / 1e-3;         // mAh/g -> C/kg
inline constexpr double g_per_m2_per_mg_per_cm2 = 10.0;  // mg/cm2 -> g/m2
inline constexpr double litre = 1e-3;                   // L -> m3

}  // namespace solidcell::units
