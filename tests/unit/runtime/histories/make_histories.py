#!/usr/bin/env python3
"""Writes the recorded histories used by tst_replay, in the JSON shape the temporal CLI
(`temporal workflow show --output json`) and the Web UI export: proto3 JSON of
temporal.api.history.v1.History. The sequences follow docs/temporal-protocol.md §3.4 (what the real
server writes for a worker with a sticky cache). The *bad* histories are deliberately
non-deterministic for the test workflows in tst_replay.cpp; their exact error messages are asserted.

Regenerate with: python3 make_histories.py (from this directory)."""
import base64
import json

RUN = "0b7a4c62-5a1e-4c55-9f0c-6f2f1f5d2a01"
QUEUE = "nebula-test"
STICKY = {"name": "1234@host-8f14e45fceea4e2a9d3a", "kind": "TASK_QUEUE_KIND_STICKY", "normalName": QUEUE}


def payload(value):
    return {"metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
            "data": base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()}


def payloads(*values):
    return {"payloads": [payload(v) for v in values]}


class History:
    def __init__(self, camel=False):
        self.events = []
        self.camel = camel
        self.second = 0

    def add(self, etype, attr_name, attrs):
        self.second += 1
        eid = len(self.events) + 1
        name = etype if self.camel else "EVENT_TYPE_" + "".join(
            ("_" + c if c.isupper() and i else c) for i, c in enumerate(etype)).upper()
        self.events.append({"eventId": str(eid), "eventTime": "2026-01-05T10:00:%02dZ" % (self.second % 60),
                            "eventType": name, "version": "0", "taskId": str(1048576 + eid),
                            attr_name: attrs})
        return eid

    def started(self, wtype, *args):
        return self.add("WorkflowExecutionStarted", "workflowExecutionStartedEventAttributes", {
            "workflowType": {"name": wtype}, "taskQueue": {"name": QUEUE, "kind": "TASK_QUEUE_KIND_NORMAL"},
            "input": payloads(*args), "workflowExecutionTimeout": "0s", "workflowRunTimeout": "0s",
            "workflowTaskTimeout": "10s", "originalExecutionRunId": RUN, "identity": "tester@host",
            "firstExecutionRunId": RUN, "attempt": 1, "workflowId": "wf-1"})

    def wft(self, sticky=False, completed=True, failed=None):
        queue = STICKY if sticky else {"name": QUEUE, "kind": "TASK_QUEUE_KIND_NORMAL"}
        s = self.add("WorkflowTaskScheduled", "workflowTaskScheduledEventAttributes",
                     {"taskQueue": queue, "startToCloseTimeout": "10s", "attempt": 1})
        t = self.add("WorkflowTaskStarted", "workflowTaskStartedEventAttributes",
                     {"scheduledEventId": str(s), "identity": "1234@host", "requestId": "r%d" % s})
        if failed:
            return self.add("WorkflowTaskFailed", "workflowTaskFailedEventAttributes",
                            {"scheduledEventId": str(s), "startedEventId": str(t), "cause": failed,
                             "failure": {"message": "boom"}, "identity": "1234@host"})
        if completed:
            return self.add("WorkflowTaskCompleted", "workflowTaskCompletedEventAttributes",
                            {"scheduledEventId": str(s), "startedEventId": str(t), "identity": "1234@host",
                             "sdkMetadata": {"sdkName": "nebulaops", "sdkVersion": "0.1.0"}})
        return t

    def scheduled(self, completed, atype, aid):
        return self.add("ActivityTaskScheduled", "activityTaskScheduledEventAttributes", {
            "activityId": aid, "activityType": {"name": atype},
            "taskQueue": {"name": QUEUE, "kind": "TASK_QUEUE_KIND_NORMAL"}, "input": payloads({"name": "web-1"}),
            "scheduleToCloseTimeout": "0s", "scheduleToStartTimeout": "0s", "startToCloseTimeout": "60s",
            "heartbeatTimeout": "0s", "workflowTaskCompletedEventId": str(completed),
            "retryPolicy": {"initialInterval": "1s", "backoffCoefficient": 2, "maximumInterval": "100s"}})

    def activity_started(self, sched, attempt=1, last_failure=None):
        attrs = {"scheduledEventId": str(sched), "identity": "1234@host", "requestId": "a%d" % sched,
                 "attempt": attempt}
        if last_failure:
            attrs["lastFailure"] = last_failure
        return self.add("ActivityTaskStarted", "activityTaskStartedEventAttributes", attrs)

    def activity_completed(self, sched, started, value):
        return self.add("ActivityTaskCompleted", "activityTaskCompletedEventAttributes", {
            "result": payloads(value), "scheduledEventId": str(sched), "startedEventId": str(started),
            "identity": "1234@host"})

    def activity_failed(self, sched, started, failure, retry_state):
        return self.add("ActivityTaskFailed", "activityTaskFailedEventAttributes", {
            "failure": failure, "scheduledEventId": str(sched), "startedEventId": str(started),
            "identity": "1234@host", "retryState": retry_state})

    def completed(self, completed, value):
        return self.add("WorkflowExecutionCompleted", "workflowExecutionCompletedEventAttributes",
                        {"result": payloads(value), "workflowTaskCompletedEventId": str(completed)})

    def write(self, path):
        with open(path, "w") as f:
            json.dump({"events": self.events}, f, indent=2)
            f.write("\n")


PLAN = {"planned": 3}
RESULT = {"plan": PLAN, "apply": "applied"}


