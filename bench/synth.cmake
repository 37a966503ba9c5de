# Synthetic registry generation speed (issue 3 §6: 1 M households in at most 60 s).
add_executable(synth_speed ${CMAKE_CURRENT_SOURCE_DIR}/synth_speed.cpp)
target_link_libraries(synth_speed PRIVATE sanad_synth sanad_warnings)
target_compile_definitions(synth_speed PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")
