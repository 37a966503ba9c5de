# The module_boundaries test: every file includes only headers of what its CMake target declares.
#   cmake -DMANIFEST=<build>/boundaries_manifest.cmake -DSOURCE_ROOT=<repo> -P cmake/CheckBoundaries.cmake
# The manifest (cmake/SanadModule.cmake, sanad_write_boundaries_manifest) lists each target's sources and
# its direct and public link dependencies. Rules:
#  - A module's .cpp includes `<module>/...` only for its own folder and the modules it links (DEPS or
#    PRIVATE_DEPS); its headers only for its own folder and its public DEPS (a user of the header sees
#    nothing else). Third-party headers (soci/, restinio/, sqlite3.h, libpq-fe.h, ...) likewise need the
#    library's target among the dependencies. The include roots make the compiler refuse most of these
#    already; third-party headers sit on the system path, where only this check sees them.
#  - A store's SQL fragments (`<module>/*_sql.h`) are internal: only files of the module's own folder
#    include them, and they are checked like its sources.
#  - Other targets (tests, the sanad executable, benchmarks) may use what their declared dependencies
#    expose publicly, transitively: a test of a module uses the types of the module's interface.
#  - A file of src/<folder>/ is compiled only by targets defined in src/<folder>/ (no module, benchmark
#    or test elsewhere compiles a file of app/ or of another module).
# Prints every violation as `file:line: ...` and fails when there is one.
cmake_minimum_required(VERSION 3.25)
if(NOT MANIFEST OR NOT SOURCE_ROOT)
  message(FATAL_ERROR "usage: cmake -DMANIFEST=... -DSOURCE_ROOT=... -P CheckBoundaries.cmake")
endif()
include(${MANIFEST})

# Third-party include prefixes and the targets that provide them.
set(third_party
  "^soci/=soci::all"
  "^sqlite3\\.h$=PkgConfig::SQLITE3"
  "^(libpq-fe\\.h|postgresql/)=PkgConfig::PQ"
  "^(restinio/|asio)=restinio::restinio"
  "^nlohmann/=nlohmann_json::nlohmann_json"
  "^fmt/=fmt::fmt"
  "^spdlog/=spdlog::spdlog"
  "^CLI/=CLI11::CLI11"
  "^sodium(\\.h$|/)=PkgConfig::SODIUM"
  "^unicode/=ICU::uc,ICU::i18n"
  "^crack\\.h$=crack::crack"
  "^xlsxwriter(\\.h$|/)=xlsxwriter::xlsxwriter"
  "^zlib\\.h$=ZLIB::ZLIB"
  "^zip\\.h$=PkgConfig::LIBZIP"
  "^expat(\\.h|_external\\.h)$=PkgConfig::EXPAT"
  "^(pango/|cairo(-pdf)?\\.h$)=PkgConfig::PANGOCAIRO"
  "^gtest/=GTest::gtest,GTest::gtest_main,GTest::gmock,GTest::gmock_main"
  "^gmock/=GTest::gmock,GTest::gmock_main")

# Library namespaces whose use needs the library declared.
set(third_party_namespaces "soci=soci::all" "restinio=restinio::restinio" "spdlog=spdlog::spdlog"
  "nlohmann=nlohmann_json::nlohmann_json")

# Folder of src/ that a target stands for (modules only).
foreach(t ${SANAD_TARGETS})
  if(SANAD_${t}_FOLDER)
    list(APPEND module_targets ${t})
    list(APPEND module_folders ${SANAD_${t}_FOLDER})
  endif()
endforeach()
list(REMOVE_DUPLICATES module_folders)

