#pragma once
// A small HDF5 writer: groups, 1-D and 2-D double datasets, int64 and string datasets and string attributes,
// enough for self-describing solution and sweep result files. Errors become std::runtime_error naming the
// file and the object.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace solidcell::io {

class Hdf5File {
 public:
  // Creates or truncates. in_memory_bytes > 0: the file is built in memory (HDF5's core driver, growing in steps
  // of that size) and written out in one go at close(): one write instead of many small ones, kind to cluster
  // file systems, for files that fit in memory.
  explicit Hdf5File(const std::string& path, std::size_t in_memory_bytes = 0);
  ~Hdf5File();  // closes without reporting; call close() to know the file was written
  Hdf5File(const Hdf5File&) = delete;
  Hdf5File& operator=(const Hdf5File&) = delete;

  void create_group(const std::string& path);
  void write(const std::string& path, const std::vector<double>& values, const std::string& units = "");
  void write_matrix(const std::string& path, const std::vector<double>& row_major, std::size_t rows, std::size_t cols,
                    const std::string& units = "");
  void write_strings(const std::string& path, const std::vector<std::string>& values);
  void write_integers(const std::string& path, const std::vector<std::int64_t>& values);
  // Attribute on an existing object ("/" for the file).
  void set_attribute(const std::string& object, const std::string& name, const std::string& value);
  void close();  // throws when the file cannot be written (in memory: this is where it is written)

 private:
  void write_dataset(const std::string& path, const double* data, const std::vector<unsigned long long>& shape, const std::string& units);

  long long file_ = -1;  // hid_t, kept out of this header
  std::string path_;
};

}  // namespace solidcell::io
