#!/bin/sh
# Creates the instance directory. Inputs (environment): INSTANCE_NAME, INSTANCE_DIR, INSTANCE_PORT,
# INSTANCE_ID. Fails when the port is already taken on 127.0.0.1 so that the problem shows up in
# the apply stage rather than later when nginx cannot bind.
set -eu

port_in_use() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
finally:
    s.close()
sys.exit(1)
PY
    else
        return 1
    fi
}

if [ -e "$INSTANCE_DIR" ] && [ ! -f "$INSTANCE_DIR/.nebula-instance" ]; then
    echo "refusing to use $INSTANCE_DIR: it exists and is not a NebulaOps instance directory" >&2
    exit 1
fi
if port_in_use "$INSTANCE_PORT"; then
    echo "port $INSTANCE_PORT on 127.0.0.1 is already in use; choose another port" >&2
    exit 1
fi

umask 022
mkdir -p "$INSTANCE_DIR/conf" "$INSTANCE_DIR/www" "$INSTANCE_DIR/logs" "$INSTANCE_DIR/run" \
    "$INSTANCE_DIR/tmp"
printf '%s\n' "$INSTANCE_NAME" > "$INSTANCE_DIR/.nebula-instance"
printf '{"name":"%s","port":%s,"instance_id":"%s"}\n' "$INSTANCE_NAME" "$INSTANCE_PORT" \
    "$INSTANCE_ID" > "$INSTANCE_DIR/instance.json"
echo "instance $INSTANCE_NAME created in $INSTANCE_DIR (port $INSTANCE_PORT)"
