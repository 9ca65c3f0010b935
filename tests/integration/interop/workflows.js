// Workflows for the interop test (bundled by the SDK's worker; deterministic code only).
const wf = require('@temporalio/workflow');

const quick = wf.proxyActivities({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumAttempts: 5 },
});
const beating = wf.proxyActivities({
  startToCloseTimeout: '60s',
  heartbeatTimeout: '2s',
  retry: { maximumAttempts: 1 },
});

const approve = wf.defineSignal('approve');
const status = wf.defineQuery('status');

async function interopWorkflow(name) {
  let state = 'started';
  let approvedBy = null;
  wf.setHandler(status, () => state);
  wf.setHandler(approve, (who) => {
    approvedBy = who;
  });
  const greeting = await quick.greet(name);
  state = 'greeted';
  const [upper, flaky] = await Promise.all([quick.shout(greeting), quick.flaky(name)]);
  state = 'retried';
  await wf.sleep('300ms');
  const beats = await beating.heartbeating(4);
  state = 'waiting-for-approval';
  await wf.condition(() => approvedBy !== null);
  state = 'approved';
  return `${greeting}|${upper}|${flaky}|${beats}|${approvedBy}`;
}

async function cancellableWorkflow() {
  // The default cancellation type (TRY_CANCEL) would resolve at once; wait for the activity to
  // acknowledge so the heartbeat -> cancel_requested -> RespondActivityTaskCanceled path runs.
  const waiting = wf.proxyActivities({
    startToCloseTimeout: '60s',
    heartbeatTimeout: '2s',
    cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { maximumAttempts: 1 },
  });
  await waiting.waitForCancel();
  return 'not cancelled';
}

module.exports = { interopWorkflow, cancellableWorkflow };
