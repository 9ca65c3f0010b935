# NebulaOps stdout callback: one JSON object per line on stdout, one line per callback event.
#
# The nebula-worker reads these lines live (worker/tools/ansibleeventparser.cpp). Every object has
# "event" (the callback name without the "v2_" prefix, e.g. "runner_on_ok"), "time" (UTC,
# ISO 8601) and, where they apply, "playbook", "play", "task", "task_action", "host", "changed",
# "msg", "rc" and "stats". Results of tasks marked no_log are never printed. Only a short message is
# printed for a result (msg, or the tail of stderr/stdout), never the whole result dictionary,
# so that module arguments and registered values stay out of the worker's logs.
#
# Enable: ANSIBLE_CALLBACK_PLUGINS=<this dir> ANSIBLE_STDOUT_CALLBACK=nebula_jsonl
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: nebula_jsonl
    type: stdout
    short_description: one JSON object per line for the NebulaOps worker
    description:
      - Prints playbook, play, task, handler, per-host result and final stats events as JSON
        lines on stdout. Warnings and errors stay on stderr.
"""

import datetime
import json
import os
import sys

from ansible.plugins.callback import CallbackBase

MSG_LIMIT = 2000


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _tail(text, limit=MSG_LIMIT):
    text = text if isinstance(text, str) else str(text)
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


def _result_message(result, failed=False):
    if result.get("_ansible_no_log") or result.get("censored"):
        return "the output has been hidden because of no_log"
    msg = _tail(result.get("msg") or "")
    output = ""
    for key in ("stderr", "module_stderr", "stdout", "module_stdout"):
        if result.get(key):
            output = _tail(result[key])
            break
    if msg and output and failed:
        # "non-zero return code" alone does not say what went wrong; the command's output does.
        return msg + ": " + output
    return msg or output


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "nebula_jsonl"

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._play = None
        self._task = None

    def _emit(self, event, **fields):
        fields["event"] = event
        fields["time"] = _now()
        line = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        # Straight to stdout and flushed: the worker shows progress live through a pipe.
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def _task_fields(self, task):
        return {"task": task.get_name().strip(), "task_action": task.action,
                "task_id": str(task._uuid)}

    def _result(self, event, result, failed=False, **extra):
        res = result._result
        fields = self._task_fields(result._task)
        fields.update(host=result._host.get_name(), changed=bool(res.get("changed", False)))
        if "rc" in res and isinstance(res.get("rc"), int):
            fields["rc"] = res["rc"]
        fields.update(extra)
        message = _result_message(res, failed)
        if message:
            fields["msg"] = message
        if res.get("_ansible_item_label") is not None and not res.get("_ansible_no_log"):
            fields["item"] = _tail(res.get("_ansible_item_label"), 200)
        self._emit(event, **fields)

    def v2_playbook_on_start(self, playbook):
        self._emit("playbook_on_start", playbook=os.path.basename(playbook._file_name))

    def v2_playbook_on_play_start(self, play):
        self._play = play
        self._emit("playbook_on_play_start", play=play.get_name().strip(),
                   play_id=str(play._uuid))

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit("playbook_on_task_start", **self._task_fields(task))

    def v2_playbook_on_handler_task_start(self, task):
        self._emit("playbook_on_handler_task_start", **self._task_fields(task))

    def v2_playbook_on_cleanup_task_start(self, task):
        self._emit("playbook_on_cleanup_task_start", **self._task_fields(task))

    def v2_playbook_on_no_hosts_matched(self):
        self._emit("playbook_on_no_hosts_matched")

    def v2_playbook_on_no_hosts_remaining(self):
        self._emit("playbook_on_no_hosts_remaining")

    def v2_runner_on_ok(self, result):
        self._result("runner_on_ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("runner_on_failed", result, failed=True,
                     ignore_errors=bool(ignore_errors))

    def v2_runner_on_skipped(self, result):
        self._result("runner_on_skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result("runner_on_unreachable", result, failed=True)

    def v2_runner_item_on_failed(self, result):
        self._result("runner_item_on_failed", result, failed=True)

    def v2_runner_retry(self, result):
        self._result("runner_retry", result, attempts=result._result.get("attempts"),
                     retries=result._result.get("retries"))

    def v2_playbook_on_stats(self, stats):
        summary = {}
        for host in sorted(stats.processed.keys()):
            summary[host] = stats.summarize(host)
        self._emit("playbook_on_stats", stats=summary)
