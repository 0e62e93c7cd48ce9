import http from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { companies, companyIntegrations, transfers, webhookEvents } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import type { QueuedNotice } from "@/lib/transfer/queue";
import { createTestDb, dbKinds, type TestDb } from "@/test/support/db";
import { serve, type TestServer } from "@/test/support/http";
import { MAX_WEBHOOK_BODY_BYTES } from "./body";
import { receiveRackbeatWebhook } from "./receive-webhook";

const TOKEN_A = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const TOKEN_B = "ZyXwVuTsRqPoNmLkJiHgFeDcBa987654";
const ACCOUNT_A = "4711";
const ACCOUNT_B = "4712";
const EVENT = "invoice.booked";

interface Sent {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected loosely
  json: any;
}

/** A raw HTTP POST, so Content-Length and chunked bodies are exactly what the case says. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  mode: "length" | "chunked" = "length",
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const data = typeof body === "string" ? Buffer.from(body) : body;
    const req = http.request(url, {
      method: "POST",
      headers: mode === "length" ? { ...headers, "content-length": String(data.length) } : headers,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
      });
    });
    // The server may answer 413 and close before the whole body is written.
    req.on("error", reject);
    if (mode === "chunked") {
      for (let i = 0; i < data.length; i += 1024) req.write(data.subarray(i, i + 1024));
    } else {
      req.write(data);
    }
    req.end();
  });
}

/** Deterministic randomness, so a failing fuzz case can be replayed from its seed. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(dbKinds)("Rackbeat webhook intake on %s", (kind) => {
  let t: TestDb;
  let server: TestServer;
  let url: string;
  let companyA: string;
  let companyB: string;
  const queued: QueuedNotice[] = [];

  const good = (over: Record<string, string | undefined> = {}) => {
    const headers: Record<string, string | undefined> = {
      "content-type": "application/json",
      "user-agent": "Rackbeat Webhook",
      "rackbeat-webhook-token": TOKEN_A,
      "rackbeat-webhook-event": EVENT,
      "rackbeat-account-id": ACCOUNT_A,
      ...over,
    };
    return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
  };
  const counts = async () => {
    const [row] = rowsOf<{ transfers: number; events: number }>(
      await t.db.execute(sql`select (select count(*) from transfers)::int as transfers,
        (select count(*) from webhook_events)::int as events`),
    );
    return { transfers: Number(row!.transfers), events: Number(row!.events) };
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
    const [a] = await t.db.insert(companies).values({ name: "A ApS" }).returning();
    const [b] = await t.db.insert(companies).values({ name: "B ApS" }).returning();
    companyA = a!.id;
    companyB = b!.id;
    await t.db.insert(companyIntegrations).values([
      {
        companyId: companyA,
        rackbeatAccountId: ACCOUNT_A,
        rackbeatWebhookTokenHash: hashToken(TOKEN_A),
        rackbeatWebhookEvents: [EVENT],
      },
      {
        companyId: companyB,
        rackbeatAccountId: ACCOUNT_B,
        rackbeatWebhookTokenHash: hashToken(TOKEN_B),
        rackbeatWebhookEvents: [EVENT, "invoice.updated"],
      },
    ]);
    server = await serve((request) =>
      receiveRackbeatWebhook(t.db, request, { onQueued: (n) => queued.push(n), logger: { error: () => {} } }),
    );
    url = `${server.url}/api/rackbeat/webhooks`;
  });
  beforeEach(async () => {
    await t.db.delete(transfers);
    await t.db.delete(webhookEvents);
    queued.length = 0;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const body = (key: string | number = "1021") => JSON.stringify({ key_name: "number", key });
  const big = JSON.stringify({ key_name: "number", key: "1", pad: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });

  const refusals: [name: string, send: () => Promise<Sent>, status: number, code: string, field?: string][] =
    [
      [
        "missing token",
        () => post(url, good({ "rackbeat-webhook-token": undefined }), body()),
        401,
        "unauthenticated",
        "Rackbeat-Webhook-Token",
      ],
      [
        "missing account id",
        () => post(url, good({ "rackbeat-account-id": undefined }), body()),
        401,
        "unauthenticated",
        "Rackbeat-Account-Id",
      ],
      [
        "unknown account",
        () => post(url, good({ "rackbeat-account-id": "999" }), body()),
        401,
        "unauthenticated",
        "Rackbeat-Webhook-Token",
      ],
      [
        "wrong token for a known account",
        () => post(url, good({ "rackbeat-webhook-token": "x".repeat(32) }), body()),
        401,
        "unauthenticated",
        "Rackbeat-Webhook-Token",
      ],
      [
        "another account's token",
        () => post(url, good({ "rackbeat-webhook-token": TOKEN_B }), body()),
        401,
        "unauthenticated",
        "Rackbeat-Webhook-Token",
      ],
      [
        "an event the company did not register",
        () => post(url, good({ "rackbeat-webhook-event": "invoice.updated" }), body()),
        400,
        "unknown_event",
        "Rackbeat-Webhook-Event",
      ],
      [
        "no event header",
        () => post(url, good({ "rackbeat-webhook-event": undefined }), body()),
        400,
        "unknown_event",
        "Rackbeat-Webhook-Event",
      ],
      [
        "text/plain",
        () => post(url, good({ "content-type": "text/plain" }), body()),
        415,
        "unsupported_media_type",
        "Content-Type",
      ],
      [
        "no content type",
        () => post(url, good({ "content-type": undefined }), body()),
        415,
        "unsupported_media_type",
        "Content-Type",
      ],
      ["too large by Content-Length", () => post(url, good(), big), 413, "payload_too_large"],
      [
        "too large while streaming (chunked)",
        () => post(url, good(), big, "chunked"),
        413,
        "payload_too_large",
      ],
      ["invalid JSON", () => post(url, good(), '{"key_name":"number",'), 400, "invalid_json"],
      ["invalid UTF-8", () => post(url, good(), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 400, "invalid_json"],
      [
        "a NUL character",
        () => post(url, good(), '{"key_name":"number","key":"1","x":"a\\u0000b"}'),
        400,
        "invalid_json",
      ],
      [
        "an unpaired surrogate",
        () => post(url, good(), '{"key_name":"number","key":"1","x":"\\ud800"}'),
        400,
        "invalid_json",
      ],
      ["an array", () => post(url, good(), "[]"), 400, "invalid_body"],
      ["no key", () => post(url, good(), '{"key_name":"number"}'), 400, "invalid_body", "key"],
      ["no key_name", () => post(url, good(), '{"key":"1021"}'), 400, "invalid_body", "key_name"],
      [
        "key_name other than number",
        () => post(url, good(), '{"key_name":"id","key":"1021"}'),
        400,
        "invalid_body",
        "key_name",
      ],
      ["empty key", () => post(url, good(), body("")), 400, "invalid_body", "key"],
      [
        "key an object",
        () => post(url, good(), '{"key_name":"number","key":{"n":1}}'),
        400,
        "invalid_body",
        "key",
      ],
      ["key negative", () => post(url, good(), body(-5)), 400, "invalid_body", "key"],
      ["key fractional", () => post(url, good(), body(10.5)), 400, "invalid_body", "key"],
      ["key with a control character", () => post(url, good(), body("10\n21")), 400, "invalid_body", "key"],
      ["key with surrounding spaces", () => post(url, good(), body(" 1021")), 400, "invalid_body", "key"],
      ["key too long", () => post(url, good(), body("1".repeat(65))), 400, "invalid_body", "key"],
    ];

  it.each(refusals)("refuses %s", async (_name, send, status, code, field) => {
    const before = await counts();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { code, message: expect.any(String), ...(field ? { field } : {}) } });
    expect(await counts()).toEqual(before);
    expect(queued).toEqual([]);
  });

  it("gives an unknown account and a wrong token the same answer", async () => {
    const unknown = await post(url, good({ "rackbeat-account-id": "999" }), body());
    const wrong = await post(url, good({ "rackbeat-webhook-token": "y".repeat(32) }), body());
    expect(unknown).toEqual(wrong);
  });

  it("answers 202 with the transfer and keeps the event without the token", async () => {
    const res = await post(url, good({ "content-type": "application/json; charset=utf-8" }), body());
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ transferId: expect.any(String), status: "queued" });
    const [transfer] = await t.db.select().from(transfers);
    expect(transfer).toMatchObject({
      id: res.json.transferId,
      companyId: companyA,
      rackbeatInvoiceNumber: "1021",
      status: "queued",
      attempts: 0,
    });
    const [event] = await t.db.select().from(webhookEvents);
    expect(event).toMatchObject({
      companyId: companyA,
      transferId: res.json.transferId,
      event: EVENT,
      key: "1021",
      body: { key_name: "number", key: "1021" },
    });
    expect(event!.receivedAt).toBeInstanceOf(Date);
    const headers = event!.headers as Record<string, string>;
    expect(headers).toMatchObject({
      "rackbeat-account-id": ACCOUNT_A,
      "rackbeat-webhook-event": EVENT,
      "user-agent": "Rackbeat Webhook",
    });
    expect(Object.keys(headers).some((h) => h.toLowerCase() === "rackbeat-webhook-token")).toBe(false);
    expect(JSON.stringify(event)).not.toContain(TOKEN_A);
    expect(queued).toEqual([{ transferId: res.json.transferId, companyId: companyA }]);
  });

  it("accepts a numeric key and extra fields, keeping them", async () => {
    const res = await post(
      url,
      good(),
      JSON.stringify({ key_name: "number", key: 1022, event: EVENT, data: { a: 1 } }),
    );
    expect(res.status).toBe(202);
    const [transfer] = await t.db.select().from(transfers);
    expect(transfer!.rackbeatInvoiceNumber).toBe("1022");
    const [event] = await t.db.select().from(webhookEvents);
    expect(event!.body).toEqual({ key_name: "number", key: 1022, event: EVENT, data: { a: 1 } });
  });

  it("keeps companies apart: the same invoice number makes a transfer per company", async () => {
    const a = await post(url, good(), body("7"));
    const b = await post(
      url,
      good({ "rackbeat-webhook-token": TOKEN_B, "rackbeat-account-id": ACCOUNT_B }),
      body("7"),
    );
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.json.transferId).not.toBe(b.json.transferId);
    const rows = await t.db.select().from(transfers);
    expect(rows.map((r) => r.companyId).sort()).toEqual([companyA, companyB].sort());
  });

  it("20 parallel deliveries of one invoice make one transfer and 20 events", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => post(url, good(), body("3001"))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = new Set(results.map((r) => r.json.transferId));
    expect(ids.size).toBe(1);
    expect(await counts()).toEqual({ transfers: 1, events: 20 });
    const events = await t.db.select().from(webhookEvents);
    expect(events.every((e) => e.transferId === [...ids][0])).toBe(true);
  });

  it("a repeated delivery of a transferred invoice does not queue it again", async () => {
    const first = await post(url, good(), body("4001"));
    await t.db
      .update(transfers)
      .set({ status: "booked", nextAttemptAt: null })
      .where(eq(transfers.id, first.json.transferId));
    queued.length = 0;
    const again = await post(url, good(), body("4001"));
    expect(again).toEqual({ status: 202, json: { transferId: first.json.transferId, status: "booked" } });
    const [row] = await t.db.select().from(transfers);
    expect(row).toMatchObject({ status: "booked", nextAttemptAt: null });
    expect(queued).toEqual([]);
    expect(await counts()).toEqual({ transfers: 1, events: 2 });
  });

  it("survives a fuzz of headers and bodies: never 5xx, never a transfer for invalid input", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20_250_314);
    const random = mulberry32(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const chance = (p: number) => random() < p;
    const randomText = (max: number) =>
      Array.from({ length: Math.floor(random() * max) }, () =>
        String.fromCharCode(Math.floor(random() * 0x2fff)),
      ).join("");
    const validKey = () =>
      chance(0.3)
        ? Math.floor(random() * 100_000)
        : `${pick(["", "F-", "inv/"])}${Math.floor(random() * 100_000)}`;

    type Part<T> = { good: boolean; value: T };
    // Each part is good three times in four, so about a third of the cases are valid deliveries.
    const choose = <T extends { good: boolean }>(items: T[]): T => {
      const wanted = chance(0.75);
      const pool = items.filter((item) => item.good === wanted);
      return pick(pool.length > 0 ? pool : items);
    };
    const auth = (): Part<Record<string, string>> =>
      choose<Part<Record<string, string>>>([
        { good: true, value: { "rackbeat-webhook-token": TOKEN_A, "rackbeat-account-id": ACCOUNT_A } },
        { good: false, value: { "rackbeat-account-id": ACCOUNT_A } },
        { good: false, value: { "rackbeat-webhook-token": TOKEN_A } },
        { good: false, value: { "rackbeat-webhook-token": TOKEN_B, "rackbeat-account-id": ACCOUNT_A } },
        { good: false, value: { "rackbeat-webhook-token": TOKEN_A, "rackbeat-account-id": ACCOUNT_B } },
        {
          good: false,
          value: {
            "rackbeat-webhook-token": randomText(40).replace(/[^\x21-\x7e]/g, "a") || "a",
            "rackbeat-account-id": ACCOUNT_A,
          },
        },
        {
          good: false,
          value: {
            "rackbeat-webhook-token": TOKEN_A,
            "rackbeat-account-id": String(Math.floor(random() * 1e9)),
          },
        },
      ]);
    const event = (): Part<Record<string, string>> =>
      choose<Part<Record<string, string>>>([
        { good: true, value: { "rackbeat-webhook-event": EVENT } },
        { good: false, value: {} },
        { good: false, value: { "rackbeat-webhook-event": "invoice.updated" } },
        { good: false, value: { "rackbeat-webhook-event": "INVOICE.BOOKED" } },
      ]);
    const contentType = (): Part<Record<string, string>> =>
      choose<Part<Record<string, string>>>([
        { good: true, value: { "content-type": "application/json" } },
        { good: true, value: { "content-type": "Application/JSON; charset=UTF-8" } },
        { good: true, value: { "content-type": "application/vnd.rackbeat+json" } },
        { good: false, value: {} },
        { good: false, value: { "content-type": "text/plain" } },
        { good: false, value: { "content-type": "application/jsonx" } },
        { good: false, value: { "content-type": "multipart/form-data; boundary=x" } },
      ]);
    type BodyPart = {
      good: boolean;
      tooLarge?: boolean;
      key?: string;
      value: string | Uint8Array<ArrayBuffer>;
    };
    const bodyPart = (): BodyPart => {
      const key = validKey();
      const extra = chance(0.5) ? { event: EVENT, data: { note: randomText(20) } } : {};
      const makers: (() => BodyPart)[] = [
        () => ({
          good: true,
          key: String(key),
          value: JSON.stringify({ key_name: "number", key, ...extra }),
        }),
        () => ({
          good: true,
          key: String(key),
          value: JSON.stringify({ ...extra, key, key_name: "number" }),
        }),
        () => ({
          good: false,
          value: Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
        }),
        () => ({ good: false, value: randomText(60) }),
        () => ({ good: false, value: JSON.stringify(pick([null, 1, "x", true, [], [1, 2]])) }),
        () => ({ good: false, value: JSON.stringify({ key_name: "number" }) }),
        () => ({ good: false, value: JSON.stringify({ key_name: pick(["id", "", 1, null]), key }) }),
        () => ({
          good: false,
          value: JSON.stringify({ key_name: "number", key: pick([null, "", {}, [], true, -1, 1.5, 1e21]) }),
        }),
        () => ({
          good: false,
          value: JSON.stringify({
            key_name: "number",
            key: `${key}${pick(["\u0000", "\n", "\t", " ", "\u200b"])}`,
          }),
        }),
        () => ({ good: false, value: JSON.stringify({ key_name: "number", key: "9".repeat(65) }) }),
        () => ({ good: false, value: `{"key_name":"number","key":"${key}","x":"\\u0000"}` }),
        () => ({ good: false, value: `{"key_name":"number","key":"${key}","x":"\\udc00"}` }),
        () => ({ good: false, value: `${"[".repeat(40)}${"]".repeat(40)}` }),
        () => ({
          good: false,
          value: `{"key_name":"number","key":"1","d":${"[".repeat(40)}${"]".repeat(40)}}`,
        }),
        () => ({
          good: false,
          tooLarge: true,
          value: JSON.stringify({ key_name: "number", key, pad: "é".repeat(MAX_WEBHOOK_BODY_BYTES / 2 + 1) }),
        }),
      ];
      return chance(0.75) ? pick(makers.slice(0, 2))() : pick(makers.slice(2))();
    };

    const validKeys = new Set<string>();
    let validDeliveries = 0;
    for (let i = 0; i < 300; i++) {
      const parts = { auth: auth(), event: event(), contentType: contentType() };
      const b = bodyPart();
      const headers = { ...parts.auth.value, ...parts.event.value, ...parts.contentType.value };
      const request = new Request(url, { method: "POST", headers, body: b.value });
      const before = await counts();
      const res = await receiveRackbeatWebhook(t.db, request, { logger: { error: () => {} } });
      const expected = !parts.auth.good
        ? 401
        : !parts.event.good
          ? 400
          : !parts.contentType.good
            ? 415
            : b.tooLarge
              ? 413
              : b.good
                ? 202
                : 400;
      const context = `seed ${seed} case ${i}: ${JSON.stringify({ headers, body: String(b.value).slice(0, 80) })}`;
      expect(res.status, context).toBe(expected);
      const json = (await res.json()) as { error?: { code: string; message: string } };
      if (res.status === 202) {
        validKeys.add(b.key!);
        validDeliveries++;
      } else {
        expect(json.error?.message, context).toEqual(expect.any(String));
        expect(await counts(), context).toEqual(before);
      }
    }
    const rows = await t.db.select({ key: transfers.rackbeatInvoiceNumber }).from(transfers);
    expect(new Set(rows.map((r) => r.key))).toEqual(validKeys);
    expect(await counts()).toEqual({ transfers: validKeys.size, events: validDeliveries });
    // The generators reach every branch.
    expect(validDeliveries).toBeGreaterThan(50);
  });
});