# Transitive public closure of a list of targets.
function(public_closure out)
  set(todo ${ARGN})
  set(seen "")
  list(LENGTH todo n)
  while(n GREATER 0)
    list(POP_FRONT todo t)
    list(LENGTH todo n)
    if(t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    if(DEFINED SANAD_${t}_PUBLIC)
      list(APPEND todo ${SANAD_${t}_PUBLIC})
      list(LENGTH todo n)
    endif()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(folders_of out)
  set(result "")
  foreach(t ${ARGN})
    if(DEFINED SANAD_${t}_FOLDER AND SANAD_${t}_FOLDER)
      list(APPEND result ${SANAD_${t}_FOLDER})
    endif()
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

set(violations 0)
# Checks the includes of `file` against the dependency list `deps` of target `target`.
function(check_file target file own_folder deps)
  folders_of(allowed ${deps})
  if(own_folder)
    list(APPEND allowed ${own_folder})
  endif()
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  set(count ${violations})
  foreach(line ${lines})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" inc "${line}")
    file(RELATIVE_PATH rel ${SOURCE_ROOT} ${file})
    string(REGEX MATCH "^[^/]+/" first "${inc}")
    string(REGEX REPLACE "/$" "" first "${first}")
    if(first STREQUAL "src")
      message("${rel}: ${target}: includes '${inc}' through the source tree; include it as a module header")
      math(EXPR count "${count} + 1")
    elseif(first AND first IN_LIST module_folders)
      if(inc MATCHES "_sql\\.h$" AND NOT first STREQUAL own_folder)
        message("${rel}: ${target}: includes '${inc}', SQL internal to the ${first} module's stores")
        math(EXPR count "${count} + 1")
      elseif(NOT first IN_LIST allowed)
        message("${rel}: ${target}: includes '${inc}' but does not declare a sanad_${first} dependency")
        math(EXPR count "${count} + 1")
      endif()
    else()
      foreach(entry ${third_party})
        string(REGEX REPLACE "=.*" "" pattern "${entry}")
        string(REGEX REPLACE ".*=" "" providers "${entry}")
        string(REPLACE "," ";" providers "${providers}")
        if(inc MATCHES "${pattern}")
          set(ok FALSE)
          foreach(p ${providers})
            if(p IN_LIST deps)
              set(ok TRUE)
            endif()
          endforeach()
          if(NOT ok)
            list(GET providers 0 wanted)
            message("${rel}: ${target}: includes <${inc}> but does not declare ${wanted}")
            math(EXPR count "${count} + 1")
          endif()
          break()
        endif()
      endforeach()
    endif()
  endforeach()
  # Code that names a library's namespace uses it even when a header of another module brought it in.
  foreach(entry ${third_party_namespaces})
    string(REGEX REPLACE "=.*" "" ns "${entry}")
    string(REGEX REPLACE ".*=" "" provider "${entry}")
    if(NOT provider IN_LIST deps)
      file(STRINGS ${file} uses REGEX "(^|[^A-Za-z0-9_:])${ns}::" LIMIT_COUNT 1)
      if(uses)
        file(RELATIVE_PATH rel ${SOURCE_ROOT} ${file})
        message("${rel}: ${target}: uses ${ns}:: but does not declare ${provider}")
        math(EXPR count "${count} + 1")
      endif()
    endif()
  endforeach()
  set(violations ${count} PARENT_SCOPE)
endfunction()

set(src_root ${SOURCE_ROOT}/src)
foreach(t ${SANAD_TARGETS})
  set(folder "${SANAD_${t}_FOLDER}")
  set(direct ${SANAD_${t}_DIRECT})
  set(public ${SANAD_${t}_PUBLIC})
  if(NOT folder)
    public_closure(direct ${direct})
  endif()
  foreach(s ${SANAD_${t}_SOURCES})
    if(NOT s MATCHES "\\.(cpp|h)$" OR NOT EXISTS ${s})
      continue()
    endif()
    # Which folder of src/ a file belongs to, and who may compile it.
    cmake_path(IS_PREFIX src_root ${s} NORMALIZE under_src)
    if(under_src)
      file(RELATIVE_PATH rel_src ${src_root} ${s})
      string(REGEX REPLACE "/.*" "" file_folder "${rel_src}")
      if(NOT SANAD_${t}_DIR STREQUAL "${src_root}/${file_folder}")
        file(RELATIVE_PATH rel ${SOURCE_ROOT} ${s})
        message("${rel}: compiled by ${t}, which is not defined in src/${file_folder}/")
        math(EXPR violations "${violations} + 1")
      endif()
    endif()
    check_file(${t} ${s} "${folder}" "${direct}")
  endforeach()
  # A module's headers: own folder and public dependencies only.
  if(folder)
    if(SANAD_${t}_HEADERS)
      set(headers "")
      foreach(h ${SANAD_${t}_HEADERS})
        list(APPEND headers ${src_root}/${folder}/${h})
      endforeach()
    else()
      file(GLOB headers ${src_root}/${folder}/*.h)
      # Headers another target of the folder exposes are checked with that target; test helpers
      # with the tests that use them.
      foreach(other ${module_targets})
        if(NOT other STREQUAL t AND SANAD_${other}_FOLDER STREQUAL folder)
          foreach(h ${SANAD_${other}_HEADERS})
            list(REMOVE_ITEM headers ${src_root}/${folder}/${h})
          endforeach()
        endif()
      endforeach()
      list(FILTER headers EXCLUDE REGEX "test[^/]*\\.h$")
    endif()
    foreach(h ${headers})
      # A store's SQL fragments (`*_sql.h`) are internal to the module's stores (no other folder may
      # include them, see check_file): they see what the module's sources see.
      if(h MATCHES "_sql\\.h$")
        check_file(${t} ${h} "${folder}" "${direct}")
      else()
        check_file(${t} ${h} "${folder}" "${public}")
      endif()
    endforeach()
  endif()
endforeach()

if(violations GREATER 0)
  message(FATAL_ERROR "${violations} boundary violation(s): declare the dependency in the target's CMakeLists "
    "(DEPS when a public header needs it, PRIVATE_DEPS otherwise) or move the code (docs/architecture.md)")
endif()
message("module boundaries: every include is declared")
