# Record-linkage benchmarks: programs that print their figures next to the goals.
add_library(sanad_bench_maghrebi_synth STATIC ${CMAKE_CURRENT_LIST_DIR}/maghrebi_synth.cpp)
target_include_directories(sanad_bench_maghrebi_synth PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(sanad_bench_maghrebi_synth PUBLIC sanad_linkage sanad_core fmt::fmt PRIVATE sanad_text sanad_warnings)

add_executable(linkage_accuracy ${CMAKE_CURRENT_LIST_DIR}/linkage_accuracy.cpp)
target_link_libraries(linkage_accuracy PRIVATE sanad_bench_maghrebi_synth sanad_text ICU::uc ICU::i18n sanad_warnings)
target_compile_definitions(linkage_accuracy PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")

add_executable(linkage_speed ${CMAKE_CURRENT_LIST_DIR}/linkage_speed.cpp)
target_link_libraries(linkage_speed PRIVATE sanad_bench_maghrebi_synth sanad_warnings)
target_compile_definitions(linkage_speed PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")

if(SANAD_BUILD_TESTS)
  sanad_add_test(maghrebi_synth_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/maghrebi_synth_test.cpp
    DEPS sanad_bench_maghrebi_synth LABELS unit)
  # The generator's own test runs in `make test` although the benchmarks are out of the default build.
  set_target_properties(maghrebi_synth_test sanad_bench_maghrebi_synth PROPERTIES EXCLUDE_FROM_ALL FALSE)
endif()
