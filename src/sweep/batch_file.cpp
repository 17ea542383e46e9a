#include "solidcell/sweep/batch_file.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "record_hdf5.hpp"
#include "solidcell/base/version_info.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr const char* batch_format = "solidcell sweep batch 1";

}  // namespace

std::string batch_file_name(std::size_t first_id) { return fmt::format("batch-{:06d}.h5", first_id); }

bool is_batch_file(const std::string& name) {
  return name.rfind("batch-", 0) == 0 && name.size() > 9 && name.substr(name.size() - 3) == ".h5" && name.find(temporary_marker) == std::string::npos;
}

std::optional<std::size_t> batch_first_id(const std::string& name) {
  if (!is_batch_file(name)) return std::nullopt;
  std::size_t id = 0, digits = 0;
  for (std::size_t k = 6; k < name.size() && name[k] >= '0' && name[k] <= '9' && digits < 15; ++k, ++digits)
    id = id * 10 + static_cast<std::size_t>(name[k] - '0');
  if (digits == 0) return std::nullopt;
  return id;
}

bool is_temporary_batch_file(const std::string& name) { return name.rfind("batch-", 0) == 0 && name.find(temporary_marker) != std::string::npos; }

fs::path write_batch_file(const fs::path& folder, const std::vector<CaseRecord>& records, bool sync) {
  if (records.empty()) throw std::logic_error("write_batch_file: no records");
  const auto& first = records.front();
  std::size_t smallest = first.id;
  for (const auto& r : records) smallest = std::min(smallest, r.id);
  // Every case is in at most one file, so the smallest id names a batch uniquely; a suffix guards the impossible.
  auto final_path = folder / batch_file_name(smallest);
  for (int k = 1; fs::exists(final_path); ++k) final_path = folder / fmt::format("batch-{:06d}-{}.h5", smallest, k);

  const std::size_t n = records.size(), np = first.parameter_names.size(), ns = first.scalar_names.size();
  std::vector<std::int64_t> ids;
  std::vector<std::string> status, failure;
  std::vector<double> parameters, scalars;
  parameters.reserve(n * np);
  scalars.reserve(n * ns);
  // Arrays by name, in the order they first appear; each case's slice found by name.
  std::vector<std::string> array_names;
  std::map<std::string, std::string> units;
  for (const auto& r : records) {
    if (r.parameter_values.size() != np || r.scalars.size() != ns)  // the names are the first record's
      throw std::logic_error(fmt::format("write_batch_file: case {} has {} parameters and {} scalars, not {} and {}", r.id, r.parameter_values.size(),
                                         r.scalars.size(), np, ns));
    ids.push_back(static_cast<std::int64_t>(r.id));
    status.emplace_back(r.done ? "done" : "failed");
    failure.push_back(r.failure);
    parameters.insert(parameters.end(), r.parameter_values.begin(), r.parameter_values.end());
    scalars.insert(scalars.end(), r.scalars.begin(), r.scalars.end());
    for (const auto& a : r.arrays)
      if (units.emplace(a.name, a.unit).second) array_names.push_back(a.name);
  }

  std::size_t stored = parameters.size() + scalars.size();
  for (const auto& r : records)
    for (const auto& a : r.arrays) stored += a.values.size() + 1;
  write_result_file(final_path, 8 * stored + 64 * (failure.size() + 1) + 64 * 1024, sync, [&](io::Hdf5File& f) {
    f.set_attribute("/", "format", batch_format);
    f.set_attribute("/", "sweep", first.sweep);
    f.set_attribute("/", "study", first.study);
    f.set_attribute("/", "spec_hash", first.spec_hash);
    f.set_attribute("/", "solidcell_version", build_info::version);
    f.create_group("/cases");
    f.write_integers("/cases/ids", ids);
    f.write_strings("/cases/status", status);
    f.write_strings("/cases/failure", failure);
    f.create_group("/parameters");
    f.write_strings("/parameters/names", first.parameter_names);
    f.write_matrix("/parameters/values", parameters, n, np);
    f.create_group("/scalars");
    f.write_strings("/scalars/names", first.scalar_names);
    f.write_matrix("/scalars/values", scalars, n, ns);
    f.create_group("/arrays");
    for (const auto& name : array_names) {
      std::vector<double> values;
      std::vector<std::int64_t> offsets{0};
      for (const auto& r : records) {
        const auto it = std::find_if(r.arrays.begin(), r.arrays.end(), [&](const NamedArray& a) { return a.name == name; });
        if (it != r.arrays.end()) values.insert(values.end(), it->values.begin(), it->values.end());
        offsets.push_back(static_cast<std::int64_t>(values.size()));
      }
      const auto group = "/arrays/" + dataset_name(name);
      f.create_group(group);
      f.set_attribute(group, "name", name);
      f.write(group + "/values", values, units[name]);
      f.write_integers(group + "/offsets", offsets);
    }
  });
  return final_path;
}

