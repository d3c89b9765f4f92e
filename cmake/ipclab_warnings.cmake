# Warning flags shared by every target of the kit.
add_library(ipclab_warnings INTERFACE)
target_compile_options(ipclab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  $<$<BOOL:${IPCLAB_WERROR}>:-Werror>)
