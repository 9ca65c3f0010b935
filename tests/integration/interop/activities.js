// Activities for the interop test (ordinary Node code).
const { Context } = require('@temporalio/activity');

async function greet(name) {
  return `hello ${name}`;
}

async function shout(text) {
  return text.toUpperCase();
}

// Fails on attempts 1 and 2, succeeds on attempt 3 (server-side retries with backoff).
async function flaky(name) {
  const { attempt } = Context.current().info;
  if (attempt < 3) {
    throw new Error(`flaky failure on attempt ${attempt} for ${name}`);
  }
  return `ok on attempt ${attempt}`;
}

async function heartbeating(count) {
  const ctx = Context.current();
  const start = ctx.info.heartbeatDetails ?? 0;
  for (let i = start; i < count; i++) {
    ctx.heartbeat(i + 1);
    await ctx.sleep(300);
  }
  return count;
}

async function waitForCancel() {
  const ctx = Context.current();
  for (;;) {
    ctx.heartbeat('waiting');
    await ctx.sleep(250); // rejects with CancelledFailure once the server reports cancel_requested
  }
}

module.exports = { greet, shout, flaky, heartbeating, waitForCancel };
