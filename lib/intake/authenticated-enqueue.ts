import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import type { TransferStatus } from "@/db/schema";
import { hashToken } from "@/lib/crypto/secrets";
import type { ReceivedEvent } from "@/lib/transfer/queue";
import { notifyQueuedSql } from "@/lib/transfer/wakeup";

export interface FastDelivery {
  accountId: string;
  token: string;
  event: ReceivedEvent;
  invoiceNumber: string;
}

export type FastResult =
  /** Not an invoice delivery this statement can vouch for: the caller takes the full path. */
  | { kind: "unsure" }
  /** Authenticated, and the invoice already had a transfer: the caller records the repeat. */
  | { kind: "repeat"; companyId: string }
  | { kind: "created"; companyId: string; transferId: string; status: TransferStatus };

/**
 * The intake's common case in one statement (one round trip, one commit): authenticate the
 * delivery (account, the invoice webhook's token by its SHA-256, an event registered for invoices
 * and for no master-data webhook) and insert its transfer and event. Everything else — a wrong
 * token, another event, a master-data event, a repeated invoice — answers `unsure` or `repeat`,
 * and the full path (receive-webhook.ts) decides with the same answers as before.
 *
 * Comparing the token's hash in SQL leaks nothing a timing attack could use: an attacker controls
 * the token, not its SHA-256.
 */
export async function enqueueAuthenticated(db: Db, d: FastDelivery): Promise<FastResult> {
  const [row] = rowsOf<{ company_id: string | null; id: string | null; status: TransferStatus | null }>(
    await db.execute(sql`
      with auth as (
        select company_id from company_integrations
        where rackbeat_account_id = ${d.accountId}
          and rackbeat_webhook_token_hash = ${hashToken(d.token)}
          and ${d.event.event} = any(rackbeat_webhook_events)
          and not exists (
            select 1 from jsonb_array_elements(rackbeat_record_webhooks) h where h->>'event' = ${d.event.event}
          )
      ), t as (
        insert into transfers (company_id, rackbeat_invoice_number, source)
        select company_id, ${d.invoiceNumber}, 'webhook' from auth
        on conflict (company_id, rackbeat_invoice_number) do nothing
        returning id, company_id, status
      ), e as (
        insert into webhook_events (company_id, transfer_id, event, key, headers, body)
        select t.company_id, t.id, ${d.event.event}, ${d.event.key}, ${JSON.stringify(d.event.headers)}::jsonb,
          ${JSON.stringify(d.event.body)}::jsonb
        from t
      )
      select (select company_id::text from auth) as company_id, t.id::text as id, t.status::text as status,
        -- Wakes idle workers in every process (lib/transfer/wakeup.ts), on commit.
        case when t.id is not null then ${notifyQueuedSql(sql`t.company_id`)} end as notified
      from (select 1) one left join t on true`),
  );
  if (!row?.company_id) return { kind: "unsure" };
  if (!row.id || !row.status) return { kind: "repeat", companyId: row.company_id };
  return { kind: "created", companyId: row.company_id, transferId: row.id, status: row.status };
}
