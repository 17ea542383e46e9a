#include "record_hdf5.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include <fmt/format.h>

namespace solidcell::sweep::detail {

namespace fs = std::filesystem;

std::mutex& hdf5_lock() {
  static std::mutex m;
  return m;
}

namespace {

fs::path temporary_path(const fs::path& final_path) {
  static std::atomic<unsigned long> counter{0};
  return fs::path(fmt::format("{}{}{}-{}", final_path.string(), temporary_marker, ::getpid(), counter++));
}

// Renames `tmp` to `final_path` (fsync first when `sync`); removes `tmp` and throws on failure.
void move_into_place(const fs::path& tmp, const fs::path& final_path, bool sync) {
  if (sync) {
    const int fd = ::open(tmp.c_str(), O_RDONLY);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot move the result file into place: " + final_path.string());
  }
}

}  // namespace

void write_result_file(const fs::path& final_path, std::size_t expected_bytes, bool sync, const std::function<void(io::Hdf5File&)>& fill) {
  const auto tmp = temporary_path(final_path);
  try {
    std::lock_guard lock(hdf5_lock());
    io::Hdf5File f(tmp.string(), std::max<std::size_t>(1, expected_bytes));
    fill(f);
    f.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  move_into_place(tmp, final_path, sync);
}

std::string dataset_name(const std::string& name) {
  std::string s = name;
  for (auto& ch : s)
    if (ch == '/') ch = '|';
  return s == "." || s.empty() ? "_" + s : s;
}

std::optional<hid_t> open_for_reading(const fs::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // a broken file is an answer here, not a message
  if (H5Fis_hdf5(path.c_str()) <= 0) return std::nullopt;
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return std::nullopt;
  return f;
}

std::optional<std::string> read_string_attribute(hid_t file, const char* object, const char* name) {
  if (H5Aexists_by_name(file, object, name, H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t attr = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
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

namespace {

template <class T>
std::optional<std::vector<T>> read_numbers(hid_t file, const std::string& path, hid_t memory_type) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (set < 0) return std::nullopt;
  hid_t space = H5Dget_space(set);
  std::optional<std::vector<T>> out;
  const hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
  if (n >= 0) {
    std::vector<T> v(static_cast<std::size_t>(n));
    if (n == 0 || H5Dread(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0) out = std::move(v);
  }
  if (space >= 0) H5Sclose(space);
  H5Dclose(set);
  return out;
}

}  // namespace

std::optional<std::vector<double>> read_doubles(hid_t file, const std::string& path) { return read_numbers<double>(file, path, H5T_NATIVE_DOUBLE); }

std::optional<std::vector<std::int64_t>> read_integers(hid_t file, const std::string& path) {
  return read_numbers<std::int64_t>(file, path, H5T_NATIVE_INT64);
}

std::optional<std::vector<std::string>> read_strings(hid_t file, const std::string& path) {
  if (H5Lexists(file, path.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
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

std::optional<std::vector<std::string>> member_names(hid_t file, const std::string& group) {
  if (H5Lexists(file, group.c_str(), H5P_DEFAULT) <= 0) return std::nullopt;
  hid_t g = H5Gopen2(file, group.c_str(), H5P_DEFAULT);
  if (g < 0) return std::nullopt;
  H5G_info_t info{};
  std::optional<std::vector<std::string>> out;
  if (H5Gget_info(g, &info) >= 0) {
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      const ssize_t n = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (n < 0) break;
      std::string s(static_cast<std::size_t>(n) + 1, '\0');
      H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, s.data(), s.size(), H5P_DEFAULT);
      s.resize(static_cast<std::size_t>(n));
      names.push_back(std::move(s));
    }
    if (names.size() == info.nlinks) out = std::move(names);
  }
  H5Gclose(g);
  return out;
}

}  // namespace solidcell::sweep::detail
