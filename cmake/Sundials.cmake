# SUNDIALS (IDA, CVODE, the band linear solver and, where the install has it, KLU) as one target:
#   solidcell::sundials   (with SOLIDCELL_HAVE_KLU=1 when KLU is there)
# Where it comes from, first match wins:
#   1. SUNDIALS_DIR given by the user (-DSUNDIALS_DIR=<prefix>/lib/cmake/sundials);
#   2. .deps/sundials, the optimised build of scripts/build-sundials.sh (unless
#      SOLIDCELL_USE_LOCAL_SUNDIALS=OFF), recognised by its stamp file;
#   3. any SUNDIALS 6.x or 7.x that find_package sees (CMAKE_PREFIX_PATH, /usr: Debian's libsundials-dev
#      ships CMake config files too).
# Version differences in the C API are absorbed by include/solidcell/numerics/sundials_compat.hpp.
option(SOLIDCELL_USE_LOCAL_SUNDIALS
  "Prefer the optimised SUNDIALS that scripts/build-sundials.sh installs in .deps/sundials" ON)

set(SOLIDCELL_SUNDIALS_LOCAL_PREFIX "${PROJECT_SOURCE_DIR}/.deps/sundials")
set(_solidcell_sundials_components ida cvode sunlinsolband sunmatrixband nvecserial)
set(_solidcell_sundials_optional sunlinsolklu sunmatrixsparse)

# A SUNDIALS_DIR that this file found itself is searched afresh on every configure, so that building
# .deps/sundials later or flipping the option takes effect; one the user gave is kept.
if(DEFINED CACHE{SUNDIALS_DIR} AND (SUNDIALS_DIR MATCHES "-NOTFOUND$"
   OR "${SUNDIALS_DIR}" STREQUAL "${_SOLIDCELL_SUNDIALS_AUTO_DIR}"))
  unset(SUNDIALS_DIR CACHE)
endif()
set(_solidcell_sundials_auto TRUE)
if(DEFINED CACHE{SUNDIALS_DIR})
  set(_solidcell_sundials_auto FALSE)
endif()

set(SUNDIALS_FOUND FALSE)
if(_solidcell_sundials_auto AND SOLIDCELL_USE_LOCAL_SUNDIALS
   AND EXISTS "${SOLIDCELL_SUNDIALS_LOCAL_PREFIX}/.solidcell-sundials-stamp")
  find_package(SUNDIALS CONFIG QUIET
    COMPONENTS ${_solidcell_sundials_components}
    OPTIONAL_COMPONENTS ${_solidcell_sundials_optional}
    PATHS "${SOLIDCELL_SUNDIALS_LOCAL_PREFIX}" NO_DEFAULT_PATH)
  if(NOT SUNDIALS_FOUND)
    unset(SUNDIALS_DIR CACHE)
  endif()
endif()
if(NOT SUNDIALS_FOUND)
  find_package(SUNDIALS CONFIG QUIET
    COMPONENTS ${_solidcell_sundials_components}
    OPTIONAL_COMPONENTS ${_solidcell_sundials_optional})
endif()

if(NOT SUNDIALS_FOUND)
  message(FATAL_ERROR
    "SUNDIALS 6.x or 7.x with IDA, CVODE and the band linear solver was not found. "
    "Run scripts/build-sundials.sh (optimised build into .deps/sundials), or install one "
    "(Debian: apt-get install libsundials-dev) and/or pass -DSUNDIALS_DIR=<prefix>/lib/cmake/sundials."
    "${SUNDIALS_NOT_FOUND_MESSAGE}")
endif()
if(_solidcell_sundials_auto)
  set(_SOLIDCELL_SUNDIALS_AUTO_DIR "${SUNDIALS_DIR}" CACHE INTERNAL "SUNDIALS_DIR found by cmake/Sundials.cmake")
else()
  unset(_SOLIDCELL_SUNDIALS_AUTO_DIR CACHE)
endif()
if(SUNDIALS_VERSION VERSION_LESS 6 OR SUNDIALS_VERSION VERSION_GREATER_EQUAL 8)
  message(FATAL_ERROR "SUNDIALS ${SUNDIALS_VERSION} in ${SUNDIALS_DIR}: solidcell needs 6.x or 7.x")
endif()

set(SOLIDCELL_HAVE_KLU FALSE)
if(TARGET SUNDIALS::sunlinsolklu AND TARGET SUNDIALS::sunmatrixsparse)
  set(SOLIDCELL_HAVE_KLU TRUE)
endif()
if(NOT TARGET solidcell_sundials)
  add_library(solidcell_sundials INTERFACE)
  add_library(solidcell::sundials ALIAS solidcell_sundials)
  target_link_libraries(solidcell_sundials INTERFACE
    SUNDIALS::ida SUNDIALS::cvode SUNDIALS::sunlinsolband SUNDIALS::sunmatrixband SUNDIALS::nvecserial)
  if(SOLIDCELL_HAVE_KLU)
    target_link_libraries(solidcell_sundials INTERFACE SUNDIALS::sunlinsolklu SUNDIALS::sunmatrixsparse)
    target_compile_definitions(solidcell_sundials INTERFACE SOLIDCELL_HAVE_KLU=1)
  endif()
endif()

set(_solidcell_sundials_note "")
if(SUNDIALS_DIR MATCHES "^/usr/")
  # Debian's packaging replaces the compiler flags with -fcommon alone: no optimisation.
  set(_solidcell_sundials_note "; a system build, possibly unoptimised: scripts/build-sundials.sh builds a fast one")
endif()
message(STATUS "SUNDIALS ${SUNDIALS_VERSION} (${SUNDIALS_DIR}), KLU: ${SOLIDCELL_HAVE_KLU}${_solidcell_sundials_note}")
