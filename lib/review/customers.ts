import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Names longer than this are cut in transfer_customers: the name is part of its primary key, and a
 * btree entry must stay under ~2.7 kB (4 bytes a character at worst). A search term is ≤ 100.
 */
export const CUSTOMER_NAME_KEY_LENGTH = 500;

export interface SeenCustomer {
  companyId: string;
  customerNumber?: string | null;
  customerName?: string | null;
}

/**
 * Remembers that a company's transfer carries this customer number and name, for the review
 * search by name. Idempotent; an already known pair only moves its last-seen time forward.
 */
export async function recordTransferCustomer(db: Db, customer: SeenCustomer): Promise<void> {
  // The number exactly as on the transfer: the search joins on it.
  const number = customer.customerNumber;
  const name = customer.customerName?.trim();
  if (!number || !name) return;
  await db.execute(sql`insert into transfer_customers (company_id, customer_number, customer_name, last_seen_at)
    values (${customer.companyId}::uuid, ${number}, left(${name}, ${CUSTOMER_NAME_KEY_LENGTH}), now())
    on conflict (company_id, customer_number, customer_name) do update
      set last_seen_at = greatest(transfer_customers.last_seen_at, excluded.last_seen_at)`);
}
