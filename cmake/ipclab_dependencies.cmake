# Catch2 2.13 and toml++ 3: the system's when it has them (right major
# version), else the header-only copies a Gradescope bundle carries in
# IPCLAB_VENDOR (see grader/gradescope/vendor-headers).
set(IPCLAB_VENDOR ${CMAKE_SOURCE_DIR}/vendor CACHE PATH
    "header-only Catch2 2.13 and toml++ used when the system has none of that major version")

find_package(Catch2 2.13 QUIET)
if(NOT Catch2_FOUND)
  if(NOT EXISTS ${IPCLAB_VENDOR}/include/catch2/catch.hpp)
    message(FATAL_ERROR "Catch2 2.13 not found: install it (Debian: catch2) or give -DIPCLAB_VENDOR=<folder "
                        "made by grader/gradescope/vendor-headers>")
  endif()
  message(STATUS "Catch2 2.13: the copy in ${IPCLAB_VENDOR}")
  add_library(Catch2::Catch2 INTERFACE IMPORTED)
  target_include_directories(Catch2::Catch2 INTERFACE ${IPCLAB_VENDOR}/include)
endif()

find_package(tomlplusplus 3 QUIET)
if(NOT tomlplusplus_FOUND)
  if(NOT EXISTS ${IPCLAB_VENDOR}/include/toml++/toml.h)
    message(FATAL_ERROR "toml++ 3 not found: install it (Debian: libtomlplusplus-dev) or give "
                        "-DIPCLAB_VENDOR=<folder made by grader/gradescope/vendor-headers>")
  endif()
  message(STATUS "toml++: the header-only copy in ${IPCLAB_VENDOR}")
  add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
  target_include_directories(tomlplusplus::tomlplusplus INTERFACE ${IPCLAB_VENDOR}/include)
  target_compile_definitions(tomlplusplus::tomlplusplus INTERFACE TOML_HEADER_ONLY=1)
endif()
