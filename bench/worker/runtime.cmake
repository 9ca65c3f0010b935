# The worker runtime's benchmarks (results: docs/runtime.md): no-op activity overhead,
# workflows/s of three sequential no-op activities against nebula-devserver, idle RSS.
add_executable(bench_runtime "${CMAKE_CURRENT_LIST_DIR}/runtime_bench.cpp")
target_link_libraries(bench_runtime PRIVATE nebula_shared Qt6::Network nebula_options)
if(TARGET nebula-devserver)
    add_dependencies(bench_runtime nebula-devserver)
endif()
