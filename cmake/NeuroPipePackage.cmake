# `cmake --install` puts the CLI, libneuropipe, the plugins, the public
# headers, assets and a package config under the prefix, so an outside
# plugin author writes find_package(NeuroPipe) + neuropipe_add_plugin().
include(CMakePackageConfigHelpers)

install(TARGETS neuropipe EXPORT NeuroPipeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/core/include/neuropipe
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${CMAKE_BINARY_DIR}/core/include/neuropipe/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/neuropipe)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/neuropipe)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/pipelines/ DESTINATION ${CMAKE_INSTALL_DATADIR}/neuropipe/pipelines)

install(EXPORT NeuroPipeTargets NAMESPACE NeuroPipe::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/NeuroPipe)
set(NEUROPIPE_PLUGIN_INSTALL_DIR ${NEUROPIPE_PLUGIN_INSTALL_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/NeuroPipeConfig.cmake.in
  ${CMAKE_BINARY_DIR}/NeuroPipeConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/NeuroPipe
  PATH_VARS NEUROPIPE_PLUGIN_INSTALL_DIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/NeuroPipeConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/NeuroPipeConfig.cmake ${CMAKE_BINARY_DIR}/NeuroPipeConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/NeuroPipe)

# The loader finds the build tree's and the install prefix's plugin folders
# relative to libneuropipe.so's own location (dladdr), so only these relative
# paths are compiled in: no absolute build path (ccache-friendly, relocatable).
get_target_property(_np_lib_dir neuropipe LIBRARY_OUTPUT_DIRECTORY)
if(NOT _np_lib_dir)
  get_target_property(_np_lib_dir neuropipe BINARY_DIR)
endif()
file(RELATIVE_PATH _np_build_rel ${_np_lib_dir} ${NEUROPIPE_PLUGIN_BUILD_DIR})
file(RELATIVE_PATH _np_install_rel ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}
     ${CMAKE_INSTALL_PREFIX}/${NEUROPIPE_PLUGIN_INSTALL_DIR})
target_compile_definitions(np_plugin PRIVATE
  NEUROPIPE_PLUGIN_DIR_FROM_BUILD_LIB="${_np_build_rel}"
  NEUROPIPE_PLUGIN_DIR_FROM_INSTALLED_LIB="${_np_install_rel}")
