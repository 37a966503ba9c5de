# `cmake --install` and `make package` (CPack, Debian package).
#
# Layout under the prefix: bin/sanad, share/sanad/web (the built front end), share/sanad/data (the
# reference data the binary reads, with provenance and licences), share/doc/sanad, and
# lib/systemd/system/sanad.service. The configuration goes to /etc/sanad for the /usr prefix (the
# Debian package) and to PREFIX/etc/sanad otherwise. The binary finds share/sanad from its own path.
include(GNUInstallDirs)

# `install` and CPack's `preinstall` would otherwise build every target (tests, benchmarks) first; the
# package holds the binary only, built by `make package` (or already there under ctest).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS sanad RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(CODE "
  if(NOT EXISTS \"${CMAKE_SOURCE_DIR}/web/dist/index.html\")
    message(FATAL_ERROR \"web/dist is not built: run `make web` (or `cd web && npm ci && npm run build`) first\")
  endif()")
# Everything Vite produced, precompressed variants included.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sanad/web)

# Only what the binary reads (areas, boundaries, name files for `sanad synth`) and the files that say
# where it comes from and under which licence; the record-linkage benchmark sets stay in the checkout.
install(FILES
  data/admin/ma_regions_12.csv data/admin/ma_provinces_75.csv data/admin/ma_communes_1503.csv
  data/admin/ma_communes_centroids.csv data/admin/ma_regions_boundaries.geojson
  data/admin/dz_wilayas_69.csv data/admin/dz_communes_1541.csv
  data/admin/dz_wilaya_boundaries_odbl.geojson data/admin/dz_wilaya_boundaries_odbl.metadata.json
  data/admin/PROVENANCE.md data/admin/PROVENANCE-ma-geo.md data/admin/LICENSE.geoalgeria-MIT.txt
  DESTINATION ${CMAKE_INSTALL_DATADIR}/sanad/data/admin)
install(FILES
  data/names/maghreb_names_synthetic_seed.csv data/names/maghreb_name_variants.csv
  data/names/maghreb_surname_particles.csv data/names/PROVENANCE.md
  DESTINATION ${CMAKE_INSTALL_DATADIR}/sanad/data/names)
# The illustrative socio-economic index model (`sanad score --model`), not the official formula.
install(FILES data/models/rsu-illustrative-2026.json DESTINATION ${CMAKE_INSTALL_DATADIR}/sanad/data/models)

install(FILES README.md docs/operations.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES packaging/sanad.conf DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME sanad.conf.example)

# The configuration file and the systemd unit depend on the prefix given at install time
# (`cmake --install --prefix`, or /usr under CPack), so they are placed by install-time code.
install(CODE "
  set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
  if(prefix STREQUAL \"/usr\")
    set(SANAD_SYSCONFDIR /etc)
  else()
    set(SANAD_SYSCONFDIR \"\${prefix}/etc\")
  endif()
  set(SANAD_BINDIR \"\${prefix}/${CMAKE_INSTALL_BINDIR}\")
  set(SANAD_DOCDIR \"\${prefix}/${CMAKE_INSTALL_DOCDIR}\")
  # file(INSTALL) prepends DESTDIR itself; configure_file does not.
  file(INSTALL \"${CMAKE_SOURCE_DIR}/packaging/sanad.conf\" DESTINATION \"\${SANAD_SYSCONFDIR}/sanad\")
  message(STATUS \"Installing: \$ENV{DESTDIR}\${prefix}/lib/systemd/system/sanad.service\")
  configure_file(\"${CMAKE_SOURCE_DIR}/packaging/sanad.service.in\"
                 \"\$ENV{DESTDIR}\${prefix}/lib/systemd/system/sanad.service\" @ONLY)")

# Debian package: build/<preset>/sanad_<version>_amd64.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sanad)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Sanad maintainers <sanad@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Social protection platform: registry, web application, API and batch engines")
set(CPACK_PACKAGE_DESCRIPTION
    "One binary serving the Arabic-first web application and the JSON API of a social protection registry, \
with SQLite or PostgreSQL storage, run as the systemd service sanad.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Install with DESTDIR and the prefix /usr, so that /etc/sanad lands in the package, not on the build
# machine.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 2)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries as dpkg-shlibdeps finds them, plus useradd/groupadd for the maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/bin/;/var/;/node_modules/;/\\\\.git/")
include(CPack)
