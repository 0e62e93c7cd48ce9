import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import { tokenMatchesHash } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { RACKBEAT_WEBHOOK_HEADERS } from "@/lib/rackbeat";
import { enqueueRecordSync } from "@/lib/sync/enqueue";
import { type RecordKind, recordEventNames, recordKindOfEvent, recordNumberOf } from "@/lib/sync/record-key";
import {
  type EnqueueResult,
  enqueueTransfer,
  type QueuedNotice,
  type ReceivedEvent,
} from "@/lib/transfer/queue";
import { enqueueAuthenticated, type FastDelivery, type FastResult } from "./authenticated-enqueue";
import {
  checkWebhookBody,
  declaredLength,
  isJsonContentType,
  MAX_WEBHOOK_BODY_BYTES,
  parseStorableJson,
  type ReadBodyResult,
  readBodyWithLimit,
} from "./body";
import { intakeError } from "./errors";
import { groupCommitterFor } from "./group-commit";

/** Header names as Rackbeat spells them, for error messages and `field`. */
const TOKEN_HEADER = "Rackbeat-Webhook-Token";
const EVENT_HEADER = "Rackbeat-Webhook-Event";
const ACCOUNT_HEADER = "Rackbeat-Account-Id";

/** Never stored with the event: the secret itself and anything resembling credentials. */
const UNSTORED_HEADERS = new Set([RACKBEAT_WEBHOOK_HEADERS.token, "authorization", "cookie"]);

/** Compared against when the account is unknown, so the answer takes as long as for a known one. */
const DUMMY_HASH = "0".repeat(64);

export interface ReceiveOptions {
  /**
   * Called after the transfer is committed and queued (tests). The workers of every process are
   * woken by the enqueue's own notification (lib/transfer/wakeup.ts), not by this.
   */
  onQueued?: (notice: QueuedNotice) => void;
  logger?: Pick<Console, "error">;
}

/**
 * `POST /api/rackbeat/webhooks`, in the order: authenticate (401) → event (400) → content type (415)
 * → size (413, by Content-Length and while reading) → JSON (400) → body (400, naming the field) →
 * store (202 `{"transferId","status"}`).
 *
 * Decisions: an event the company did not register is a 400 naming the `Rackbeat-Webhook-Event`
 * header (the request is understood but not wanted; 422 would suggest the body is at fault). A
 * repeated delivery answers 202 with the existing transfer, whatever its status, and never
 * re-queues it: only an admin's Prøv igen does. Database trouble answers 503, so Rackbeat retries.
 */
export async function receiveRackbeatWebhook(
  db: Db,
  request: Request,
  options: ReceiveOptions = {},
): Promise<Response> {
  try {
    return await receive(db, request, options);
  } catch (error) {
    (options.logger ?? console).error("rackbeat webhook intake failed", error);
    return intakeError("unavailable", "The webhook could not be stored right now; deliver it again later.");
  }
}

/** Shared statements (group commit, the default), or one statement per delivery when INTAKE_GROUP_COMMIT=0. */
function fastEnqueue(db: Db, delivery: FastDelivery): Promise<FastResult> {
  const e = env();
  if (e.INTAKE_GROUP_COMMIT === "0") return enqueueAuthenticated(db, delivery);
  return groupCommitterFor(db, {
    windowMs: e.INTAKE_BATCH_WINDOW_MS,
    maxBatch: e.INTAKE_BATCH_MAX,
    maxInFlight: e.INTAKE_BATCH_IN_FLIGHT,
  }).deliver(delivery);
}

