#!/usr/bin/env bash
# Builds the Debian packages from a build tree with CPack, then checks each one without installing
# anything: control fields, the file list, the maintainer scripts, the metadata files (AppStream,
# desktop entry, systemd units, with the validators that are installed), and runs the packaged
# binaries from an extracted copy with --version.
#
#   check-packages.sh BUILD_DIR VERSION PACKAGE...      (PACKAGE: nebula-worker, nebula-devserver, nebula-console)
# shellcheck disable=SC2015  # `cond && pass ... || fail ...` is safe: pass() always succeeds.
set -uo pipefail

build_dir=${1:?build directory}
version=${2:?project version}
shift 2
packages=("$@")
((${#packages[@]})) || { echo "no packages to check"; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }
note() { echo "note: $*"; }

for tool in cpack dpkg-deb dpkg; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (apt-get install dpkg-dev cmake)"; exit 1; }
done
command -v dpkg-shlibdeps >/dev/null || { echo "FAIL: dpkg-shlibdeps is missing (apt-get install dpkg-dev)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nebula-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. Build the packages into a scratch directory (never into the build tree's packages/). With
# Ninja, cpack installs what is built without building first; the fixture test has built the
# packaged programs. PACKAGES limits the components to the ones asked for.
components=()
for pkg in "${packages[@]}"; do components+=("${pkg#nebula-}"); done
if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" \
        -D "CPACK_COMPONENTS_ALL=$(IFS=';'; echo "${components[*]}")" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "FAIL: cpack did not build the packages (log above)"
    exit 1
fi
grep -iE "warning|error" "$work/cpack.log" | grep -v "^CPack: -" && note "cpack printed the warnings above"

arch=$(dpkg --print-architecture)
deb_for() {
    local f
    for f in "$work/out/$1_${version}-"*"_${arch}.deb"; do [[ -f "$f" ]] && { echo "$f"; return; }; done
}
built=$(cd "$work/out" && echo ./*.deb)
echo "built: $built"

expect_field() { # deb field pattern description
    local value
    value=$(dpkg-deb -f "$1" "$2" 2>/dev/null)
    if [[ "$value" =~ $3 ]]; then pass "$(basename "$1"): $2 $4"; else fail "$(basename "$1"): $2 is \"$value\", expected $4"; fi
}
expect_file() { # listing path [mode-prefix]
    local line
    line=$(grep -E " \.$2\$" "$1" | head -n1)
    if [[ -z "$line" ]]; then fail "missing $2"; return; fi
    if [[ -n "${3:-}" && "$line" != "$3"* ]]; then fail "$2 has mode/owner \"${line:0:25}\", expected $3"; return; fi
    pass "contains $2"
}

# The unit directory is a build setting (/lib/systemd/system on bookworm, /usr/lib/... later).
unit_path() { # root unit
    local candidate
    for candidate in "$1/lib/systemd/system/$2" "$1/usr/lib/systemd/system/$2"; do
        [[ -f "$candidate" ]] && { echo "$candidate"; return; }
    done
    echo "$1/lib/systemd/system/$2"
}
expect_unit() { # listing unit
    if grep -qE " \./(usr/)?lib/systemd/system/$2\$" "$1"; then
        expect_file "$1" "$(grep -oE "/(usr/)?lib/systemd/system/$2\$" "$1" | head -n1)" "-rw-r--r-- root/root"
    else
        fail "missing systemd unit $2 (in /lib/systemd/system or /usr/lib/systemd/system)"
    fi
}

validate_units() { # root unit...
    local root=$1; shift
    if ! command -v systemd-analyze >/dev/null; then note "systemd-analyze not installed: units not verified"; return; fi
    mkdir -p "$work/units"
    for unit in "$@"; do
        # verify checks that ExecStart exists: point it at the extracted binary.
        sed -E "s|=/usr/bin/|=$root/usr/bin/|" "$(unit_path "$root" "$unit")" >"$work/units/$unit"
        if out=$(cd "$work/units" && systemd-analyze verify "$work/units/$unit" 2>&1) && [[ -z "$out" ]]; then
            pass "systemd-analyze verify $unit"
        else
            fail "systemd-analyze verify $unit: $out"
        fi
        exposure=$(systemd-analyze security --offline=yes "$work/units/$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        [[ -n "$exposure" ]] && note "$unit: systemd-analyze security exposure $exposure (0 = most restricted, 10 = none)"
    done
}

# Runs a maintainer script with every command it may call replaced by a stub that logs its
# arguments, so the control flow is checked without root and without touching the system.
# USER_EXISTS=0|1 decides what `getent passwd` answers.
run_script() { # control-dir script user-exists args...
    local dir=$1 script=$2 exists=$3; shift 3
    local stubs="$work/stubs" log="$work/stubs.log"
    mkdir -p "$stubs"
    : >"$log"
    for cmd in adduser chown chmod mkdir rm dpkg-statoverride deb-systemd-helper deb-systemd-invoke systemctl; do
        printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$cmd" "$log" >"$stubs/$cmd"
    done
    printf '#!/bin/sh\necho "getent $*" >>"%s"\nexit %s\n' "$log" "$((exists ? 0 : 2))" >"$stubs/getent"
    printf '#!/bin/sh\necho "dpkg-statoverride $*" >>"%s"\nexit 1\n' "$log" >"$stubs/dpkg-statoverride"
    chmod +x "$stubs"/*
    PATH="$stubs" /bin/sh "$dir/$script" "$@" >/dev/null 2>&1
}
expect_log() { # description pattern
    if grep -qE "$2" "$work/stubs.log"; then pass "$1"; else fail "$1 (calls: $(tr '\n' ';' <"$work/stubs.log"))"; fi
}
expect_no_log() { # description pattern
    if grep -qE "$2" "$work/stubs.log"; then fail "$1 (calls: $(tr '\n' ';' <"$work/stubs.log"))"; else pass "$1"; fi
}

run_version() { # binary expected-name [env...]
    local bin=$1 name=$2; shift 2
    local out
    if out=$(env "$@" HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" timeout 30 "$bin" --version 2>"$work/stderr") \
        && grep -qx "$name $version" <<<"$out"; then
        pass "$name --version: $out"
    else
        fail "$name --version printed \"$out\" $(cat "$work/stderr") (expected \"$name $version\")"
    fi
}

mkdir -p "$work/home" "$work/runtime"
chmod 0700 "$work/runtime"
for pkg in "${packages[@]}"; do
    echo "== $pkg"
    [[ -n "$(deb_for "$pkg")" ]] && note "Depends: $(dpkg-deb -f "$(deb_for "$pkg")" Depends)"
    deb=$(deb_for "$pkg")
    if [[ -z "$deb" ]]; then fail "no ${pkg}_${version}-*_${arch}.deb was built"; continue; fi
    list="$work/$pkg.list"
    dpkg-deb -c "$deb" >"$list"
    root="$work/root-$pkg"
    mkdir -p "$root" "$work/control-$pkg"
    dpkg-deb -x "$deb" "$root"
    dpkg-deb -e "$deb" "$work/control-$pkg"

    expect_field "$deb" Package "^$pkg\$" "= $pkg"
    expect_field "$deb" Version "^${version//./\\.}-[0-9]+\$" "= $version-<revision>"
    expect_field "$deb" Architecture "^$arch\$" "= $arch"
    expect_field "$deb" Maintainer ".+<.+@.+>" "names a maintainer"
    expect_field "$deb" Depends "libc6 \(>= " "has shlibdeps dependencies"
    expect_field "$deb" Description ".+" "is present"
    expect_file "$list" "/usr/bin/$pkg" "-rwxr-xr-x root/root"
    expect_file "$list" "/usr/share/doc/$pkg/copyright" "-rw-r--r-- root/root"
    expect_file "$list" "/usr/share/doc/$pkg/changelog.Debian.gz" "-rw-r--r-- root/root"
    if zcat "$root/usr/share/doc/$pkg/changelog.Debian.gz" 2>/dev/null | head -n1 | grep -qF "$pkg ($(dpkg-deb -f "$deb" Version))"; then
        pass "changelog.Debian.gz starts with $pkg ($(dpkg-deb -f "$deb" Version))"
    else
        fail "changelog.Debian.gz does not start with the package's name and version"
    fi
    if grep -qE '\.debug_info' <(objdump -h "$root/usr/bin/$pkg" 2>/dev/null); then
        fail "$pkg binary is not stripped"
    else
        pass "$pkg binary is stripped"
    fi
    if grep -E " \./usr/local/|__pycache__|\.pyc\$|/\.terraform/" "$list"; then fail "$pkg ships files it should not (above)"; fi

    case "$pkg" in
    nebula-worker)
        expect_field "$deb" Depends "(^|, )adduser(,|\$| )" "includes adduser"
        expect_field "$deb" Recommends "ansible-core" "includes ansible-core"
        expect_field "$deb" Recommends "nginx-light" "includes nginx-light"
        expect_unit "$list" nebula-worker.service
        expect_file "$list" /etc/nebulaops/worker.conf "-rw-r--r-- root/root"
        expect_file "$list" /usr/share/nebulaops/infrastructure/terraform/modules/local-webserver/main.tf
        expect_file "$list" /usr/share/nebulaops/infrastructure/terraform/modules/local-webserver/scripts/create.sh
        # Terraform runs these through /bin/sh, so the mode is cosmetic (lintian would flag it).
        grep -qE "^-rwx.* \./usr/share/nebulaops/infrastructure/.*/scripts/create\.sh\$" "$list" \
            || note "infrastructure scripts are installed without the executable bit (worker/CMakeLists.txt: USE_SOURCE_PERMISSIONS)"
        expect_file "$list" /usr/share/nebulaops/infrastructure/ansible/configure.yml
        expect_file "$list" /usr/share/nebulaops/infrastructure/ansible/roles/nginx/tasks/main.yml
        expect_file "$list" /usr/share/nebulaops/infrastructure/ansible/callback_plugins/nebula_jsonl.py
        expect_file "$list" /usr/share/doc/nebula-worker/packaging.md
        if grep -qx /etc/nebulaops/worker.conf "$work/control-$pkg/conffiles" 2>/dev/null; then
            pass "worker.conf is a conffile"
        else
            fail "/etc/nebulaops/worker.conf is not listed in conffiles"
        fi
        for script in postinst prerm postrm; do
            if [[ -x "$work/control-$pkg/$script" ]] && head -n1 "$work/control-$pkg/$script" | grep -q '^#!/bin/sh' \
                && grep -q '^set -e' "$work/control-$pkg/$script" && sh -n "$work/control-$pkg/$script"; then
                pass "$script is an executable, parseable sh script with set -e"
            else
                fail "$script is missing, not executable, or not a valid sh script with set -e"
            fi
        done
        ctl="$work/control-$pkg"
        if run_script "$ctl" postinst 0 configure ""; then pass "postinst configure (fresh install) succeeds"; else fail "postinst configure failed"; fi
        expect_log "fresh install creates the system user nebulaops with home /var/lib/nebulaops" \
            "^adduser --system --group --home /var/lib/nebulaops .*nebulaops\$"
        expect_log "fresh install makes /var/lib/nebulaops owned by nebulaops" "^chown nebulaops:nebulaops /var/lib/nebulaops\$"
        expect_log "postinst records the unit for deb-systemd-helper" "^deb-systemd-helper update-state nebula-worker.service\$"
        expect_no_log "postinst does not enable the unit" "deb-systemd-helper enable|systemctl enable"
        run_script "$ctl" postinst 1 configure 0.0.9-1 || fail "postinst configure (upgrade) failed"
        expect_no_log "upgrade keeps the existing user (idempotent)" "^adduser"
        if run_script "$ctl" postrm 1 purge; then pass "postrm purge succeeds"; else fail "postrm purge failed"; fi
        expect_log "purge forgets the unit's state" "^deb-systemd-helper purge nebula-worker.service\$"
        expect_no_log "purge keeps /var/lib/nebulaops (Terraform state)" "^rm "
        run_script "$ctl" postrm 1 remove || fail "postrm remove failed"
        run_script "$ctl" prerm 1 upgrade || fail "prerm upgrade failed"
        expect_no_log "prerm upgrade does not stop the service" "stop"
        unit=$(unit_path "$root" nebula-worker.service)
        for setting in "User=nebulaops" "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" \
            "ReadWritePaths=/var/lib/nebulaops" "CapabilityBoundingSet=" "SystemCallFilter=@system-service" \
            "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
            "ExecStart=/usr/bin/nebula-worker --config /etc/nebulaops/worker.conf --data-dir /var/lib/nebulaops"; do
            grep -qxF "$setting" "$unit" || fail "nebula-worker.service lacks $setting"
        done
        validate_units "$root" nebula-worker.service
        run_version "$root/usr/bin/nebula-worker" nebula-worker
        # The shipped configuration (every setting commented) must parse, and the extracted worker
        # must find its infrastructure next to itself. --check exits 1 when terraform or ansible is
        # missing, 2 for configuration errors.
        out=$(HOME="$work/home" timeout 60 "$root/usr/bin/nebula-worker" --config "$root/etc/nebulaops/worker.conf" \
            --data-dir "$work/data" --check 2>&1)
        status=$?
        if ((status == 0 || status == 1)); then
            pass "worker accepts the packaged worker.conf and finds its infrastructure (--check: $(grep -m1 "configuration ok" <<<"$out"))"
        else
            fail "worker --check with the packaged worker.conf exited $status: $out"
        fi
        ;;
    nebula-devserver)
        expect_unit "$list" nebula-devserver.service
        expect_file "$list" /usr/share/doc/nebula-devserver/packaging.md
        grep -qx "StateDirectory=nebulaops-devserver" "$(unit_path "$root" nebula-devserver.service)" \
            && pass "devserver unit keeps its database in /var/lib/nebulaops-devserver" \
            || fail "devserver unit lacks StateDirectory=nebulaops-devserver"
        for script in postinst prerm postrm; do
            [[ -x "$work/control-$pkg/$script" ]] && sh -n "$work/control-$pkg/$script" \
                || fail "$pkg $script missing or invalid"
        done
        ctl="$work/control-$pkg"
        if run_script "$ctl" postinst 0 configure ""; then pass "postinst configure succeeds"; else fail "postinst configure failed"; fi
        expect_no_log "devserver postinst creates no account (DynamicUser)" "^adduser"
        expect_no_log "devserver postinst does not enable the unit" "deb-systemd-helper enable|systemctl enable"
        if run_script "$ctl" postrm 0 purge; then pass "postrm purge succeeds"; else fail "postrm purge failed"; fi
        expect_log "purge deletes the dev server's database" "^rm -rf /var/lib/private/nebulaops-devserver /var/lib/nebulaops-devserver\$"
        run_script "$ctl" postrm 0 remove || fail "postrm remove failed"
        expect_no_log "remove keeps the dev server's database" "^rm "
        validate_units "$root" nebula-devserver.service
        run_version "$root/usr/bin/nebula-devserver" nebula-devserver
        ;;
    nebula-console)
        expect_field "$deb" Depends "qt6-qpa-plugins" "includes qt6-qpa-plugins"
        expect_field "$deb" Depends "libqt6sql6-sqlite" "includes libqt6sql6-sqlite"
        expect_file "$list" /usr/share/applications/dev.nebulaops.Console.desktop "-rw-r--r-- root/root"
        expect_file "$list" /usr/share/metainfo/dev.nebulaops.Console.metainfo.xml "-rw-r--r-- root/root"
        expect_file "$list" /usr/share/icons/hicolor/scalable/apps/dev.nebulaops.Console.svg "-rw-r--r-- root/root"
        desktop="$root/usr/share/applications/dev.nebulaops.Console.desktop"
        metainfo="$root/usr/share/metainfo/dev.nebulaops.Console.metainfo.xml"
        grep -qx "Exec=nebula-console" "$desktop" && grep -qx "Icon=dev.nebulaops.Console" "$desktop" \
            && pass "desktop entry starts nebula-console with the packaged icon" \
            || fail "desktop entry Exec/Icon do not match the packaged binary and icon"
        if command -v desktop-file-validate >/dev/null; then
            out=$(desktop-file-validate "$desktop" 2>&1) && pass "desktop-file-validate" || fail "desktop-file-validate: $out"
        else
            note "desktop-file-validate not installed: desktop entry not validated"
        fi
        if command -v appstreamcli >/dev/null; then
            out=$(appstreamcli validate --no-net "$metainfo" 2>&1) && pass "appstreamcli validate" \
                || fail "appstreamcli validate: $out"
        else
            note "appstreamcli not installed: AppStream metadata not validated"
        fi
        grep -q "<release version=\"$version\"" "$metainfo" && pass "metainfo lists release $version" \
            || fail "metainfo has no <release version=\"$version\">: add the release to packaging/dev.nebulaops.Console.metainfo.xml"
        grep -q "<svg" "$root/usr/share/icons/hicolor/scalable/apps/dev.nebulaops.Console.svg" && pass "icon is an SVG" \
            || fail "the packaged icon is not an SVG"
        run_version "$root/usr/bin/nebula-console" nebula-console QT_QPA_PLATFORM=offscreen
        ;;
    esac
done

if command -v lintian >/dev/null; then
    echo "== lintian"
    for deb in "$work"/out/*.deb; do
        lintian --fail-on error "$deb" || fail "lintian reports errors for $(basename "$deb")"
    done
else
    note "lintian not installed: packages not linted"
fi

if ((failures)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all package checks passed"
