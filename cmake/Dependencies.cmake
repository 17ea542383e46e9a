# Every dependency comes from the system (Debian packages); nothing is vendored.
find_package(tomlplusplus 3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt 8 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(muparser 2.3 REQUIRED)
if(SOLIDCELL_BUILD_TESTS)
  find_package(GTest 1.11 REQUIRED)
endif()
