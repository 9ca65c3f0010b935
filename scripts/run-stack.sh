#!/usr/bin/env bash
# `make run`: the whole NebulaOps stack on this machine. Starts nebula-devserver (its database in
# the user's data directory, so resources survive between runs) and a nebula-worker for the local
# target, then nebula-console in the foreground. Closing the console stops what this script started.
#
#   scripts/run-stack.sh [BUILD_DIR]      (default build/ci)
# Environment: NEBULA_PORT (default 7233), NEBULA_DATA_DIR (default $XDG_DATA_HOME/nebulaops).
set -euo pipefail

build=${1:-build/ci}
port=${NEBULA_PORT:-7233}
data=${NEBULA_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/nebulaops}
logs="$data/logs"

fail() { echo "make run: $*" >&2; exit 1; }

devserver="$build/devserver/nebula-devserver"
worker="$build/worker/nebula-worker"
console="$build/app/nebula-console"
missing=()
[[ -x "$devserver" ]] || missing+=("nebula-devserver ($devserver)")
[[ -x "$worker" ]] || missing+=("nebula-worker ($worker)")
[[ -x "$console" ]] || missing+=("nebula-console ($console)")
if ((${#missing[@]})); then
    fail "not built: ${missing[*]}. Run 'make build' and read its errors."
fi

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
    fail "no display: nebula-console is a desktop application. Run make run inside a desktop session (or under 'xvfb-run -a make run' to try it headless)."
fi

# The port must be free: say who holds it and what to do.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    holder=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*' | head -n1 | sed 's/users:((//')
    fail "port $port on 127.0.0.1 is already in use${holder:+ by $holder}. Stop that program, or choose another port: make run NEBULA_PORT=7300"
fi

for tool in ansible-playbook; do
    command -v "$tool" >/dev/null || echo "make run: warning: $tool is missing, so provisioning will fail at the configure stage. Install it: sudo apt-get install ansible-core" >&2
done
if ! command -v terraform >/dev/null && ! command -v tofu >/dev/null; then
    echo "make run: warning: neither terraform nor tofu is on PATH, so provisioning will fail at the plan stage. Install Terraform >= 1.5 or OpenTofu." >&2
fi

mkdir -p "$logs" "$data/worker"
pids=()
cleanup() {
    trap - EXIT INT TERM
    # Stop in reverse order: the worker first (it finishes or cancels running tools), then the server.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${pids[i]}" 2>/dev/null || true
        for _ in $(seq 1 400); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "${pids[i]}" 2>/dev/null || true
    done
}
trap cleanup EXIT INT TERM

echo "Starting nebula-devserver on 127.0.0.1:$port (database $data/devserver.db, log $logs/devserver.log)"
"$devserver" --bind 127.0.0.1 --port "$port" --db "$data/devserver.db" >>"$logs/devserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || { tail -n 20 "$logs/devserver.log" >&2; fail "nebula-devserver exited; its log is above."; }
    sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "nebula-devserver did not open port $port within 15 s; see $logs/devserver.log"

echo "Starting nebula-worker (data $data/worker, log $logs/worker.log)"
"$worker" --address "127.0.0.1:$port" --data-dir "$data/worker" >>"$logs/worker.log" 2>&1 &
pids+=($!)

echo "Starting nebula-console; close its window to stop everything."
TEMPORAL_ADDRESS="127.0.0.1:$port" "$console" || true
