import http from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { companies, companyIntegrations } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import { createTestDb, type TestDb } from "@/test/support/db";
import { type IntakeProcess, startIntakeProcess } from "@/test/support/intake-server";

const TOKEN = "CrashCrashCrashCrashCrashCrash01";
const ACCOUNT = "880001";
const EVENT = "invoice.booked";

/** One delivery; resolves with the answer's status and transfer id, or "lost" when the server died. */
function deliver(url: string, number: string): Promise<{ status: number; transferId?: string } | "lost"> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ key_name: "number", key: number });
    const req = http.request(`${url}/api/rackbeat/webhooks`, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "rackbeat-webhook-token": TOKEN,
        "rackbeat-webhook-event": EVENT,
        "rackbeat-account-id": ACCOUNT,
      },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c: Buffer) => {
        text += c.toString();
      });
      res.on("end", () => {
        const json = text ? (JSON.parse(text) as { transferId?: string }) : {};
        resolve({ status: res.statusCode ?? 0, ...(json.transferId ? { transferId: json.transferId } : {}) });
      });
      res.on("error", () => resolve("lost"));
    });
    req.on("error", () => resolve("lost"));
    req.end(body);
  });
}

/**
 * Group commit must never acknowledge what is not durable: the intake runs in a process of its own
 * with a long batching window (so deliveries wait in open batches), 16 senders deliver without
 * pause, and the process is killed with SIGKILL mid-stream. Every delivery answered 202 must be in
 * the database; the ones cut off may or may not be (Rackbeat delivers those again).
 */
describe.runIf(process.env.DATABASE_URL)("group-committed intake killed mid-batch (postgres)", () => {
  let testDb: TestDb;
  let intake: IntakeProcess | undefined;

  beforeAll(async () => {
    testDb = await createTestDb("postgres");
    const [company] = await testDb.db.insert(companies).values({ name: "Crash ApS" }).returning();
    await testDb.db.insert(companyIntegrations).values({
      companyId: company!.id,
      rackbeatAccountId: ACCOUNT,
      rackbeatWebhookTokenHash: hashToken(TOKEN),
      rackbeatWebhookEvents: [EVENT],
    });
  }, 60_000);

  afterAll(async () => {
    if (intake && intake.child.exitCode === null && intake.child.signalCode === null)
      intake.child.kill("SIGKILL");
    await testDb?.close();
  });

  it.each([
    // A long window and small batches: deliveries sit in open batches most of the time.
    {
      name: "20 ms window, batches of 8",
      prefix: "K",
      settings: { INTAKE_BATCH_WINDOW_MS: "20", INTAKE_BATCH_MAX: "8" },
    },
    // As shipped: no window; deliveries gather while every statement slot is busy.
    { name: "shipped settings", prefix: "D", settings: {} },
  ] as { name: string; prefix: string; settings: Record<string, string> }[])(
    "keeps every delivery it answered 202 ($name)",
    async ({ prefix, settings }) => {
      intake = await startIntakeProcess({
        DATABASE_URL: testDb.url!,
        INTAKE_GROUP_COMMIT: "1",
        ...settings,
      });
      const url = intake.url;
      const acknowledged: { number: string; transferId: string }[] = [];
      let lost = 0;
      let next = 0;
      let killed = false;
      const sender = async () => {
        while (!killed) {
          const number = `${prefix}-${next++}`;
          const answer = await deliver(url, number);
          if (answer === "lost") {
            lost++;
            return;
          }
          expect(answer.status).toBe(202);
          acknowledged.push({ number, transferId: answer.transferId! });
        }
      };
      const senders = Array.from({ length: 16 }, sender);
      // Kill once enough batches have committed that the process is surely in the middle of others.
      while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
      intake.child.kill("SIGKILL");
      killed = true;
      expect(await intake.exited).toBe("SIGKILL");
      await Promise.all(senders);

      // Deliveries were cut off in flight: the kill hit the middle of the stream, not a quiet moment.
      expect(lost).toBeGreaterThan(0);
      const stored = rowsOf<{ id: string; number: string }>(
        await testDb.db.execute(
          sql`select id::text as id, rackbeat_invoice_number as number from transfers where rackbeat_invoice_number like ${`${prefix}-%`}`,
        ),
      );
      const byNumber = new Map(stored.map((r) => [r.number, r.id]));
      const missing = acknowledged.filter((a) => byNumber.get(a.number) !== a.transferId);
      expect(missing).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    },
    120_000,
  );
});
