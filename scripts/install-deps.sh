#!/usr/bin/env bash
# Installs what NebulaOps needs to build and test from Debian packages, idempotently: only missing
# packages are installed, and each is named before it is. Uses sudo when not root. Then reports the
# external tools the worker drives (terraform/tofu, ansible-playbook, nginx, xvfb-run, a Secret
# Service for keychain tests) and how to get any that are missing.
#
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --check    only report, install nothing (exit 1 if anything is missing)
set -euo pipefail

check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

build_pkgs=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-qpa-plugins libgl-dev qtkeychain-qt6-dev
    libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
    libspdlog-dev libfmt-dev libsqlite3-dev libssl-dev
)
test_pkgs=(
    ansible-core nginx-light xvfb xauth dbus dbus-user-session gnome-keyring libsecret-tools
    python3 procps iproute2 dpkg-dev file docker-compose appstream desktop-file-utils
)

missing=()
for pkg in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
# npm fetches the pinned Temporal API package once (and runs the TypeScript SDK interop test).
# Any npm will do; Debian's is installed only when there is none.
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi

if ((${#missing[@]})); then
    if ((check_only)); then
        echo "Missing Debian packages: ${missing[*]}"
    else
        echo "Installing missing Debian packages: ${missing[*]}"
        sudo=""
        if [[ $(id -u) -ne 0 ]]; then
            command -v sudo >/dev/null || { echo "error: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
            sudo="sudo"
        fi
        export DEBIAN_FRONTEND=noninteractive
        # Refresh the package lists when they are absent or older than a day.
        if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]]; then
            $sudo apt-get update -q
        fi
        $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
else
    echo "All build and test packages are installed."
fi

status=0
report() { printf '  %-22s %s\n' "$1" "$2"; }
echo "External tools:"
tf=""
for candidate in terraform tofu; do
    if command -v "$candidate" >/dev/null 2>&1; then tf="$candidate"; break; fi
done
if [[ -n "$tf" ]]; then
    version=$("$tf" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n1)
    [[ -z "$version" ]] && version=$("$tf" version 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1)
    major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
    if [[ -n "$version" && ( "$major" -gt 1 || ( "$major" -eq 1 && "$minor" -ge 5 ) ) ]]; then
        report "$tf" "$version ($(command -v "$tf"))"
    else
        report "$tf" "version ${version:-unknown} is too old: NebulaOps needs Terraform >= 1.5 or OpenTofu"
        status=1
    fi
else
    report "terraform/tofu" "MISSING: install Terraform >= 1.5 (HashiCorp's apt repository or release zip) or OpenTofu (tofu); tests that provision are skipped without it"
    status=1
fi
if command -v ansible-playbook >/dev/null 2>&1; then
    report ansible-playbook "$(ansible-playbook --version 2>/dev/null | head -n1)"
else
    report ansible-playbook "MISSING: sudo apt-get install ansible-core"; status=1
fi
if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
    report nginx "$(/usr/sbin/nginx -v 2>&1 | head -n1)"
else
    report nginx "MISSING: sudo apt-get install nginx-light"; status=1
fi
if command -v xvfb-run >/dev/null 2>&1; then
    report xvfb-run "present"
else
    report xvfb-run "MISSING: sudo apt-get install xvfb xauth"; status=1
fi
if command -v gnome-keyring-daemon >/dev/null 2>&1 && command -v dbus-run-session >/dev/null 2>&1; then
    report "Secret Service" "gnome-keyring $(gnome-keyring-daemon --version 2>/dev/null | grep -oE '[0-9.]+' | head -n1) with dbus-run-session (tests start their own)"
else
    report "Secret Service" "MISSING: sudo apt-get install gnome-keyring dbus-user-session"; status=1
fi
if command -v npm >/dev/null 2>&1; then
    report npm "$(npm --version 2>/dev/null)"
else
    report npm "MISSING: sudo apt-get install npm"; status=1
fi
# Missing external tools are reported, not fatal: the tests that need them say so and skip.
if ((check_only)); then
    ((${#missing[@]})) && status=1
    exit $status
fi
exit 0