std::optional<std::vector<std::size_t>> read_batch_ids(const fs::path& path) {
  std::lock_guard lock(hdf5_lock());
  const auto opened = open_for_reading(path);
  if (!opened) return std::nullopt;
  const auto ids = read_integers(*opened, "/cases/ids");
  H5Fclose(*opened);
  if (!ids) return std::nullopt;
  std::vector<std::size_t> out;
  for (auto id : *ids) {
    if (id < 0) return std::nullopt;
    out.push_back(static_cast<std::size_t>(id));
  }
  return out;
}

std::optional<std::vector<CaseRecord>> read_batch_file(const fs::path& path, bool with_arrays) {
  std::lock_guard lock(hdf5_lock());
  const auto opened = open_for_reading(path);
  if (!opened) return std::nullopt;
  const hid_t f = *opened;
  auto attr = [&](const char* name) { return read_string_attribute(f, "/", name); };
  const auto format = attr("format"), sweep = attr("sweep"), study = attr("study"), hash = attr("spec_hash");
  const auto ids = read_integers(f, "/cases/ids");
  const auto status = read_strings(f, "/cases/status");
  const auto failure = read_strings(f, "/cases/failure");
  const auto pn = read_strings(f, "/parameters/names");
  const auto pv = read_doubles(f, "/parameters/values");
  const auto sn = read_strings(f, "/scalars/names");
  const auto sv = read_doubles(f, "/scalars/values");
  bool ok = format == std::string(batch_format) && sweep && study && hash && ids && status && failure && pn && pv && sn && sv;
  const std::size_t n = ok ? ids->size() : 0;
  ok = ok && n > 0 && status->size() == n && failure->size() == n && pv->size() == n * pn->size() && sv->size() == n * sn->size();
  std::vector<CaseRecord> out(n);
  for (std::size_t k = 0; ok && k < n; ++k) {
    auto& r = out[k];
    ok = (*ids)[k] >= 0 && ((*status)[k] == "done" || (*status)[k] == "failed");
    r.id = static_cast<std::size_t>((*ids)[k]);
    r.sweep = *sweep;
    r.study = *study;
    r.spec_hash = *hash;
    r.done = (*status)[k] == "done";
    r.failure = (*failure)[k];
    r.parameter_names = *pn;
    r.parameter_values.assign(pv->begin() + static_cast<std::ptrdiff_t>(k * pn->size()), pv->begin() + static_cast<std::ptrdiff_t>((k + 1) * pn->size()));
    r.scalar_names = *sn;
    r.scalars.assign(sv->begin() + static_cast<std::ptrdiff_t>(k * sn->size()), sv->begin() + static_cast<std::ptrdiff_t>((k + 1) * sn->size()));
  }
  if (ok && with_arrays) {
    const auto groups = member_names(f, "/arrays");
    ok = groups.has_value();
    for (const auto& g : groups.value_or(std::vector<std::string>{})) {
      const auto base = "/arrays/" + g;
      const auto values = read_doubles(f, base + "/values");
      const auto offsets = read_integers(f, base + "/offsets");
      ok = values && offsets && offsets->size() == n + 1 && offsets->front() == 0 && offsets->back() == static_cast<std::int64_t>(values->size());
      for (std::size_t k = 0; ok && k < n; ++k) ok = (*offsets)[k] <= (*offsets)[k + 1];
      if (!ok) break;
      const auto name = read_string_attribute(f, base.c_str(), "name").value_or(g);
      const auto units = read_string_attribute(f, (base + "/values").c_str(), "units").value_or("");
      for (std::size_t k = 0; k < n; ++k) {
        const auto b = values->begin() + (*offsets)[k], e = values->begin() + (*offsets)[k + 1];
        if (b != e) out[k].arrays.push_back({name, units, std::vector<double>(b, e)});
      }
    }
  }
  H5Fclose(f);
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace solidcell::sweep
