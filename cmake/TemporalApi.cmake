# The official Temporal API (.proto files) and the C++ library generated from it.
#
# The protos come from the npm package @temporalio/core-bridge at a pinned version. The tarball is
# fetched with the ordinary npm client (so whichever registry npm is configured for), verified
# against the sha512 integrity the registry publishes for that version, and extracted once into a
# cache outside the build tree, so fresh clones and clean builds on the same machine reuse it.
# -DTEMPORAL_API_DIR=/path/to/temporalio/api uses a checkout of the API repository instead.

set(TEMPORAL_API_NPM_PACKAGE "@temporalio/core-bridge" CACHE INTERNAL "")
set(TEMPORAL_API_NPM_VERSION "1.24.0" CACHE INTERNAL "")
# Hex form of the published integrity
# sha512-6kzPB8RsHcPU6HDNUSDBFC0JG2UFrV3ThmPmJkeEafKh2DFrKARM8IzxgKeE5MzvdIXYmONFM0UmHg+TZ0/qrQ==
set(TEMPORAL_API_NPM_SHA512
    "ea4ccf07c46c1dc3d4e870cd5120c1142d091b6505ad5dd38663e626478469f2a1d8316b28044cf08cf180a784e4ccef7485d898e3453345261e0f93674feaad"
    CACHE INTERNAL "")
set(TEMPORAL_API_DIR "" CACHE PATH
    "Directory containing temporal/api/... protos (a temporalio/api checkout); empty = pinned npm package")
