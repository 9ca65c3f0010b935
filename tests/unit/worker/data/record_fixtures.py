#!/usr/bin/env python3
"""Re-records the real tool output the worker's parser tests run on.

Run from anywhere: python3 tests/unit/worker/data/record_fixtures.py
Needs terraform (>= 1.5), ansible-playbook (ansible-core 2.14) and nginx; no network (the one
"network" failure is a provider mirror on 127.0.0.1:9 that refuses connections). Each fixture is
<name>.jsonl (stdout), <name>.stderr and <name>.exit. Paths under /tmp appear in the output; the
tests do not depend on them.
"""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DATA = pathlib.Path(__file__).resolve().parent
ROOT = DATA.parents[3]
MODULE = ROOT / "infrastructure/terraform/modules/local-webserver"
ANSIBLE = ROOT / "infrastructure/ansible"
SOURCES = DATA / "sources"


def base_env(extra):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
           "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def spawn(argv, cwd, env):
    # Own session and default SIGINT, as the worker's ToolProcess does.
    return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def save(folder, name, out, err, rc):
    (DATA / folder / (name + ".jsonl")).write_bytes(out)
    (DATA / folder / (name + ".stderr")).write_bytes(err)
    (DATA / folder / (name + ".exit")).write_text("%d\n" % rc)
    print("%-10s %-28s exit %d, %d lines" % (folder, name, rc, out.count(b"\n")))


def run(folder, name, argv, cwd, env):
    p = spawn(argv, cwd, env)
    out, err = p.communicate(timeout=300)
    save(folder, name, out, err, p.returncode)
    return out


def run_interrupted(folder, name, argv, cwd, env, marker):
    """Starts argv, waits for a stdout line containing marker, then SIGINTs the process group."""
    p = spawn(argv, cwd, env)
    out = b""
    while marker not in out:
        line = p.stdout.readline()
        if not line:
            break
        out += line
    time.sleep(1)
    os.killpg(p.pid, signal.SIGINT)
    rest, err = p.communicate(timeout=120)
    save(folder, name, out + rest, err, p.returncode)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def terraform(tmp):
    tf_env = base_env({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "TF_CLI_CONFIG_FILE": "/dev/null"})
    ws = tmp / "ws"
    shutil.copytree(MODULE, ws, ignore=shutil.ignore_patterns("README.md"))
    port = free_port()
    (ws / "nebula.auto.tfvars.json").write_text(json.dumps(
        {"name": "web-1", "base_dir": str(tmp / "instances"), "port": port}))
    tf = ["terraform"]
    out = run("terraform", "version", tf + ["version", "-json"], ws, tf_env)
    run("terraform", "init", tf + ["init", "-json", "-input=false"], ws, tf_env)
    run("terraform", "plan-create", tf + ["plan", "-json", "-input=false", "-detailed-exitcode",
                                          "-out=nebula.tfplan"], ws, tf_env)
    run("terraform", "apply-create", tf + ["apply", "-json", "-input=false", "nebula.tfplan"], ws,
        tf_env)
    run("terraform", "output", tf + ["output", "-json"], ws, tf_env)
    run("terraform", "plan-nochange", tf + ["plan", "-json", "-input=false", "-detailed-exitcode",
                                            "-out=nebula.tfplan"], ws, tf_env)
    # A changed port replaces the instance: destroy + create in one apply.
    (ws / "nebula.auto.tfvars.json").write_text(json.dumps(
        {"name": "web-1", "base_dir": str(tmp / "instances"), "port": free_port()}))
    run("terraform", "plan-replace", tf + ["plan", "-json", "-input=false", "-detailed-exitcode",
                                           "-out=nebula.tfplan"], ws, tf_env)
    run("terraform", "apply-replace", tf + ["apply", "-json", "-input=false", "nebula.tfplan"], ws,
        tf_env)
    run("terraform", "destroy", tf + ["destroy", "-json", "-input=false", "-auto-approve"], ws,
        tf_env)

    # Variable validation failure.
    (ws / "nebula.auto.tfvars.json").write_text(json.dumps(
        {"name": "Bad_Name", "base_dir": "relative/dir", "port": 80}))
    run("terraform", "plan-invalid-vars", tf + ["plan", "-json", "-input=false",
                                                "-detailed-exitcode", "-out=nebula.tfplan"], ws,
        tf_env)

    # Provisioner failure: the port is taken when the instance is created.
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        (ws / "nebula.auto.tfvars.json").write_text(json.dumps(
            {"name": "web-1", "base_dir": str(tmp / "instances"),
             "port": blocker.getsockname()[1]}))
        run("terraform", "apply-port-in-use", tf + ["apply", "-json", "-input=false",
                                                    "-auto-approve"], ws, tf_env)

    # Syntax error.
    broken = tmp / "broken"
    shutil.copytree(SOURCES / "tf-broken", broken)
    run("terraform", "plan-syntax-error", tf + ["plan", "-json", "-input=false"], broken, tf_env)

    # Provider download against a mirror that refuses connections.
    prov = tmp / "provider"
    shutil.copytree(SOURCES / "tf-provider", prov)
    run("terraform", "init-provider-unreachable", tf + ["init", "-json", "-input=false"], prov,
        dict(tf_env, TF_CLI_CONFIG_FILE=str(prov / "cli.tfrc")))

    # Interrupted apply, and a state lock held by it.
    slow = tmp / "slow"
    shutil.copytree(SOURCES / "tf-slow", slow)
    run("terraform", "init-slow", tf + ["init", "-json", "-input=false"], slow, tf_env)
    p = spawn(tf + ["apply", "-json", "-input=false", "-auto-approve"], slow, tf_env)
    out = b""
    while b"provision_progress" not in out:
        out += p.stdout.readline()
    run("terraform", "plan-state-locked", tf + ["plan", "-json", "-input=false",
                                                "-lock-timeout=0s"], slow, tf_env)
    os.killpg(p.pid, signal.SIGINT)
    rest, err = p.communicate(timeout=120)
    save("terraform", "apply-interrupted", out + rest, err, p.returncode)


