# Post-processes the generated Temporal API C++.
# The proto package temporal.api.namespace.v1 yields a C++ namespace called `namespace`, which is a
# keyword. Rename it to `namespace_` in C++ identifiers only; descriptor strings and wire names
# (which use dots, "temporal.api.namespace.v1") are left unchanged.
file(GLOB_RECURSE _files "${GEN_DIR}/*.pb.h" "${GEN_DIR}/*.pb.cc")
foreach(_f IN LISTS _files)
    file(READ "${_f}" _text)
    string(FIND "${_text}" "namespace::" _hit1)
    string(FIND "${_text}" "namespace namespace " _hit2)
    if(_hit1 EQUAL -1 AND _hit2 EQUAL -1)
        continue()
    endif()
    string(REPLACE "::namespace::" "::namespace_::" _text "${_text}")
    string(REPLACE "namespace namespace {" "namespace namespace_ {" _text "${_text}")
    string(REPLACE "// namespace namespace\n" "// namespace namespace_\n" _text "${_text}")
    file(WRITE "${_f}" "${_text}")
endforeach()
