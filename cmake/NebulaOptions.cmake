# One INTERFACE target carries the language standard, warnings and Qt defines for every target of
# ours. Generated code (the Temporal API library) does not link it and is compiled as SYSTEM.
option(NEBULA_WERROR "Treat compiler warnings as errors" OFF)
option(NEBULA_FORCE_ASSERTS "Keep Q_ASSERT active in release builds" OFF)
set(NEBULA_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined")

add_library(nebula_options INTERFACE)
add_library(Nebula::options ALIAS nebula_options)
target_compile_features(nebula_options INTERFACE cxx_std_20)
target_compile_options(nebula_options INTERFACE
    -Wall -Wextra -Wpedantic -Wconversion -Wold-style-cast -Wnon-virtual-dtor
    -Woverloaded-virtual -Wshadow=local
    $<$<BOOL:${NEBULA_WERROR}>:-Werror>
    # GCC 12 reports false positives for std::variant / std::optional members at -O2
    # (GCC bugs 105562, 107138): keep the warning visible, but not fatal.
    $<$<CXX_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>)
target_compile_definitions(nebula_options INTERFACE
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    $<$<BOOL:${NEBULA_FORCE_ASSERTS}>:QT_FORCE_ASSERTS>
    NEBULA_VERSION_STRING="${PROJECT_VERSION}")

if(NEBULA_SANITIZE)
    # Applied globally so that the generated API library and our code agree on the ABI.
    add_compile_options(-fsanitize=${NEBULA_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${NEBULA_SANITIZE})
endif()
