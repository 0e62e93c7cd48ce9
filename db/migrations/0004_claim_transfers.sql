-- claim_transfers(p_worker, p_limit, p_lease_ms, p_per_company): the workers' claim in one statement (one
-- round trip, no BEGIN/COMMIT), called by lib/transfer/queue.ts claimTransfers.
--
-- Claims up to `p_limit` due transfers for `p_worker`: status processing, attempts + 1, a lease of
-- `p_lease_ms`, and a transfer_attempts row; at most `p_per_company` of a company in flight across every
-- worker sharing the database.
--
-- - Due means next_attempt_at <= now() for every status: while a transfer is processing,
--   next_attempt_at mirrors lease_expires_at, so a processing row is due once its lease expired.
-- - Flat cost: the companies with due work are found by a skip-scan over transfers_company_due_idx
--   (company_id, next_attempt_at) — one index seek per company to its oldest entry — never by
--   reading every due row. Companies are served oldest-waiting first, each up to its free slots.
-- - Exact per-company limit: a transaction-scoped advisory try-lock per company (a company another
--   worker is claiming for right now is skipped, like a locked row), then the company's in-flight
--   count. The function is VOLATILE plpgsql, so in READ COMMITTED every statement in it takes a
--   fresh snapshot: the count sees every claim committed before the lock was taken.
-- - Rows are locked FOR UPDATE SKIP LOCKED, so workers never wait on each other.
-- - The lease counts from clock_timestamp(), the moment of the claim, not the statement's start.
create or replace function claim_transfers(p_worker text, p_limit int, p_lease_ms int, p_per_company int)
returns table (
  id uuid,
  company_id uuid,
  rackbeat_invoice_number text,
  attempts int,
  attempts_since_retry int,
  checkpoint text
)
language plpgsql volatile
as $$
#variable_conflict use_column
declare
  -- The namespace of the per-company claim locks (CLAIM_LOCK_NAMESPACE in queue.ts).
  lock_ns constant int := 72310002;
  c record;
  taken int := 0;
  in_flight int;
  free int;
  n int;
  lease_until timestamptz;
begin
  if p_limit <= 0 then
    return;
  end if;
  for c in
    with recursive firsts as (
      (select t.company_id, t.next_attempt_at from transfers t
        where t.status in ('queued', 'failed', 'processing') and t.next_attempt_at is not null
        order by t.company_id, t.next_attempt_at
        limit 1)
      union all
      select nxt.company_id, nxt.next_attempt_at from firsts f
      cross join lateral (
        select t.company_id, t.next_attempt_at from transfers t
        where t.status in ('queued', 'failed', 'processing') and t.next_attempt_at is not null
          and t.company_id > f.company_id
        order by t.company_id, t.next_attempt_at
        limit 1
      ) nxt
    )
    select f.company_id from firsts f
    where f.next_attempt_at <= now()
    order by f.next_attempt_at
  loop
    continue when not pg_try_advisory_xact_lock(lock_ns, hashtext(c.company_id::text));
    select count(*)::int into in_flight from transfers t
    where t.company_id = c.company_id and t.status = 'processing' and t.lease_expires_at > now();
    free := least(p_per_company - in_flight, p_limit - taken);
    continue when free <= 0;
    lease_until := clock_timestamp() + p_lease_ms * interval '1 millisecond';
    return query
      with picked as (
        select t.id from transfers t
        where t.company_id = c.company_id
          and t.status in ('queued', 'failed', 'processing')
          and t.next_attempt_at <= now()
          and (t.status <> 'processing' or t.lease_expires_at <= now())
        order by t.next_attempt_at
        limit free
        for update of t skip locked
      ), claimed as (
        update transfers t set
          status = 'processing',
          attempts = t.attempts + 1,
          lease_owner = p_worker,
          lease_expires_at = lease_until,
          next_attempt_at = lease_until,
          updated_at = now()
        from picked where t.id = picked.id
        returning t.id, t.company_id, t.rackbeat_invoice_number, t.attempts,
          t.attempts - t.retry_base_attempts as since, t.checkpoint::text as checkpoint
      ), started as (
        insert into transfer_attempts (transfer_id, attempt, worker)
        select cl.id, cl.attempts, p_worker from claimed cl
      )
      select cl.id, cl.company_id, cl.rackbeat_invoice_number::text, cl.attempts, cl.since, cl.checkpoint
      from claimed cl;
    get diagnostics n = row_count;
    taken := taken + n;
    exit when taken >= p_limit;
  end loop;
end
$$;
