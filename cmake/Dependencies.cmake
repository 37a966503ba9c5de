# Every dependency comes from Debian packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(GTest REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
# Training certificates (src/empowerment/certificate_pdf.cpp): Pango shapes the text, Cairo writes the PDF.
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)

# SOCI 4.0 ships no CMake package on Debian: declare its imported targets here.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIB soci_core REQUIRED)
find_library(SOCI_SQLITE_LIB soci_sqlite3 REQUIRED)
find_library(SOCI_PG_LIB soci_postgresql REQUIRED)
add_library(soci::all INTERFACE IMPORTED)
target_include_directories(soci::all INTERFACE ${SOCI_INCLUDE_DIR} ${PQ_INCLUDE_DIRS})
target_link_libraries(soci::all INTERFACE ${SOCI_SQLITE_LIB} ${SOCI_PG_LIB} ${SOCI_CORE_LIB}
  PkgConfig::SQLITE3 PkgConfig::PQ ${CMAKE_DL_LIBS})

# RESTinio is header-only; it needs asio (standalone), http-parser and fmt.
find_path(RESTINIO_INCLUDE_DIR restinio/all.hpp REQUIRED)
find_library(HTTP_PARSER_LIB http_parser REQUIRED)
add_library(restinio::restinio INTERFACE IMPORTED)
target_include_directories(restinio::restinio INTERFACE ${RESTINIO_INCLUDE_DIR})
target_compile_definitions(restinio::restinio INTERFACE ASIO_STANDALONE)
target_link_libraries(restinio::restinio INTERFACE ${HTTP_PARSER_LIB} fmt::fmt Threads::Threads)

# libxlsxwriter (XLSX export). zlib: the tests build deflated ZIP archives by hand (hostile XLSX files).
find_path(XLSXWRITER_INCLUDE_DIR xlsxwriter.h REQUIRED)
find_library(XLSXWRITER_LIB xlsxwriter REQUIRED)
add_library(xlsxwriter::xlsxwriter INTERFACE IMPORTED)
target_include_directories(xlsxwriter::xlsxwriter INTERFACE ${XLSXWRITER_INCLUDE_DIR})
target_link_libraries(xlsxwriter::xlsxwriter INTERFACE ${XLSXWRITER_LIB})
find_package(ZLIB REQUIRED)
# XLSX import: the ZIP container through libzip, the XML parts through expat (Debian libzip-dev, libexpat1-dev).
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)

# cracklib (Debian libcrack2-dev; dictionaries from cracklib-runtime) for the password policy.
find_path(CRACK_INCLUDE_DIR crack.h REQUIRED)
find_library(CRACK_LIBRARY crack REQUIRED)
add_library(crack::crack INTERFACE IMPORTED)
target_include_directories(crack::crack INTERFACE ${CRACK_INCLUDE_DIR})
target_link_libraries(crack::crack INTERFACE ${CRACK_LIBRARY})

# The server's allocator: tcmalloc (Debian libgoogle-perftools-dev, the minimal library without the
# profiler). A request builds and frees hundreds of small objects (parsed JSON, strings, the answer);
# with glibc's malloc, allocation and free were about a fifth of a DCI sync search's CPU, and tcmalloc's
# per-thread caches cut the server's CPU per search (docs/dci.md "Benchmarks"). Not with the sanitizers,
# which bring their own allocator.
option(SANAD_TCMALLOC "link the executables with tcmalloc" ON)
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  set(SANAD_TCMALLOC OFF)
endif()
if(SANAD_TCMALLOC)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
endif()
# Links `target` (an executable) with the allocator. Only executables: a library linked with it would
# impose it on every program that loads the library.
function(sanad_use_allocator target)
  if(SANAD_TCMALLOC)
    target_link_libraries(${target} PRIVATE PkgConfig::TCMALLOC)
  endif()
endfunction()
