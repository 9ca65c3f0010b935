#!/bin/sh
# Runs a test inside a private D-Bus session with an unlocked gnome-keyring (Secret Service) whose
# data lives in a temporary HOME, so the user's real keyrings are never touched. When no keyring
# can be started the test still runs and skips itself, saying why (NEBULA_KEYRING_REASON).
set -u
test_binary="$1"; shift
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    NEBULA_KEYRING=missing NEBULA_KEYRING_REASON="dbus-run-session or gnome-keyring-daemon is not installed" \
        exec "$test_binary" "$@"
fi
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/nebula-keyring.XXXXXX") || exit 1
trap 'rm -rf "$sandbox"' EXIT INT TERM
mkdir -p "$sandbox/home" "$sandbox/runtime" && chmod 700 "$sandbox/runtime"
HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/home/.local/share" XDG_RUNTIME_DIR="$sandbox/runtime" \
dbus-run-session -- sh -c '
    if printf "test" | gnome-keyring-daemon --unlock --components=secrets >"$XDG_RUNTIME_DIR/keyring.env" 2>&1; then
        NEBULA_KEYRING=ready; export NEBULA_KEYRING
    else
        NEBULA_KEYRING=failed; NEBULA_KEYRING_REASON="gnome-keyring-daemon did not start: $(cat "$XDG_RUNTIME_DIR/keyring.env")"
        export NEBULA_KEYRING NEBULA_KEYRING_REASON
    fi
    "$@"; status=$?
    exit $status
' sh "$test_binary" "$@"
