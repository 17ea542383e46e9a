// The battery management system's charge limit for lithium-metal cells (YearOptions::bms_ccd_margin): in a
// -5 C winter the sulfide lithium cell's regenerated current passes the critical current density of its
// lithium|Li6PS5Cl interface and shorts on the first day without it; with it, braking power and the night's
// charge stay below the limit and the days run, the limit being the fraction of the CCD the option says.
#include <gtest/gtest.h>

#include <cmath>

#include "solidcell/ageing/solid_state_fade.hpp"
#include "solidcell/cell/cell_reader.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/vehicle/nedc.hpp"
#include "solidcell/vehicle/year_of_use.hpp"

namespace solidcell::vehicle {
namespace {

struct ColdYear {
  cell::Cell cell = cell::load_cell("assb-sulfide-li");
  cell::DesignFigures figures = cell::compute_design(cell);
  Pack pack = load_pack("model3-class-assb-sulfide-li");
  Vehicle car = load_vehicle("midsize-bev");

  YearResult run(double margin, int days) const {
    YearOptions o;
    o.days = days;
    o.accelerate = false;
    o.mesh = 6;
    o.climate = read_climate_csv("day,temperature_C\n1,-5\n", "winter.csv");
    o.bms_ccd_margin = margin;
    return simulate_year(cell, figures, "assb-sulfide-li", pack, car, nedc_speed_trace(), o);
  }
};

TEST(BmsChargeLimit, WithoutItTheWinterRegenShortsTheLithiumCellWithItTheDaysRun) {
  const ColdYear y;
  const auto unlimited = y.run(0.0, 3);
  EXPECT_NE(unlimited.stopped.find("short"), std::string::npos) << unlimited.stopped;
  EXPECT_LT(unlimited.days.size(), 3u);
  EXPECT_TRUE(std::isinf(unlimited.days.front().charge_limit_A));

  const auto limited = y.run(0.8, 3);
  ASSERT_EQ(limited.days.size(), 3u) << limited.stopped;
  EXPECT_TRUE(limited.stopped.empty()) << limited.stopped;
  EXPECT_GT(limited.days.back().capacity_retention, 0.99);

  // The limit is 0.8 of the CCD at -5 C over the electrode area (full lithium contact on day 1), and the night's
  // charge runs at it when it is below the slow charge's C/3.
  const auto p = electrochem::model_parameters(y.cell);
  const auto fade_parameters = ageing::solid_state_fade_parameters(y.cell, p.electrode_area_m2);
  ASSERT_TRUE(fade_parameters.has_value());
  const auto& r = fade_parameters->rates;
  const double ccd = r.ccd_A_per_m2 * std::pow(r.stack_pressure_Pa / r.ccd_reference_pressure_Pa, r.ccd_pressure_exponent) *
                     std::exp(-r.ccd_activation_energy_J_per_mol / 8.314462618 * (1.0 / 268.15 - 1.0 / 298.15));
  EXPECT_NEAR(limited.days.front().charge_limit_A, 0.8 * ccd * p.electrode_area_m2, 1e-6 * ccd * p.electrode_area_m2);
  const double nominal = p.nominal_capacity_Ah;
  EXPECT_NEAR(limited.days.front().charge_c_rate, std::min(1.0 / 3.0, limited.days.front().charge_limit_A / nominal), 1e-12);
  EXPECT_LT(limited.days.front().charge_c_rate, 1.0 / 3.0);
}

}  // namespace
}  // namespace solidcell::vehicle
