#include "solidcell/sweep/case_file.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "record_hdf5.hpp"
#include "solidcell/base/version_info.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;
using namespace detail;

std::string case_file_name(std::size_t id) { return fmt::format("case-{:06d}.h5", id); }

std::optional<std::size_t> case_id_of(const std::string& name) {
  if (name.size() < 9 || name.rfind("case-", 0) != 0 || name.substr(name.size() - 3) != ".h5") return std::nullopt;
  const auto digits = name.substr(5, name.size() - 8);
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  std::size_t id = 0;
  for (char ch : digits) {
    if (ch < '0' || ch > '9') return std::nullopt;
    id = id * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (case_file_name(id) != name) return std::nullopt;
  return id;
}

bool is_temporary_case_file(const std::string& name) { return name.rfind("case-", 0) == 0 && name.find(detail::temporary_marker) != std::string::npos; }

void write_case_file(const fs::path& folder, const CaseRecord& r, bool sync) {
  const auto final_path = folder / case_file_name(r.id);
  write_result_file(final_path, 64 * 1024, sync, [&](io::Hdf5File& f) {
    f.set_attribute("/", "sweep", r.sweep);
    f.set_attribute("/", "study", r.study);
    f.set_attribute("/", "spec_hash", r.spec_hash);
    f.set_attribute("/", "case", std::to_string(r.id));
    f.set_attribute("/", "status", r.done ? "done" : "failed");
    f.set_attribute("/", "failure", r.failure);
    f.set_attribute("/", "solidcell_version", build_info::version);
    f.create_group("/parameters");
    f.write_strings("/parameters/names", r.parameter_names);
    f.write("/parameters/values", r.parameter_values);
    f.create_group("/scalars");
    f.write_strings("/scalars/names", r.scalar_names);
    f.write("/scalars/values", r.scalars);
    f.create_group("/arrays");
    for (const auto& a : r.arrays) {
      const auto path = "/arrays/" + dataset_name(a.name);
      f.write(path, a.values, a.unit);
      f.set_attribute(path, "name", a.name);  // the dataset's name cannot hold "/"
    }
  });
}

std::optional<CaseRecord> read_case_file(const fs::path& path, bool with_arrays) {
  std::lock_guard lock(hdf5_lock());
  const auto opened = open_for_reading(path);
  if (!opened) return std::nullopt;
  const hid_t f = *opened;
  CaseRecord r;
  bool ok = true;
  auto attr = [&](const char* name) {
    auto v = read_string_attribute(f, "/", name);
    ok = ok && v.has_value();
    return v.value_or("");
  };
  r.sweep = attr("sweep");
  r.study = attr("study");
  r.spec_hash = attr("spec_hash");
  const auto id = attr("case");
  const auto status = attr("status");
  r.failure = attr("failure");
  ok = ok && (status == "done" || status == "failed");
  r.done = status == "done";
  try {
    r.id = ok ? static_cast<std::size_t>(std::stoull(id)) : 0;
  } catch (const std::exception&) {
    ok = false;
  }
  auto pn = read_strings(f, "/parameters/names");
  auto pv = read_doubles(f, "/parameters/values");
  auto sn = read_strings(f, "/scalars/names");
  auto sv = read_doubles(f, "/scalars/values");
  ok = ok && pn && pv && sn && sv && pn->size() == pv->size() && sn->size() == sv->size();
  if (ok && with_arrays) {
    const auto names = member_names(f, "/arrays");
    ok = names.has_value();
    for (const auto& n : names.value_or(std::vector<std::string>{})) {
      const auto member = "/arrays/" + n;
      auto values = read_doubles(f, member);
      if (!values) {
        ok = false;
        break;
      }
      r.arrays.push_back({read_string_attribute(f, member.c_str(), "name").value_or(n), read_string_attribute(f, member.c_str(), "units").value_or(""),
                          std::move(*values)});
    }
  }
  H5Fclose(f);
  if (!ok) return std::nullopt;
  r.parameter_names = std::move(*pn);
  r.parameter_values = std::move(*pv);
  r.scalar_names = std::move(*sn);
  r.scalars = std::move(*sv);
  return r;
}

}  // namespace solidcell::sweep
