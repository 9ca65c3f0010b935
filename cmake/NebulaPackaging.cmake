# Debian packages, one per component, built by CPack from the install rules:
#   nebula-console    the console, its desktop file, icon and AppStream metadata
#   nebula-worker     the daemon, the infrastructure/ tree, a hardened systemd unit, /etc/nebulaops/worker.conf
#   nebula-devserver  the dev server and an optional systemd unit (not enabled on install)
#
#   cmake --build build/release && cpack --config build/release/CPackConfig.cmake -B build/release/packages
#
# System files (units, the conffile) use absolute destinations and EXCLUDE_FROM_ALL: they go into the
# packages, but a plain `cmake --install --prefix ~/.local` never tries to write /etc or /lib.
# Only components whose executable is part of this build are packaged.

set(_pkg "${PROJECT_SOURCE_DIR}/packaging")
set(NEBULA_PACKAGE_MAINTAINER "NebulaOps maintainers <maintainers@nebulaops.invalid>"
    CACHE STRING "Maintainer field of the Debian packages")
# bookworm keeps units in /lib (debhelper does too); use /usr/lib/systemd/system from trixie on.
set(NEBULA_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the packages put systemd units")
set(NEBULA_DEB_RELEASE "1" CACHE STRING "Debian revision of the packages")
set(_docdir "${CMAKE_INSTALL_DATADIR}/doc")

set(_components "")

# /usr/share/doc/<package>/{copyright,changelog.Debian.gz} for each package.
function(_nebula_package_docs component package)
    set(NEBULA_DEB_PACKAGE "${package}")
    set(_dir "${PROJECT_BINARY_DIR}/packaging/${package}")
    configure_file("${_pkg}/deb/changelog.in" "${_dir}/changelog.Debian" @ONLY)
    execute_process(COMMAND gzip -9nc INPUT_FILE "${_dir}/changelog.Debian"
                    OUTPUT_FILE "${_dir}/changelog.Debian.gz" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "gzip failed for ${_dir}/changelog.Debian")
    endif()
    install(FILES "${_pkg}/deb/copyright" "${_dir}/changelog.Debian.gz" ${ARGN}
            DESTINATION "${_docdir}/${package}" COMPONENT ${component})
endfunction()

if(TARGET nebula-worker)
    list(APPEND _components worker)
    # worker/CMakeLists.txt installs the binary and infrastructure/ with COMPONENT worker.
    install(FILES "${_pkg}/systemd/nebula-worker.service"
            DESTINATION "${NEBULA_SYSTEMD_UNIT_DIR}" COMPONENT worker EXCLUDE_FROM_ALL)
    install(FILES "${_pkg}/worker.conf"
            DESTINATION /etc/nebulaops COMPONENT worker EXCLUDE_FROM_ALL)
    _nebula_package_docs(worker nebula-worker "${PROJECT_SOURCE_DIR}/docs/packaging.md")
endif()

if(TARGET nebula-devserver)
    list(APPEND _components devserver)
    # devserver/CMakeLists.txt installs the binary without a component; this rule puts it in the
    # devserver package (installing the same file twice is harmless).
    # (the binary itself is installed by devserver/CMakeLists.txt, COMPONENT devserver)
    install(FILES "${_pkg}/systemd/nebula-devserver.service"
            DESTINATION "${NEBULA_SYSTEMD_UNIT_DIR}" COMPONENT devserver EXCLUDE_FROM_ALL)
    _nebula_package_docs(devserver nebula-devserver "${PROJECT_SOURCE_DIR}/docs/packaging.md")
endif()

if(TARGET nebula-console)
    list(APPEND _components console)
    # The application icon: the console's own if resources/ has one, else the packaging fallback.
    set(_icon "${_pkg}/nebulaops.svg")
    foreach(_candidate nebulaops.svg nebula-console.svg)
        if(EXISTS "${PROJECT_SOURCE_DIR}/resources/icons/${_candidate}")
            set(_icon "${PROJECT_SOURCE_DIR}/resources/icons/${_candidate}")
            break()
        endif()
    endforeach()
    # (the binary itself is installed by app/CMakeLists.txt, COMPONENT console)
    install(FILES "${_pkg}/dev.nebulaops.Console.desktop"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/applications" COMPONENT console)
    install(FILES "${_pkg}/dev.nebulaops.Console.metainfo.xml"
            DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo" COMPONENT console)
    install(FILES "${_icon}" RENAME dev.nebulaops.Console.svg
            DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps" COMPONENT console)
    _nebula_package_docs(console nebula-console)
endif()

set(CPACK_PACKAGE_NAME "nebulaops")
set(CPACK_PACKAGE_VENDOR "NebulaOps")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${NEBULA_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${_components})
set(CPACK_COMPONENTS_GROUPING IGNORE)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${NEBULA_DEB_RELEASE}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${NEBULA_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_WORKER_PACKAGE_NAME "nebula-worker")
set(CPACK_DEBIAN_WORKER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_WORKER_PACKAGE_RECOMMENDS "ansible-core, nginx-light, openssh-client")
set(CPACK_DEBIAN_WORKER_DESCRIPTION "NebulaOps provisioning worker (Terraform and Ansible over Temporal)
nebula-worker polls a Temporal task queue and runs the NebulaOps provisioning
workflows: Terraform plans and applies the infrastructure, then Ansible
configures it, with live progress reported to the console.
.
The package ships a hardened systemd unit (nebula-worker.service, not enabled
on install) running as the system user nebulaops, the configuration file
/etc/nebulaops/worker.conf and the Terraform modules and Ansible playbooks.
Terraform (>= 1.5) or OpenTofu is not in Debian: install it separately.")
set(CPACK_DEBIAN_WORKER_PACKAGE_CONTROL_EXTRA
    "${_pkg}/deb/worker/conffiles" "${_pkg}/deb/worker/postinst"
    "${_pkg}/deb/worker/prerm" "${_pkg}/deb/worker/postrm")

set(CPACK_DEBIAN_DEVSERVER_PACKAGE_NAME "nebula-devserver")
set(CPACK_DEBIAN_DEVSERVER_DESCRIPTION "NebulaOps development server (Temporal-compatible, SQLite)
nebula-devserver is a single-process server speaking the Temporal
WorkflowService gRPC protocol (the subset NebulaOps clients and workers use),
persisting to SQLite, so that the whole NebulaOps stack runs on one machine.
.
An optional systemd unit, nebula-devserver.service, is included but not
enabled; it listens on 127.0.0.1:7233 and keeps its database in
/var/lib/nebulaops-devserver.")
set(CPACK_DEBIAN_DEVSERVER_PACKAGE_CONTROL_EXTRA
    "${_pkg}/deb/devserver/postinst" "${_pkg}/deb/devserver/prerm" "${_pkg}/deb/devserver/postrm")

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME "nebula-console")
# Qt loads these as plugins, so dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_CONSOLE_DESCRIPTION "NebulaOps console: provision servers durably from the desktop
nebula-console is the Qt operator console of NebulaOps: fill in a resource
form, start a Temporal workflow, and watch Terraform plan, apply and the
Ansible configuration complete live. Runs survive restarts of every part
because Temporal keeps their history. API keys are kept in the desktop
keychain.")

include(CPack)
