# Runs the sample pipeline and checks its output: every frame must carry a
# brightness in [0, 255] from the @PLUGIN_NAME@ node.
# Variables: NEUROPIPE, PLUGIN_DIR, PIPELINE, INPUT, OUTPUT.
if(NOT INPUT OR NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "sample input '${INPUT}' not found: configure with -DSAMPLE_INPUT=<a video>")
endif()
file(REMOVE "${OUTPUT}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env NEUROPIPE_PLUGIN_PATH=${PLUGIN_DIR}
          ${NEUROPIPE} run ${PIPELINE} --input ${INPUT} --output ${OUTPUT} --quiet
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "neuropipe run failed (${status}):\n${out}\n${err}")
endif()

file(STRINGS "${OUTPUT}" lines)
list(LENGTH lines frames)
if(frames EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} has no frames")
endif()
foreach(line IN LISTS lines)
  string(JSON brightness ERROR_VARIABLE problem GET "${line}" @PLUGIN_NAME@ brightness)
  if(problem OR brightness LESS 0 OR brightness GREATER 255)
    message(FATAL_ERROR "bad record in ${OUTPUT}: ${line} (${problem})")
  endif()
endforeach()
message(STATUS "${frames} frames, each with a brightness")