async function receive(db: Db, request: Request, options: ReceiveOptions): Promise<Response> {
  const headers = request.headers;
  const token = headers.get(RACKBEAT_WEBHOOK_HEADERS.token);
  const accountId = headers.get(RACKBEAT_WEBHOOK_HEADERS.accountId);
  if (!token) return intakeError("unauthenticated", `The ${TOKEN_HEADER} header is missing.`, TOKEN_HEADER);
  if (!accountId) {
    return intakeError("unauthenticated", `The ${ACCOUNT_HEADER} header is missing.`, ACCOUNT_HEADER);
  }

  const event = headers.get(RACKBEAT_WEBHOOK_HEADERS.event)?.trim() ?? "";
  let bodyRead: Promise<ReadBodyResult> | undefined;
  const readBody = () => {
    bodyRead ??= readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
    return bodyRead;
  };

  // The common case, a well-formed invoice delivery, authenticates and stores in one statement;
  // anything that statement cannot vouch for takes the full path below, with the same answers.
  {
    const delivery = await parseDelivery(headers, readBody);
    if (!(delivery instanceof Response)) {
      const received = { event, key: delivery.invoiceNumber, headers: delivery.stored, body: delivery.json };
      const fast = await fastEnqueue(db, {
        accountId: accountId.trim(),
        token,
        event: received,
        invoiceNumber: delivery.invoiceNumber,
      });
      if (fast.kind === "created") {
        options.onQueued?.({
          transferId: fast.transferId,
          companyId: fast.companyId,
        });
        return Response.json({ transferId: fast.transferId, status: fast.status }, { status: 202 });
      }
      if (fast.kind === "repeat") {
        const result = await enqueueTransfer(db, {
          companyId: fast.companyId,
          rackbeatInvoiceNumber: delivery.invoiceNumber,
          event: received,
        });
        return accepted(result, fast.companyId, options);
      }
    }
  }

  const [integration] = await db
    .select({
      companyId: companyIntegrations.companyId,
      tokenHash: companyIntegrations.rackbeatWebhookTokenHash,
      events: companyIntegrations.rackbeatWebhookEvents,
      recordWebhooks: companyIntegrations.rackbeatRecordWebhooks,
      recordEvents: companyIntegrations.rackbeatRecordEvents,
    })
    .from(companyIntegrations)
    .where(eq(companyIntegrations.rackbeatAccountId, accountId.trim()));
  // Each registered webhook has its own token: the invoice webhook's, or a master-data one's.
  const matches =
    tokenMatchesHash(token, integration?.tokenHash ?? DUMMY_HASH) ||
    (integration?.recordWebhooks ?? []).some((hook) => tokenMatchesHash(token, hook.tokenHash));
  if (!integration || (!integration.tokenHash && integration.recordWebhooks.length === 0) || !matches) {
    // One answer for an unknown account and a wrong token: neither reveals which accounts exist.
    return intakeError("unauthenticated", "Unknown account or webhook token.", TOKEN_HEADER);
  }

  const recordKind = integration.recordWebhooks.some((hook) => hook.event === event)
    ? recordKindOfEvent(recordEventNames(integration.recordEvents), event)
    : null;
  if (!integration.events.includes(event) && !recordKind) {
    const message = event
      ? `The event "${event.slice(0, 100)}" is not registered for this account.`
      : `The ${EVENT_HEADER} header is missing.`;
    return intakeError("unknown_event", message, EVENT_HEADER);
  }

  const delivery = await parseDelivery(headers, readBody);
  if (delivery instanceof Response) return delivery;
  const received = { event, key: delivery.invoiceNumber, headers: delivery.stored, body: delivery.json };
  if (recordKind) return receiveRecordEvent(db, integration.companyId, recordKind, received, options);
  const result = await enqueueTransfer(db, {
    companyId: integration.companyId,
    rackbeatInvoiceNumber: delivery.invoiceNumber,
    event: received,
  });
  return accepted(result, integration.companyId, options);
}

function accepted(result: EnqueueResult, companyId: string, options: ReceiveOptions): Response {
  if (result.status === "queued") {
    options.onQueued?.({ transferId: result.transferId, companyId });
  }
  return Response.json({ transferId: result.transferId, status: result.status }, { status: 202 });
}

interface ParsedDelivery {
  invoiceNumber: string;
  json: unknown;
  /** The headers stored with the event (never the token). */
  stored: Record<string, string>;
}

/** Content type (415) → size (413) → JSON (400) → body (400, naming the field), in that order. */
async function parseDelivery(
  headers: Headers,
  readBody: () => Promise<ReadBodyResult>,
): Promise<ParsedDelivery | Response> {
  if (!isJsonContentType(headers.get("content-type"))) {
    return intakeError("unsupported_media_type", "The body must be application/json.", "Content-Type");
  }
  const tooLarge = () =>
    intakeError("payload_too_large", `The body must be at most ${MAX_WEBHOOK_BODY_BYTES} bytes.`);
  if ((declaredLength(headers) ?? 0) > MAX_WEBHOOK_BODY_BYTES) return tooLarge();
  const read = await readBody();
  if (!read.ok) {
    return read.reason === "too_large"
      ? tooLarge()
      : intakeError("invalid_body", "The body could not be read.");
  }
  const json = parseStorableJson(read.bytes);
  if (!json.ok) return intakeError("invalid_json", json.message);
  const body = checkWebhookBody(json.value);
  if (!body.ok) return intakeError("invalid_body", body.message, body.field);
  const stored: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!UNSTORED_HEADERS.has(name)) stored[name] = value;
  });
  return { invoiceNumber: body.invoiceNumber, json: json.value, stored };
}

/**
 * A master-data event (debitor integration, lib/sync): the key is the record's number; a burst of
 * events for one record collapses into one queued sync (`enqueueRecordSync`). Same answer as for an
 * invoice: 202 with the sync's id and status.
 */
async function receiveRecordEvent(
  db: Db,
  companyId: string,
  kind: RecordKind,
  event: ReceivedEvent,
  options: ReceiveOptions,
): Promise<Response> {
  const number = recordNumberOf(event.key);
  if (number === null) {
    return intakeError("invalid_body", "key must be a record number (1 to 999999999).", "key");
  }
  const result = await enqueueRecordSync(db, { companyId, record: { kind, number }, event });
  if (result.status === "queued") {
    options.onQueued?.({ transferId: result.transferId, companyId });
  }
  return Response.json({ transferId: result.transferId, status: result.status }, { status: 202 });
}