def two_activities(camel=False, first_type="TerraformPlan", second_type="TerraformApply", end_early=False):
    """§3.4 A: start -> activity 1 -> activity 2 -> complete (sticky after the first task)."""
    h = History(camel)
    h.started("TwoActivities", {"name": "web-1"})
    c = h.wft()
    s = h.scheduled(c, first_type, "1")
    t = h.activity_started(s)
    h.activity_completed(s, t, PLAN)
    c = h.wft(sticky=True)
    if end_early:
        h.completed(c, RESULT)
        return h
    s = h.scheduled(c, second_type, "2")
    t = h.activity_started(s)
    h.activity_completed(s, t, "applied")
    c = h.wft(sticky=True)
    h.completed(c, RESULT)
    return h


def activity_fails():
    """§3.4 B, out of attempts: only the last attempt is written; the workflow fails with the error."""
    h = History()
    h.started("TwoActivities", {"name": "web-1"})
    c = h.wft()
    s = h.scheduled(c, "TerraformPlan", "1")
    failure = {"message": "Error: Invalid provider configuration", "source": "NebulaOps",
               "applicationFailureInfo": {"type": "tool", "nonRetryable": False, "details": payloads(
                   {"code": "tool", "detail": "terraform exited with 1", "data": {"stage": "plan"}})}}
    t = h.activity_started(s, attempt=3, last_failure=failure)
    h.activity_failed(s, t, failure, "RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED")
    c = h.wft(sticky=True)
    h.add("WorkflowExecutionFailed", "workflowExecutionFailedEventAttributes", {
        "failure": {"message": "Error: Invalid provider configuration", "source": "NebulaOps",
                    "applicationFailureInfo": {"type": "tool"}},
        "retryState": "RETRY_STATE_RETRY_POLICY_NOT_SET", "workflowTaskCompletedEventId": str(c)})
    return h


def task_failure_then_recovery():
    """§3.4 D: the first workflow task failed (e.g. a bug, fixed since); attempt 2 completed."""
    h = History()
    h.started("TwoActivities", {"name": "web-1"})
    h.wft(failed="WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE")
    c = h.wft()
    s = h.scheduled(c, "TerraformPlan", "1")
    t = h.activity_started(s)
    h.activity_completed(s, t, PLAN)
    c = h.wft(sticky=True)
    s = h.scheduled(c, "TerraformApply", "2")
    t = h.activity_started(s)
    h.activity_completed(s, t, "applied")
    c = h.wft(sticky=True)
    h.completed(c, RESULT)
    return h


def cancelled():
    """§3.4 E: cancel requested while "Long" runs; the activity is cancelled (it heartbeats), the
    workflow runs the detached "Cleanup" activity and ends canceled."""
    h = History()
    h.started("Cancellable", {"name": "web-1"})
    c = h.wft()
    s = h.scheduled(c, "Long", "1")
    h.add("WorkflowExecutionCancelRequested", "workflowExecutionCancelRequestedEventAttributes",
          {"cause": "user asked", "identity": "console@host"})
    c = h.wft(sticky=True)
    req = h.add("ActivityTaskCancelRequested", "activityTaskCancelRequestedEventAttributes",
                {"scheduledEventId": str(s), "workflowTaskCompletedEventId": str(c)})
    t = h.activity_started(s)
    h.add("ActivityTaskCanceled", "activityTaskCanceledEventAttributes", {
        "details": payloads("stopped"), "latestCancelRequestedEventId": str(req), "scheduledEventId": str(s),
        "startedEventId": str(t), "identity": "1234@host"})
    c = h.wft(sticky=True)
    s = h.scheduled(c, "Cleanup", "2")
    t = h.activity_started(s)
    h.activity_completed(s, t, "cleaned")
    c = h.wft(sticky=True)
    h.add("WorkflowExecutionCanceled", "workflowExecutionCanceledEventAttributes",
          {"workflowTaskCompletedEventId": str(c)})
    return h


def timer_and_signal():
    """Waits for the "approve" signal, sleeps 5 s, completes with the signal's argument."""
    h = History()
    h.started("Approval")
    h.wft()
    h.add("WorkflowExecutionSignaled", "workflowExecutionSignaledEventAttributes",
          {"signalName": "approve", "input": payloads("alice"), "identity": "console@host"})
    c = h.wft(sticky=True)
    h.add("TimerStarted", "timerStartedEventAttributes",
          {"timerId": "1", "startToFireTimeout": "5s", "workflowTaskCompletedEventId": str(c)})
    h.add("TimerFired", "timerFiredEventAttributes", {"timerId": "1", "startedEventId": str(c + 1)})
    c = h.wft(sticky=True)
    h.completed(c, "approved by alice")
    return h


def extra_event():
    """Bad: history scheduled a second activity ("Audit") in the first task; the code does not."""
    h = History()
    h.started("TwoActivities", {"name": "web-1"})
    c = h.wft()
    h.scheduled(c, "TerraformPlan", "1")
    h.scheduled(c, "Audit", "2")
    return h


def missing_event():
    """Bad: after the first task history has a signal and a new task, but no ActivityTaskScheduled."""
    h = History()
    h.started("TwoActivities", {"name": "web-1"})
    h.wft()
    h.add("WorkflowExecutionSignaled", "workflowExecutionSignaledEventAttributes",
          {"signalName": "poke", "input": payloads(1), "identity": "console@host"})
    h.wft(completed=False)
    return h


if __name__ == "__main__":
    two_activities().write("two_activities.json")
    two_activities(camel=True).write("two_activities_ui_export.json")
    activity_fails().write("activity_fails.json")
    task_failure_then_recovery().write("task_failure_recovery.json")
    cancelled().write("cancelled.json")
    timer_and_signal().write("timer_signal.json")
    two_activities(first_type="TerraformApply").write("bad_activity_type.json")
    two_activities(end_early=True).write("bad_completed_early.json")
    extra_event().write("bad_extra_event.json")
    missing_event().write("bad_missing_event.json")
