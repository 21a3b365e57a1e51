# tributary_add_test(TestName SOURCES ... LIBS ... [TIMEOUT s] [LABELS ...])
# Registers one Qt Test suite: offscreen platform, C.UTF-8, a private TRIBUTARY_HOME.
function(tributary_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT ARG_SOURCES)
        set(ARG_SOURCES ${name}.cpp)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Tributary::settings Qt6::Test ${ARG_LIBS})
    target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LANG=C.UTF-8;LC_ALL=C.UTF-8;TRIBUTARY_CLI=$<TARGET_FILE:tributary>;TRIBUTARY_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
        LABELS "${ARG_LABELS}")
endfunction()
