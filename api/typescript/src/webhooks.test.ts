// Known-answer test of verifyWebhook against the Go implementation's vector
// (webhooks/webhooks_test.go): run by scripts/typescript-test.sh.
import { sign, verifyWebhook, WebhookError } from "./webhooks.js";

const secret = "whsec-test-0123456789abcdef";
const known = "v1,YD6+5mdlhdMVzagBImuhcUhMidv9TwFZ9Lt/zAKbaik=";

function headers(h: Record<string, string>) {
  return { get: (k: string) => h[k] ?? null };
}

async function main(): Promise<void> {
  const got = await sign(secret, 1700000000, "{}");
  if (got !== known) throw new Error(`sign = ${got}, want ${known}`);
  const body = `{"id":"evt_1","type":"verification.decided","created_at":"2023-11-14T22:13:20Z","data":{"outcome":"approved"}}`;
  const sig = await sign(secret, 1700000000, body);
  const h = headers({ "webhook-id": "evt_1", "webhook-timestamp": "1700000000", "webhook-signature": sig });
  const e = await verifyWebhook(secret, h, body, 1700000000_000 + 60_000);
  if (e.id !== "evt_1" || e.data.outcome !== "approved") throw new Error(`decoded ${JSON.stringify(e)}`);
  // Each refusal is started only when awaited: a promise made earlier
  // could reject while the loop waits on another, with no handler yet,
  // and Node ends the process on an unhandled rejection.
  const refused: [string, () => Promise<unknown>][] = [
    ["replay", () => verifyWebhook(secret, h, body, 1700000000_000 + 3600_000)],
    ["other secret", () => verifyWebhook("another-secret-0123456789", h, body, 1700000000_000)],
    ["body changed", () => verifyWebhook(secret, h, body.replace("approved", "rejected"), 1700000000_000)],
  ];
  for (const [what, verify] of refused) {
    try {
      await verify();
      throw new Error(`${what}: accepted`);
    } catch (err) {
      if (!(err instanceof WebhookError)) throw err;
    }
  }
  console.log("webhooks.test: ok");
}

await main();
