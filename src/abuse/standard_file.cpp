#include "solidcell/abuse/standard_file.hpp"

#include "solidcell/base/data_paths.hpp"

namespace solidcell::abuse {

StandardFile::StandardFile(const std::string& name_or_path)
    : path(builtin_or_given_file(name_or_path, "standards", "standard").string()), doc(io::load_toml_file(path)) {}

StandardHeader read_standard_header(io::TomlTable& root) {
  using io::Range;
  StandardHeader h;
  {
    auto s = root.table("standard");
    h.name = s.string("name");
    h.title = s.optional_string("title").value_or("");
    // What the standard judges: "pass_fail" (no fire, no explosion; the default) or "eucar_level" alone.
    if (s.has("outcome")) h.criterion.pass_fail = s.choice("outcome", {"pass_fail", "eucar_level"}) == "pass_fail";
    h.criterion.standard_name = h.name;
    for (const auto& key : s.keys()) s.accept(key);  // dates and sources, for the reader of the file
  }
  auto c = root.table("runaway_criterion");
  h.criterion.voltage_drop_fraction = c.number("voltage_drop_fraction", Range{0.0, 1.0, true, false});
  h.criterion.temperature_rate_K_per_s = c.number("temperature_rise_rate_C_per_s", Range::positive(1000.0));
  h.criterion.duration_s = c.number("temperature_rise_duration_s", Range::non_negative(3600.0));
  h.criterion.source = c.string("source");
  c.accept("uncertainty");
  c.reject_unknown_keys();
  return h;
}

}  // namespace solidcell::abuse
