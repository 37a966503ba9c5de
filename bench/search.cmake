# Name search benchmark.
add_executable(name_search ${CMAKE_CURRENT_LIST_DIR}/name_search.cpp)
target_link_libraries(name_search PRIVATE sanad_search sanad_synth sanad_text PkgConfig::PQ sanad_warnings)
target_compile_definitions(name_search PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")
