# The header-only libraries: the system's when it has them at the major
# version the kit is written against, else the copies a Gradescope bundle
# carries in IPCLAB_VENDOR (see grader/gradescope/vendor-headers): Ubuntu
# 22.04 has no toml++ and ships fmt 8 and nlohmann-json 3.10, Ubuntu 24.04
# ships Catch2 3. The configure output says which was taken. CLI11 is
# never carried (Debian 12 and Ubuntu 22.04 ship 2.1, Ubuntu 24.04 2.4).
set(IPCLAB_VENDOR ${CMAKE_SOURCE_DIR}/vendor CACHE PATH
    "header-only Catch2 2.13, toml++ 3, fmt 9 and nlohmann-json 3.11 used when the system has none of that major version")

# ipclab_vendored(<package> <version> <target> <header> <Debian package> [<definition>...])
# Finds <package> <version> (same major version); when there is none,
# defines <target> on the headers in IPCLAB_VENDOR/include (which must
# hold <header>) with the compile definitions given, or fails saying what
# to install.
function(ipclab_vendored package version target header debian)
  find_package(${package} ${version} QUIET)
  if(${package}_FOUND)
    return()
  endif()
  if(NOT EXISTS ${IPCLAB_VENDOR}/include/${header})
    message(FATAL_ERROR "${package} ${version} not found: install it (Debian: ${debian}) or give "
                        "-DIPCLAB_VENDOR=<folder made by grader/gradescope/vendor-headers>")
  endif()
  message(STATUS "${package} ${version}: the header-only copy in ${IPCLAB_VENDOR}")
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  target_include_directories(${target} INTERFACE ${IPCLAB_VENDOR}/include)
  target_compile_definitions(${target} INTERFACE ${ARGN})
endfunction()

ipclab_vendored(Catch2 2.13 Catch2::Catch2 catch2/catch.hpp catch2)
ipclab_vendored(tomlplusplus 3 tomlplusplus::tomlplusplus toml++/toml.h libtomlplusplus-dev TOML_HEADER_ONLY=1)
ipclab_vendored(fmt 9 fmt::fmt fmt/format.h libfmt-dev FMT_HEADER_ONLY=1)
ipclab_vendored(nlohmann_json 3.11 nlohmann_json::nlohmann_json nlohmann/json.hpp nlohmann-json3-dev)
find_package(CLI11 REQUIRED)
