// Verifying a kycq webhook in TypeScript (browsers, Node 20+, Deno, Bun:
// anything with Web Crypto). See docs/webhooks.md for the scheme.

/** An event kycq POSTs to a webhook endpoint. */
export interface KycqEvent {
  id: string;
  type: string;
  created_at: string;
  data: {
    verification_id?: string;
    account_id?: string;
    holder_check_id?: string;
    migration_id?: string;
    case_id?: string;
    outcome?: string;
    reasons?: string[];
    from?: string;
    to?: string;
    kind?: string;
  };
}

/** Why a webhook request was refused. */
export class WebhookError extends Error {}

const encoder = new TextEncoder();

function base64(bytes: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

/** The webhook-signature value kycq sends: "v1," + base64(HMAC-SHA256(secret, `${timestamp}.${body}`)). */
export async function sign(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  return `v1,${base64(mac)}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * verifyWebhook checks a request kycq sent — its headers and the exact body
 * text received — and returns the event. It refuses a timestamp more than
 * toleranceSeconds from now (replay protection). Delivery is at least
 * once: de-duplicate by the returned event's id.
 */
export async function verifyWebhook(
  secret: string,
  headers: { get(name: string): string | null },
  body: string,
  nowMs: number = Date.now(),
  toleranceSeconds = 300,
): Promise<KycqEvent> {
  const id = headers.get("webhook-id");
  const ts = headers.get("webhook-timestamp");
  const sigs = headers.get("webhook-signature");
  if (!id || !ts || !sigs) throw new WebhookError("missing webhook-id, webhook-timestamp or webhook-signature");
  const t = Number(ts);
  if (!/^[0-9]+$/.test(ts) || Math.abs(nowMs / 1000 - t) > toleranceSeconds) throw new WebhookError("timestamp outside the tolerance");
  const want = await sign(secret, t, body);
  if (!sigs.split(" ").some((s) => constantTimeEqual(s, want))) throw new WebhookError("no signature matches");
  const event = JSON.parse(body) as KycqEvent;
  if (event.id !== id) throw new WebhookError("webhook-id does not match the event id");
  return event;
}
