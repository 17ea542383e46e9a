#include "solidcell/io/hdf5_file.hpp"

#include <algorithm>
#include <stdexcept>

#include <hdf5.h>

namespace solidcell::io {
namespace {

void check(herr_t status, const std::string& file, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5 error in " + file + ": " + what);
}

}  // namespace

Hdf5File::Hdf5File(const std::string& path, std::size_t in_memory_bytes) : path_(path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors come back as codes, not printed
  hid_t fapl = H5P_DEFAULT;
  if (in_memory_bytes > 0) {
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    // Growing a large image in small steps would copy it over and over: steps of the expected size.
    H5Pset_fapl_core(fapl, std::max<std::size_t>(64 * 1024, in_memory_bytes), 1);
  }
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (fapl != H5P_DEFAULT) H5Pclose(fapl);
  if (f < 0) throw std::runtime_error("cannot create HDF5 file " + path);
  file_ = f;
}

Hdf5File::~Hdf5File() {
  if (file_ >= 0) H5Fclose(static_cast<hid_t>(file_));
}

void Hdf5File::close() {
  if (file_ < 0) return;
  const herr_t st = H5Fclose(static_cast<hid_t>(file_));
  file_ = -1;
  check(st, path_, "writing the file");
}

void Hdf5File::create_group(const std::string& path) {
  hid_t g = H5Gcreate2(static_cast<hid_t>(file_), path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) throw std::runtime_error("HDF5 error in " + path_ + ": cannot create group " + path);
  H5Gclose(g);
}

void Hdf5File::write_dataset(const std::string& path, const double* data, const std::vector<unsigned long long>& shape,
                             const std::string& units) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  hid_t set = H5Dcreate2(static_cast<hid_t>(file_), path.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Sclose(space);
  if (set < 0) throw std::runtime_error("HDF5 error in " + path_ + ": cannot create dataset " + path);
  hsize_t count = 1;
  for (auto d : dims) count *= d;
  herr_t st = count == 0 ? 0 : H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(set);
  check(st, path_, "writing " + path);
  if (!units.empty()) set_attribute(path, "units", units);
}

void Hdf5File::write_matrix(const std::string& path, const std::vector<double>& data, std::size_t rows, std::size_t cols,
                            const std::string& units) {
  if (data.size() != rows * cols) throw std::invalid_argument("HDF5 dataset " + path + ": size does not match its shape");
  write_dataset(path, data.data(), {rows, cols}, units);
}

void Hdf5File::write(const std::string& path, const std::vector<double>& values, const std::string& units) {
  write_dataset(path, values.data(), {values.size()}, units);
}

void Hdf5File::write_strings(const std::string& path, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  hsize_t dims[1] = {values.size()};
  hid_t space = H5Screate_simple(1, dims, nullptr);
  hid_t set = H5Dcreate2(static_cast<hid_t>(file_), path.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = set < 0 || ptrs.empty() ? (set < 0 ? -1 : 0) : H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
  if (set >= 0) H5Dclose(set);
  H5Sclose(space);
  H5Tclose(type);
  check(st, path_, "writing " + path);
}

void Hdf5File::write_integers(const std::string& path, const std::vector<std::int64_t>& values) {
  hsize_t dims[1] = {values.size()};
  hid_t space = H5Screate_simple(1, dims, nullptr);
  hid_t set = H5Dcreate2(static_cast<hid_t>(file_), path.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Sclose(space);
  if (set < 0) throw std::runtime_error("HDF5 error in " + path_ + ": cannot create dataset " + path);
  herr_t st = values.empty() ? 0 : H5Dwrite(set, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(set);
  check(st, path_, "writing " + path);
}

void Hdf5File::set_attribute(const std::string& object, const std::string& name, const std::string& value) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.size() + 1);
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate_by_name(static_cast<hid_t>(file_), object.c_str(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = attr < 0 ? -1 : H5Awrite(attr, type, value.c_str());
  if (attr >= 0) H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  check(st, path_, "attribute " + name + " on " + object);
}

}  // namespace solidcell::io
