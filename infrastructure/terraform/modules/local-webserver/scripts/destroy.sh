#!/bin/sh
# Stops the instance's nginx (if running) and removes the instance directory. Inputs
# (environment): INSTANCE_NAME, INSTANCE_DIR. Idempotent: a missing directory is not an error.
set -eu

if [ ! -d "$INSTANCE_DIR" ]; then
    echo "instance directory $INSTANCE_DIR is already gone"
    exit 0
fi
if [ "$(cat "$INSTANCE_DIR/.nebula-instance" 2>/dev/null || true)" != "$INSTANCE_NAME" ]; then
    echo "refusing to remove $INSTANCE_DIR: it is not the instance directory of $INSTANCE_NAME" >&2
    exit 1
fi

pidfile="$INSTANCE_DIR/run/nginx.pid"
if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    # Only signal the pid if it is an nginx started with this instance's prefix.
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
        && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -F -q -- "$INSTANCE_DIR"; then
        # Fast shutdown of master and workers; the daemonised master leads its own process
        # group, so the group is killed if it does not go within 5 seconds.
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "stopped nginx (pid $pid)"
    fi
fi

rm -rf -- "$INSTANCE_DIR"
echo "instance $INSTANCE_NAME removed from $INSTANCE_DIR"
