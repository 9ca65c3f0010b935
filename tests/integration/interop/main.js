// Interop test: the official Temporal TypeScript SDK (client + worker running Rust sdk-core)
// against nebula-devserver. Usage: node main.js HOST:PORT. Exit code 0 = every check passed.
const assert = require('node:assert/strict');
const { Worker, NativeConnection, Runtime, DefaultLogger } = require('@temporalio/worker');
const { Connection, Client, WorkflowFailedError } = require('@temporalio/client');
const { CancelledFailure } = require('@temporalio/common');
const activities = require('./activities');

const address = process.argv[2];
const taskQueue = `interop-${process.pid}`;

function log(...args) {
  console.log('[interop]', ...args);
}

async function waitFor(what, fn, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

async function eventTypes(client, handle) {
  const history = await client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId: handle.workflowId },
  });
  return history.history.events.map((e) => e.eventType);
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities,
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });

  await worker.runUntil(async () => {
    // 1. Several activities, one retried, one heartbeating, a timer, a query and a signal.
    const handle = await client.workflow.start('interopWorkflow', {
      taskQueue,
      workflowId: `interop-main-${process.pid}`,
      args: ['nebula'],
    });
    log('started', handle.workflowId);
    await waitFor('state waiting-for-approval', async () => (await handle.query('status')) === 'waiting-for-approval');
    log('query answered: waiting-for-approval');
    const described = await handle.describe();
    assert.equal(described.status.name, 'RUNNING');
    await handle.signal('approve', 'operator');
    const result = await handle.result();
    assert.equal(result, 'hello nebula|HELLO NEBULA|ok on attempt 3|4|operator');
    log('result', result);
    assert.equal(await handle.query('status'), 'approved'); // legacy query on a closed workflow
    const types = await eventTypes(client, handle);
    // Retries write nothing: exactly one ActivityTaskStarted per activity (greet, shout, flaky, heartbeating).
    const started = types.filter((t) => t === 10 || t === 'EVENT_TYPE_ACTIVITY_TASK_STARTED').length;
    assert.equal(started, 4, `expected 4 ActivityTaskStarted events, history: ${types.join(',')}`);

    // 2. Cancellation of a workflow whose activity heartbeats.
    const cancellable = await client.workflow.start('cancellableWorkflow', {
      taskQueue,
      workflowId: `interop-cancel-${process.pid}`,
    });
    await waitFor('activity started', async () => {
      const d = await cancellable.describe();
      return d.raw.pendingActivities?.some((a) => a.state === 2 || a.state === 'PENDING_ACTIVITY_STATE_STARTED');
    });
    await cancellable.cancel();
    await assert.rejects(cancellable.result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${err}`);
      assert.ok(err.cause instanceof CancelledFailure, `expected CancelledFailure cause, got ${err.cause}`);
      return true;
    });
    assert.equal((await cancellable.describe()).status.name, 'CANCELLED');
    log('cancellation ok');

    // 3. Visibility.
    const listed = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = 'interopWorkflow' AND ExecutionStatus = 'Completed'` })) {
      listed.push(w.workflowId);
    }
    assert.ok(listed.includes(handle.workflowId), `list did not return ${handle.workflowId}`);
    const count = await client.workflow.count(`TaskQueue = '${taskQueue}'`);
    assert.equal(count.count, 2);
    log('visibility ok');
  });
  await connection.close();
  await nativeConnection.close();
  log('PASS');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('[interop] FAIL:', err);
    process.exit(1);
  },
);
