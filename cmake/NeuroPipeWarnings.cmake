# Warnings on everywhere; sanitizers on request. Never tuned to the build machine: kernels
# that need AVX2/AVX-512 are compiled per file with their own flags and chosen
# at run time from CPUID.
add_compile_options(-Wall -Wextra -Wpedantic)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)  # GCC 12 false positive (PR105329)
endif()
if(NEUROPIPE_SANITIZE)
  # -fno-sanitize=vptr: oneTBB 2021.8 flow graph downcasts after destruction.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr
                      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()
