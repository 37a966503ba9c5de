# Synthetic registry generation speed.
add_executable(synth_speed ${CMAKE_CURRENT_SOURCE_DIR}/synth_speed.cpp)
target_link_libraries(synth_speed PRIVATE sanad_synth sanad_warnings)
target_compile_definitions(synth_speed PRIVATE SANAD_SOURCE_ROOT="${CMAKE_SOURCE_DIR}")
