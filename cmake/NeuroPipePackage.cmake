# `cmake --install` puts the CLI, libneuropipe, the plugins, the public
# headers, assets, the plugin template and a package config under the prefix,
# so an outside plugin author writes find_package(NeuroPipe) +
# neuropipe_add_plugin() (see tools/plugin-template and docs/writing-plugins.md).
include(CMakePackageConfigHelpers)

install(TARGETS neuropipe EXPORT NeuroPipeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/core/include/neuropipe
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(FILES ${CMAKE_BINARY_DIR}/core/include/neuropipe/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/neuropipe)
foreach(data_dir assets pipelines)
  if(EXISTS ${CMAKE_SOURCE_DIR}/${data_dir})
    set(dest ${CMAKE_INSTALL_DATADIR}/neuropipe)
    if(data_dir STREQUAL "pipelines")
      set(dest ${dest}/pipelines)
    endif()
    install(DIRECTORY ${CMAKE_SOURCE_DIR}/${data_dir}/ DESTINATION ${dest})
  endif()
endforeach()
# `neuropipe models fetch` runs these export recipes for `offline: export` models.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/tools/export/ DESTINATION ${CMAKE_INSTALL_DATADIR}/neuropipe/tools/export
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
# `neuropipe plugins new` copies this from <prefix>/share/neuropipe/plugin-template.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/tools/plugin-template/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/neuropipe/plugin-template)

# Installed binaries find libneuropipe relative to themselves, so a prefix
# can live anywhere (a temp dir in tests, /opt, a container).
file(RELATIVE_PATH _np_bin_to_lib ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR})
file(RELATIVE_PATH _np_plugins_to_lib ${CMAKE_INSTALL_PREFIX}/${NEUROPIPE_PLUGIN_INSTALL_DIR}
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR})
# INSTALL_RPATH_USE_LINK_PATH keeps libraries linked from outside the system
# (the ONNX Runtime bench peer) reachable from the installed CLI.
set_target_properties(neuropipe_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${_np_bin_to_lib}"
  INSTALL_RPATH_USE_LINK_PATH ON)
get_property(_np_plugin_targets GLOBAL PROPERTY NEUROPIPE_PLUGIN_TARGETS)
foreach(plugin_target IN LISTS _np_plugin_targets)
  set_target_properties(${plugin_target} PROPERTIES INSTALL_RPATH "$ORIGIN/${_np_plugins_to_lib}")
endforeach()

install(EXPORT NeuroPipeTargets NAMESPACE NeuroPipe::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/NeuroPipe)
set(NEUROPIPE_CLI_INSTALL_PATH ${CMAKE_INSTALL_BINDIR}/neuropipe)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/NeuroPipeConfig.cmake.in
  ${CMAKE_BINARY_DIR}/NeuroPipeConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/NeuroPipe
  PATH_VARS NEUROPIPE_PLUGIN_INSTALL_DIR NEUROPIPE_CLI_INSTALL_PATH)
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
