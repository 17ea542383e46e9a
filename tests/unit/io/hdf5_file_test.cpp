// The HDF5 writer: what it writes reads back with the HDF5 library, values, shape and attributes.
#include "solidcell/io/hdf5_file.hpp"

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>
#include <hdf5.h>

namespace solidcell::io {

TEST(Hdf5File, DatasetsAndAttributesReadBack) {
  auto path = (std::filesystem::temp_directory_path() / "solidcell_hdf5_test.h5").string();
  {
    Hdf5File f(path);
    f.create_group("/time_series");
    f.write("/time_series/Voltage [V]", {4.2, 4.1, 3.9}, "V");
    f.write_matrix("/grid", {1, 2, 3, 4, 5, 6}, 2, 3);
    f.set_attribute("/", "solidcell_version", "0.1.0");
  }
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  hid_t set = H5Dopen2(file, "/time_series/Voltage [V]", H5P_DEFAULT);
  ASSERT_GE(set, 0);
  std::vector<double> v(3);
  ASSERT_GE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
  EXPECT_EQ(v, (std::vector<double>{4.2, 4.1, 3.9}));
  H5Dclose(set);
  hid_t grid = H5Dopen2(file, "/grid", H5P_DEFAULT);
  hid_t space = H5Dget_space(grid);
  hsize_t dims[2] = {0, 0};
  EXPECT_EQ(H5Sget_simple_extent_ndims(space), 2);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  EXPECT_EQ(dims[0], 2u);
  EXPECT_EQ(dims[1], 3u);
  H5Sclose(space);
  H5Dclose(grid);
  hid_t attr = H5Aopen_by_name(file, "/", "solidcell_version", H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(attr, 0);
  hid_t type = H5Aget_type(attr);
  std::vector<char> text(H5Tget_size(type) + 1, '\0');
  H5Aread(attr, type, text.data());
  EXPECT_STREQ(text.data(), "0.1.0");
  H5Tclose(type);
  H5Aclose(attr);
  H5Fclose(file);
  std::filesystem::remove(path);
}

TEST(Hdf5File, UnwritablePathThrows) { EXPECT_THROW(Hdf5File("/nonexistent-dir/x.h5"), std::runtime_error); }

}  // namespace solidcell::io