def ansible(tmp):
    home = tmp / "ansible-home"
    env = base_env({
        "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
        "ANSIBLE_STDOUT_CALLBACK": "nebula_jsonl",
        "ANSIBLE_CALLBACK_PLUGINS": str(ANSIBLE / "callback_plugins"),
        "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "ANSIBLE_LOCAL_TEMP": str(home / "tmp"), "ANSIBLE_REMOTE_TEMP": str(home / "remote-tmp"),
    })
    inst = tmp / "instances" / "web-2"
    for d in ("conf", "www", "logs", "run", "tmp"):
        (inst / d).mkdir(parents=True, exist_ok=True)

    def local_inventory(port):
        host = {"ansible_connection": "local",
                "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                "nebula_target": "local", "nebula_resource_name": "web-2",
                "nginx_instance_dir": str(inst), "nginx_port": port,
                "nginx_local_user": "root" if os.geteuid() == 0 else ""}
        path = tmp / "inventory.json"
        path.write_text(json.dumps({"all": {"children": {"nebula": {"hosts": {"web-2": host}}}}}))
        return str(path)

    playbook = str(ANSIBLE / "configure.yml")
    try:
        # The port is busy: starting nginx fails (a real failed task).
        with socket.socket() as blocker:
            blocker.bind(("127.0.0.1", 0))
            blocker.listen(1)
            inv = local_inventory(blocker.getsockname()[1])
            run("ansible", "failed-task", ["ansible-playbook", "-i", inv, playbook], tmp, env)
        inv = local_inventory(free_port())
        run("ansible", "configure-first", ["ansible-playbook", "-i", inv, playbook], tmp, env)
        run("ansible", "configure-second", ["ansible-playbook", "-i", inv, playbook], tmp, env)
    finally:
        pid = inst / "run" / "nginx.pid"
        if pid.exists():
            os.kill(int(pid.read_text().strip()), signal.SIGTERM)

    ssh_inv = tmp / "ssh-inventory.json"
    ssh_inv.write_text(json.dumps({"all": {"children": {"nebula": {"hosts": {"web-3": {
        "ansible_host": "127.0.0.1", "ansible_port": 9, "ansible_user": "admin",
        "ansible_become": True}}}}}}))
    run("ansible", "unreachable", ["ansible-playbook", "-i", str(ssh_inv),
                                   str(SOURCES / "ping.yml")], tmp, env)
    run("ansible", "syntax-error", ["ansible-playbook", "-i", str(ssh_inv),
                                    str(SOURCES / "tf-broken" / "main.tf")], tmp, env)
    local_inv = tmp / "local-inventory.json"
    local_inv.write_text(json.dumps({"all": {"hosts": {"localhost": {
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}))
    run_interrupted("ansible", "interrupted", ["ansible-playbook", "-i", str(local_inv),
                                               str(SOURCES / "slow.yml")], tmp, env,
                    b"playbook_on_task_start")


def main():
    with tempfile.TemporaryDirectory(prefix="nebula-fixtures-") as tmp:
        terraform(pathlib.Path(tmp))
        ansible(pathlib.Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