if(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
    set(_nebula_cache_root "$ENV{XDG_CACHE_HOME}")
else()
    set(_nebula_cache_root "$ENV{HOME}/.cache")
endif()
set(TEMPORAL_API_CACHE_DIR "${_nebula_cache_root}/nebulaops/temporal-api" CACHE PATH
    "Where the verified Temporal API tarball and its extracted protos are kept")

include(VerifyTarball)

function(_nebula_fetch_temporal_api out_dir)
    set(_stage "${TEMPORAL_API_CACHE_DIR}/${TEMPORAL_API_NPM_VERSION}")
    set(_tarball "${_stage}/core-bridge-${TEMPORAL_API_NPM_VERSION}.tgz")
    set(_protos "${_stage}/api_upstream")
    set(_stamp "${_stage}/extracted.sha512")

    if(EXISTS "${_tarball}")
        nebula_verify_sha512("${_tarball}" "${TEMPORAL_API_NPM_SHA512}" _ok _msg)
        if(NOT _ok)
            message(WARNING "${_msg} The cached copy is discarded and fetched again.")
            file(REMOVE_RECURSE "${_stage}")
        endif()
    endif()

    if(NOT EXISTS "${_tarball}")
        find_program(NPM_EXECUTABLE npm)
        if(NOT NPM_EXECUTABLE)
            message(FATAL_ERROR "npm is needed once to fetch the Temporal API protos "
                "(${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION}). Install it with "
                "'sudo apt-get install npm' (or run 'make deps'), or pass "
                "-DTEMPORAL_API_DIR=<temporalio/api checkout>.")
        endif()
        file(MAKE_DIRECTORY "${_stage}/download")
        message(STATUS "Fetching ${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION} with npm")
        execute_process(
            COMMAND "${NPM_EXECUTABLE}" pack --silent
                    "${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION}"
                    --pack-destination "${_stage}/download"
            RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
        file(GLOB _packed "${_stage}/download/*.tgz")
        if(NOT _rc EQUAL 0 OR NOT _packed)
            file(REMOVE_RECURSE "${_stage}/download")
            message(FATAL_ERROR "Could not fetch ${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION} "
                "with npm (exit ${_rc}): ${_err}\nCheck that the npm registry is reachable, or pass "
                "-DTEMPORAL_API_DIR=<temporalio/api checkout>.")
        endif()
        list(GET _packed 0 _packed)
        nebula_verify_sha512("${_packed}" "${TEMPORAL_API_NPM_SHA512}" _ok _msg)
        if(NOT _ok)
            file(REMOVE_RECURSE "${_stage}/download")
            message(FATAL_ERROR "${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION}: ${_msg} "
                "The download was deleted and nothing was extracted or built. If the pin itself is "
                "wrong, compare it with 'npm view ${TEMPORAL_API_NPM_PACKAGE}@"
                "${TEMPORAL_API_NPM_VERSION} dist.integrity'.")
        endif()
        file(RENAME "${_packed}" "${_tarball}")
        file(REMOVE_RECURSE "${_stage}/download")
    endif()

    if(NOT EXISTS "${_stamp}")
        message(STATUS "Extracting the Temporal API protos into ${_protos}")
        file(REMOVE_RECURSE "${_protos}" "${_stage}/x")
        file(ARCHIVE_EXTRACT INPUT "${_tarball}" DESTINATION "${_stage}/x"
             PATTERNS "package/sdk-core/crates/protos/protos/api_upstream/*")
        set(_src "${_stage}/x/package/sdk-core/crates/protos/protos/api_upstream")
        if(NOT EXISTS "${_src}/temporal/api/workflowservice/v1/service.proto")
            message(FATAL_ERROR "The Temporal API tarball has no api_upstream/temporal/api tree.")
        endif()
        file(RENAME "${_src}" "${_protos}")
        file(REMOVE_RECURSE "${_stage}/x")
        file(WRITE "${_stamp}" "${TEMPORAL_API_NPM_SHA512}\n")
    endif()
    set(${out_dir} "${_protos}" PARENT_SCOPE)
endfunction()

if(TEMPORAL_API_DIR)
    set(_api_root "${TEMPORAL_API_DIR}")
    message(STATUS "Temporal API: using protos from ${_api_root}")
else()
    _nebula_fetch_temporal_api(_api_root)
    message(STATUS "Temporal API: ${TEMPORAL_API_NPM_PACKAGE}@${TEMPORAL_API_NPM_VERSION} (sha512 verified)")
endif()
if(NOT EXISTS "${_api_root}/temporal/api/workflowservice/v1/service.proto")
    message(FATAL_ERROR "${_api_root} does not contain temporal/api/workflowservice/v1/service.proto")
endif()

# The WorkflowService, everything it imports, and the error details. (export/v1 is a package named
# after a C++ keyword and is not needed by the service.) google/protobuf comes from Debian's protobuf;
# google/api (HTTP annotations) and nexusannotations are API-owned options files.
file(GLOB_RECURSE _api_protos RELATIVE "${_api_root}" CONFIGURE_DEPENDS
     "${_api_root}/temporal/api/*.proto" "${_api_root}/google/api/*.proto"
     "${_api_root}/nexusannotations/*.proto")
list(FILTER _api_protos EXCLUDE REGEX "^temporal/api/(operatorservice|nexusservices|cloud|export)/")
list(SORT _api_protos)

list(LENGTH _api_protos _api_proto_count)
set(_gen_dir "${CMAKE_BINARY_DIR}/temporal-api")
set(_gen_sources "")
set(_gen_outputs "")
set(_proto_paths "")
foreach(_p IN LISTS _api_protos)
    string(REGEX REPLACE "\\.proto$" "" _stem "${_p}")
    list(APPEND _gen_sources "${_gen_dir}/${_stem}.pb.cc")
    list(APPEND _gen_outputs "${_gen_dir}/${_stem}.pb.cc" "${_gen_dir}/${_stem}.pb.h")
    list(APPEND _proto_paths "${_api_root}/${_p}")
endforeach()
set(_service "temporal/api/workflowservice/v1/service")
list(APPEND _gen_sources "${_gen_dir}/${_service}.grpc.pb.cc")
list(APPEND _gen_outputs "${_gen_dir}/${_service}.grpc.pb.cc" "${_gen_dir}/${_service}.grpc.pb.h")

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
get_filename_component(_protobuf_include "${Protobuf_INCLUDE_DIR}" ABSOLUTE)
add_custom_command(
    OUTPUT ${_gen_outputs}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_gen_dir}"
    COMMAND protobuf::protoc -I "${_protobuf_include}" -I "${_api_root}"
            --cpp_out "${_gen_dir}" ${_api_protos}
    COMMAND protobuf::protoc -I "${_protobuf_include}" -I "${_api_root}"
            --grpc_out "${_gen_dir}" --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN} "${_service}.proto"
    COMMAND "${CMAKE_COMMAND}" -DGEN_DIR=${_gen_dir} -P "${CMAKE_CURRENT_LIST_DIR}/TemporalApiFixup.cmake"
    DEPENDS ${_proto_paths} "${CMAKE_CURRENT_LIST_DIR}/TemporalApiFixup.cmake"
    WORKING_DIRECTORY "${_api_root}"
    COMMENT "Generating C++ for the Temporal API (${_api_proto_count} protos)"
    VERBATIM)

add_library(temporal_api STATIC ${_gen_sources})
add_library(Temporal::api ALIAS temporal_api)
# Passed as a compile option rather than an include directory on purpose: AutoMoc hands include
# directories to moc, which then parses the generated headers and fails on protobuf's
# __attribute__((deprecated)) enum values. moc never needs to see them.
target_compile_options(temporal_api PUBLIC "SHELL:-isystem ${_gen_dir}")
target_compile_features(temporal_api PUBLIC cxx_std_20)
target_link_libraries(temporal_api PUBLIC protobuf::libprotobuf gRPC::grpc++)
set_target_properties(temporal_api PROPERTIES POSITION_INDEPENDENT_CODE ON AUTOMOC OFF AUTORCC OFF AUTOUIC OFF)
target_compile_options(temporal_api PRIVATE -w)
