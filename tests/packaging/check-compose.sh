#!/usr/bin/env bash
# Validates docker-compose.yml without a container engine: `docker-compose config` (Debian's
# docker-compose) or `docker compose config` (the Compose v2 plugin) must accept it, must reject a
# deliberately broken copy, and the resolved configuration must have the services, pinned images,
# health checks, named volumes and dependencies the team stack relies on. Also checks that every
# path packaging/worker.Containerfile copies from the build context exists.
# Exit 77 (skipped) when no compose implementation is installed.
set -uo pipefail

src=${1:?source directory}
compose_file="$src/docker-compose.yml"
containerfile="$src/packaging/worker.Containerfile"

if command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    echo "SKIP: neither docker-compose nor the docker compose plugin is installed (apt-get install docker-compose)"
    exit 77
fi
echo "using: ${compose[*]} ($("${compose[@]}" version 2>/dev/null | head -n1))"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nebula-compose.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Interpolation must not pick up the caller's settings: the defaults are what is checked.
unset NEBULA_PUBLISH_ADDRESS NEBULA_POSTGRES_PASSWORD COMPOSE_FILE COMPOSE_PROJECT_NAME

if "${compose[@]}" -f "$compose_file" config >"$work/resolved.yml" 2>"$work/err"; then
    pass "${compose[*]} config accepts docker-compose.yml"
else
    cat "$work/err"
    fail "${compose[*]} config rejects docker-compose.yml"
fi
if grep -iq "warn" "$work/err"; then
    fail "compose printed warnings: $(cat "$work/err")"
fi

# The validator itself must be able to fail: an unknown depends_on condition.
sed 's/condition: service_healthy/condition: service_eventually_fine/' "$compose_file" >"$work/broken.yml"
if "${compose[@]}" -f "$work/broken.yml" --project-directory "$src" config >/dev/null 2>&1; then
    fail "${compose[*]} config accepted a file with an invalid depends_on condition"
else
    pass "${compose[*]} config rejects an invalid depends_on condition"
fi

if [[ ! -s "$work/resolved.yml" ]]; then
    :  # nothing resolved to inspect; the failure is reported above
elif python3 -c 'import yaml' 2>/dev/null; then
    python3 - "$work/resolved.yml" "$src" <<'EOF' || failures=$((failures + 1))
import os, re, sys, yaml

config = yaml.safe_load(open(sys.argv[1])) or {}
src = sys.argv[2]
services = config.get("services", {})
problems = []

expected = {"postgresql", "temporal", "temporal-ui", "nebula-worker"}
if set(services) != expected:
    problems.append(f"services are {sorted(services)}, expected {sorted(expected)}")

for name, svc in services.items():
    image = svc.get("image", "")
    tag = image.rpartition(":")[2] if ":" in image else ""
    if not re.fullmatch(r"\d+(\.\d+)+", tag):
        problems.append(f"{name}: image {image!r} is not pinned to a version tag")
    if not svc.get("healthcheck", {}).get("test"):
        problems.append(f"{name}: no health check")

def needs_healthy(name, dep):
    cond = (services.get(name, {}).get("depends_on") or {}).get(dep, {}).get("condition")
    if cond != "service_healthy":
        problems.append(f"{name} must depend on {dep} with condition service_healthy (has {cond!r})")

needs_healthy("temporal", "postgresql")
needs_healthy("temporal-ui", "temporal")
needs_healthy("nebula-worker", "temporal")

worker = services.get("nebula-worker", {})
if worker.get("environment", {}).get("TEMPORAL_ADDRESS") != "temporal:7233":
    problems.append("nebula-worker: TEMPORAL_ADDRESS must be temporal:7233")
build = worker.get("build", {})
dockerfile = os.path.join(build.get("context", src), build.get("dockerfile", ""))
if not os.path.isfile(dockerfile):
    problems.append(f"nebula-worker: build file {dockerfile} does not exist")

if "postgres12" != services.get("temporal", {}).get("environment", {}).get("DB"):
    problems.append("temporal: DB must be postgres12 (PostgreSQL persistence)")

declared = set((config.get("volumes") or {}).keys())
for name, mount in (("postgresql", "/var/lib/postgresql/data"), ("nebula-worker", "/var/lib/nebulaops")):
    vols = services.get(name, {}).get("volumes", [])
    sources = [v.get("source") if isinstance(v, dict) else v.split(":")[0] for v in vols
               if (v.get("target") if isinstance(v, dict) else v.split(":")[1]) == mount]
    if not sources or sources[0] not in declared:
        problems.append(f"{name}: {mount} is not on a named volume")

for name in ("temporal", "temporal-ui"):
    for port in services.get(name, {}).get("ports", []):
        host_ip = port.get("host_ip") if isinstance(port, dict) else port.split(":")[0]
        if host_ip != "127.0.0.1":
            problems.append(f"{name}: port {port} is not published on 127.0.0.1 by default")

for p in problems:
    print("FAIL:", p)
if not problems:
    print("ok:   services, pinned images, health checks, service_healthy dependencies, named volumes, loopback ports")
sys.exit(1 if problems else 0)
EOF
else
    echo "note: python3-yaml not installed: resolved configuration not inspected"
fi

# Every build-context path the worker Containerfile copies must exist in the repository.
while read -r source; do
    if [[ -e "$src/$source" ]]; then
        pass "Containerfile source $source exists"
    else
        fail "packaging/worker.Containerfile copies $source, which does not exist"
    fi
done < <(sed -n -E 's/^COPY +([^-][^ ]*( +[^ ]+)*) +[^ ]+$/\1/p' "$containerfile" | tr ' ' '\n' | grep -v '^$')

if ((failures)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all compose checks passed"
