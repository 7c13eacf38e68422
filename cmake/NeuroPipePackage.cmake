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
