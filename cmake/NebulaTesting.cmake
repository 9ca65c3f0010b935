# nebula_add_test(NAME tst_x SOURCES ... LIBRARIES ... LABELS unit|integration|gui|e2e|replay
#                 [TIMEOUT s] [ENVIRONMENT VAR=value ...] [LAUNCHER command args...])
# LAUNCHER runs the test through another program (e.g. xvfb-run for a real X server).
# One Qt Test executable per unit. Tests run with the offscreen platform unless they say otherwise,
# in a per-test HOME-like sandbox so QStandardPaths never touches the user's real data.
function(nebula_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT;WORKING_DIRECTORY" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT;LAUNCHER" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE nebula_options Qt6::Test ${T_LIBRARIES})
    add_test(NAME ${T_NAME} COMMAND ${T_LAUNCHER} $<TARGET_FILE:${T_NAME}>)
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    set(_env "QT_QPA_PLATFORM=offscreen" "NEBULA_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
             "NEBULA_BINARY_DIR=${PROJECT_BINARY_DIR}" ${T_ENVIRONMENT})
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                         ENVIRONMENT "${_env}")
    if(T_WORKING_DIRECTORY)
        set_tests_properties(${T_NAME} PROPERTIES WORKING_DIRECTORY "${T_WORKING_DIRECTORY}")
    endif()
endfunction()
