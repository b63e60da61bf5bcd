# What an install adds to the program and its templates: the manual page ledgerc(1),
# gzipped as Debian installs manuals, and the bash completion; then the Debian
# package that `cpack -G DEB` builds from the same install rules, installing to /usr.

find_program(LG_GZIP gzip)
configure_file(dist/ledgerc.1 ledgerc.1 @ONLY) # its version
set(LG_MAN_GZ ${CMAKE_CURRENT_BINARY_DIR}/ledgerc.1.gz)
add_custom_command(
  OUTPUT ${LG_MAN_GZ}
  COMMAND sh -c "${LG_GZIP} -9 -n -c \"$0\" > \"$1\"" ${CMAKE_CURRENT_BINARY_DIR}/ledgerc.1
          ${LG_MAN_GZ}
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/ledgerc.1
  COMMENT "Compressing the manual page"
  VERBATIM)
add_custom_target(ledgerc_man ALL DEPENDS ${LG_MAN_GZ})
install(FILES ${LG_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion loads completions/NAME when NAME is first completed
install(FILES dist/ledgerc.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ledgerc)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ledgerc)
set(CPACK_PACKAGE_CONTACT "ledgerc developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "compiles the monthly implementation ledgers (落实情况台账) into XLSX and PDF")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION # after the summary line
    "ledgerc reads a year's task plan and the units' monthly reports (XML, or\nthe spreadsheet forms it sends out) and writes the month's ledgers, checked.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # ledgerc_VERSION-1_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# the libraries from dpkg-shlibdeps (dpkg-dev); the fonts every ledger is set in by hand
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-noto-cjk, fontconfig")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
