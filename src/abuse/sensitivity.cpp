#include "solidcell/abuse/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace solidcell::abuse {
namespace {

SensitivityEnd end_of(const AbuseResult& r) {
  return {r.verdict.peak_temperature_K, r.verdict.thermal_runaway, r.verdict.pass, r.verdict.eucar_level, r.failure.empty()};
}

SensitivityParameter scaled(std::string name, std::string low, std::string high, double low_factor, double high_factor,
                            std::function<void(AbuseCase&, double)> scale) {
  return {std::move(name), std::move(low), std::move(high), [=](AbuseCase& c) { scale(c, low_factor); },
          [=](AbuseCase& c) { scale(c, high_factor); }};
}

}  // namespace

double SensitivityRow::swing_K() const { return std::abs(high.peak_temperature_K - low.peak_temperature_K); }

std::vector<SensitivityParameter> default_sensitivity_parameters(const AbuseCase& c, const std::string& test) {
  std::vector<SensitivityParameter> p;
  if (test == "nail")
    p.push_back(scaled("nail contact resistance", "÷5", "×20", 0.2, 20.0, [](AbuseCase& x, double f) { x.nail_contact_factor *= f; }));
  for (std::size_t k = 0; k < c.network.reactions.size(); ++k) {
    const auto& r = c.network.reactions[k];
    if (r.law != RateLaw::melting)
      p.push_back(scaled("rate of " + r.name, "A/3", "A×3", 1.0 / 3.0, 3.0,
                         [k](AbuseCase& x, double f) { x.network.reactions[k].frequency_factor_per_s *= f; }));
    p.push_back(scaled("heat of " + r.name, "−25 %", "+25 %", 0.75, 1.25, [k](AbuseCase& x, double f) { x.network.reactions[k].heat_J_per_kg *= f; }));
    if (r.onset_K)
      p.push_back({"ignition threshold of " + r.name, "−20 K", "+20 K", [k](AbuseCase& x) { *x.network.reactions[k].onset_K -= 20.0; },
                   [k](AbuseCase& x) { *x.network.reactions[k].onset_K += 20.0; }});
  }
  p.push_back(scaled("cell heat capacity", "−10 %", "+10 %", 0.9, 1.1, [](AbuseCase& x, double f) { x.inventory.heat_capacity_J_per_K *= f; }));
  p.push_back(scaled("heat transfer to the surroundings", "÷2", "×2", 0.5, 2.0, [](AbuseCase& x, double f) { x.convection_factor *= f; }));
  p.push_back(scaled("internal resistance", "−30 %", "+30 %", 0.7, 1.3, [](AbuseCase& x, double f) { x.inventory.internal_resistance_ohm *= f; }));
  if (std::isfinite(c.inventory.limiting_current_A))
    p.push_back(scaled("transport-limited current", "÷2", "×2", 0.5, 2.0, [](AbuseCase& x, double f) { x.inventory.limiting_current_A *= f; }));
  if (c.network.internal_short)
    p.push_back({"separator failure temperature", "−10 K", "+10 K", [](AbuseCase& x) { x.network.internal_short->onset_K -= 10.0; },
                 [](AbuseCase& x) { x.network.internal_short->onset_K += 10.0; }});
  p.push_back({"state of charge", "80 %", "test's", [](AbuseCase& x) { x.options.initial_soc = 0.8; }, [](AbuseCase&) {}});
  return p;
}

SensitivityStudy sensitivity_study(const std::string& test, const AbuseCase& c, const std::string& standard,
                                   const std::vector<SensitivityParameter>& parameters) {
  SensitivityStudy s;
  const auto base = run_abuse_test(test, c, standard);
  s.test = test;
  s.standard = base.standard;
  s.cell = base.cell;
  s.baseline = end_of(base);
  for (const auto& p : parameters) {
    SensitivityRow row{p.name, p.low_label, p.high_label, {}, {}};
    AbuseCase low = c, high = c;
    p.set_low(low);
    p.set_high(high);
    row.low = end_of(run_abuse_test(test, low, standard));
    row.high = end_of(run_abuse_test(test, high, standard));
    s.rows.push_back(std::move(row));
  }
  std::stable_sort(s.rows.begin(), s.rows.end(), [](const SensitivityRow& a, const SensitivityRow& b) {
    if (a.decides_verdict() != b.decides_verdict()) return a.decides_verdict();
    return a.swing_K() > b.swing_K();
  });
  return s;
}

}  // namespace solidcell::abuse
