# The one INTERFACE target that carries the common compile settings (HOUSE_STYLE.md).
add_library(tributary_settings INTERFACE)
add_library(Tributary::settings ALIAS tributary_settings)
target_compile_features(tributary_settings INTERFACE cxx_std_20)
target_compile_definitions(tributary_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS
    TRIBUTARY_VERSION="${PROJECT_VERSION}")
target_compile_options(tributary_settings INTERFACE
    -Wall -Wextra -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual -Werror=switch)
if(TRIBUTARY_WERROR)
    target_compile_options(tributary_settings INTERFACE -Werror)
endif()
if(TRIBUTARY_SANITIZE)
    target_compile_options(tributary_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(tributary_settings INTERFACE -fsanitize=address,undefined)
endif()

# tributary_add_library(NAME SOURCES ... LIBS ...): one library per src/ folder.
function(tributary_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_library(tributary_${name} STATIC ${ARG_SOURCES})
    add_library(Tributary::${name} ALIAS tributary_${name})
    target_include_directories(tributary_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(tributary_${name} PUBLIC Tributary::settings ${ARG_LIBS})
endfunction()
