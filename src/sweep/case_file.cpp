#include "solidcell/sweep/case_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <hdf5.h>

#include "solidcell/base/version_info.hpp"

namespace solidcell::sweep {

namespace fs = std::filesystem;

namespace {

// HDF5 builds without thread safety exist; one lock keeps every build correct (the files are small).
std::mutex& hdf5_lock() {
  static std::mutex m;
  return m;
}

constexpr const char* temporary_marker = ".partial-";

void sync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::optional<std::string> read_string_attribute(hid_t file, const char* name) {
  if (H5Aexists(file, name) <= 0) return std::nullopt;
  hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  if (attr < 0) return std::nullopt;
  hid_t type = H5Aget_type(attr);
  std::optional<std::string> out;
  if (type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) == 0) {
    std::string buf(H5Tget_size(type), '\0');
    if (H5Aread(attr, type, buf.data()) >= 0) out = std::string(buf.c_str());
  }
  if (type >= 0) H5Tclose(type);
  H5Aclose(attr);
  return out;
}

std::optional<std::vector<double>> read_doubles(hid_t file, const char* path) {
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
  if (set < 0) return std::nullopt;
  hid_t space = H5Dget_space(set);
  std::optional<std::vector<double>> out;
  const hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  if (n >= 0) {
    std::vector<double> v(static_cast<std::size_t>(n));
    if (n == 0 || H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0) out = std::move(v);
  }
  if (space >= 0) H5Sclose(space);
  H5Dclose(set);
  return out;
}

std::optional<std::vector<std::string>> read_strings(hid_t file, const char* path) {
  if (H5Lexists(file, path, H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
  if (set < 0) return std::nullopt;
  hid_t space = H5Dget_space(set);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  std::optional<std::vector<std::string>> out;
  const hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  if (n == 0) out = std::vector<std::string>{};
  if (n > 0) {
    std::vector<char*> buf(static_cast<std::size_t>(n), nullptr);
    if (H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) >= 0) {
      std::vector<std::string> v;
      for (auto* s : buf) v.emplace_back(s ? s : "");
      out = std::move(v);
      H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf.data());
    }
  }
  H5Tclose(type);
  if (space >= 0) H5Sclose(space);
  H5Dclose(set);
  return out;
}

// Dataset names cannot hold "/" (it separates groups); "." alone is also reserved.
std::string dataset_name(const std::string& name) {
  std::string s = name;
  for (auto& ch : s)
    if (ch == '/') ch = '|';
  return s == "." || s.empty() ? "_" + s : s;
}

}  // namespace

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

bool is_temporary_case_file(const std::string& name) { return name.rfind("case-", 0) == 0 && name.find(temporary_marker) != std::string::npos; }

namespace {

// A case file is small: it is built in memory (HDF5's core driver) and written out in one go when closed,
// one write instead of many small ones (kinder to cluster file systems). Errors become std::runtime_error.
class CaseWriter {
 public:
  explicit CaseWriter(const fs::path& path) : path_(path.string()) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 64 * 1024, 1);
    file_ = H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (file_ < 0) throw std::runtime_error("cannot create the case file " + path_);
  }
  ~CaseWriter() {
    if (file_ >= 0) H5Fclose(file_);
  }
  void close() {
    const herr_t st = H5Fclose(file_);
    file_ = -1;
    check(st, "writing the file");
  }
  void attribute(hid_t object, const char* name, const std::string& value) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.size() + 1);
    H5Tset_strpad(type, H5T_STR_NULLTERM);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    const herr_t st = attr < 0 ? -1 : H5Awrite(attr, type, value.c_str());
    if (attr >= 0) H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    check(st, std::string("attribute ") + name);
  }
  void attribute(const char* name, const std::string& value) { attribute(file_, name, value); }
  void group(const char* path) {
    hid_t g = H5Gcreate2(file_, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    check(g < 0 ? -1 : H5Gclose(g), std::string("group ") + path);
  }
  void doubles(const std::string& path, const std::vector<double>& v, const std::string& units = "") {
    hsize_t dims[1] = {v.size()};
    hid_t space = H5Screate_simple(1, dims, nullptr);
    hid_t set = H5Dcreate2(file_, path.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = set < 0 ? -1 : (v.empty() ? 0 : H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()));
    H5Sclose(space);
    if (set >= 0) {
      if (st >= 0 && !units.empty()) attribute(set, "units", units);
      H5Dclose(set);
    }
    check(st, path);
  }
  void strings(const std::string& path, const std::vector<std::string>& v) {
    std::vector<const char*> ptrs;
    for (const auto& x : v) ptrs.push_back(x.c_str());
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    hsize_t dims[1] = {v.size()};
    hid_t space = H5Screate_simple(1, dims, nullptr);
    hid_t set = H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const herr_t st = set < 0 ? -1 : (v.empty() ? 0 : H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()));
    if (set >= 0) H5Dclose(set);
    H5Sclose(space);
    H5Tclose(type);
    check(st, path);
  }

 private:
  void check(herr_t st, const std::string& what) const {
    if (st < 0) throw std::runtime_error("HDF5 error in " + path_ + ": " + what);
  }
  std::string path_;
  hid_t file_ = -1;
};

}  // namespace

void write_case_file(const fs::path& folder, const CaseRecord& r, bool sync) {
  static std::atomic<unsigned long> counter{0};
  const auto final_path = folder / case_file_name(r.id);
  const auto tmp = folder / fmt::format("{}{}{}-{}", case_file_name(r.id), temporary_marker, ::getpid(), counter++);
  try {
    std::lock_guard lock(hdf5_lock());
    CaseWriter f(tmp);
    f.attribute("sweep", r.sweep);
    f.attribute("study", r.study);
    f.attribute("spec_hash", r.spec_hash);
    f.attribute("case", std::to_string(r.id));
    f.attribute("status", r.done ? "done" : "failed");
    f.attribute("failure", r.failure);
    f.attribute("solidcell_version", build_info::version);
    f.group("/parameters");
    f.strings("/parameters/names", r.parameter_names);
    f.doubles("/parameters/values", r.parameter_values);
    f.group("/scalars");
    f.strings("/scalars/names", r.scalar_names);
    f.doubles("/scalars/values", r.scalars);
    f.group("/arrays");
    for (const auto& a : r.arrays) f.doubles("/arrays/" + dataset_name(a.name), a.values, a.unit);
    f.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (sync) sync_path(tmp, O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot move the case file into place: " + final_path.string());
  }
}

std::optional<CaseRecord> read_case_file(const fs::path& path) {
  std::lock_guard lock(hdf5_lock());
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // a broken file is an answer here, not a message
  if (H5Fis_hdf5(path.c_str()) <= 0) return std::nullopt;
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return std::nullopt;
  CaseRecord r;
  bool ok = true;
  auto attr = [&](const char* name) {
    auto v = read_string_attribute(f, name);
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
  H5Fclose(f);
  if (!ok) return std::nullopt;
  r.parameter_names = std::move(*pn);
  r.parameter_values = std::move(*pv);
  r.scalar_names = std::move(*sn);
  r.scalars = std::move(*sv);
  return r;
}

}  // namespace solidcell::sweep
