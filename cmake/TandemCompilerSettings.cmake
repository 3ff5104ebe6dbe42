# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
# Project-wide compiler settings, applied through one interface target so that
# every Tandem target (and only those) gets the same strictness.

add_library(tandem_compiler_settings INTERFACE)
add_library(Tandem::compiler_settings ALIAS tandem_compiler_settings)

# Qt's strict mode: no implicit ASCII conversions, no Qt keywords (signals/slots/emit
# collide with other libraries), no Q_FOREACH, QStringBuilder everywhere.
target_compile_definitions(tandem_compiler_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_KEYWORDS
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(tandem_compiler_settings INTERFACE
        -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
        -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(tandem_compiler_settings INTERFACE -Wshadow=local)
    endif()
    if(TANDEM_WERROR)
        target_compile_options(tandem_compiler_settings INTERFACE -Werror)
    endif()
endif()

if(TANDEM_SANITIZE)
    string(REPLACE "," ";" _tandem_sanitizers "${TANDEM_SANITIZE}")
    set(_tandem_san_flags -fsanitize=${TANDEM_SANITIZE} -fno-omit-frame-pointer -g)
    if("undefined" IN_LIST _tandem_sanitizers)
        # An undefined-behaviour report must fail the test, not scroll past.
        list(APPEND _tandem_san_flags -fno-sanitize-recover=undefined)
    endif()
    target_compile_options(tandem_compiler_settings INTERFACE ${_tandem_san_flags})
    target_link_options(tandem_compiler_settings INTERFACE ${_tandem_san_flags})
endif()

if(TANDEM_FUZZ)
    # Coverage instrumentation for everything the fuzzers call into (the parsers
    # live in mailcore); the fuzzer executables add -fsanitize=fuzzer themselves.
    target_compile_options(tandem_compiler_settings INTERFACE -fsanitize=fuzzer-no-link)
    target_link_options(tandem_compiler_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
