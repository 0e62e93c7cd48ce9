import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, type RetryPolicy, retrying } from "./retry";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 10_000 };

function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe("backoffDelay", () => {
  it("grows exponentially with full jitter and is capped", () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, policy, top)).toBe(99);
    expect(backoffDelay(2, policy, top)).toBe(199);
    expect(backoffDelay(3, policy, top)).toBe(399);
    expect(backoffDelay(4, policy, top)).toBe(799);
    expect(backoffDelay(5, policy, top)).toBe(999);
    expect(backoffDelay(60, policy, top)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP date relative to now, clamping the past to 0", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores absent or malformed values", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("retrying", () => {
  it("retries retryable errors until success, waiting the jittered back-off", async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    const result = await retrying(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw new Error("flaky");
        return "ok";
      },
      { ...policy, classify: () => ({ retry: true }) },
      { sleep: clock.sleep, now: clock.now, random: () => 0.5 },
    );
    expect(result).toBe("ok");
    expect(attempts).toEqual([1, 2, 3]);
    expect(clock.waits).toEqual([50, 100]);
  });

  it("prefers the server's retryAfterMs over the back-off", async () => {
    const clock = fakeClock();
    let calls = 0;
    await retrying(
      async () => {
        calls++;
        if (calls === 1) throw new Error("429");
        return 1;
      },
      { ...policy, classify: () => ({ retry: true, retryAfterMs: 2_500 }) },
      { sleep: clock.sleep, now: clock.now, random: () => 0.5 },
    );
    expect(clock.waits).toEqual([2_500]);
  });

  it("stops at a non-retryable error and rethrows it unchanged", async () => {
    const clock = fakeClock();
    const fatal = new Error("400");
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw fatal;
        },
        { ...policy, classify: () => ({ retry: false }) },
        { sleep: clock.sleep, now: clock.now },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it("is bounded by maxAttempts and throws the last error", async () => {
    const clock = fakeClock();
    let calls = 0;
    const error = retrying(
      async (attempt) => {
        calls++;
        throw new Error(`attempt ${attempt}`);
      },
      { ...policy, classify: () => ({ retry: true }) },
      { sleep: clock.sleep, now: clock.now, random: () => 1 },
    );
    await expect(error).rejects.toThrow("attempt 5");
    expect(calls).toBe(5);
    expect(clock.waits).toEqual([100, 200, 400, 800]);
  });

  it("gives up when the next wait would overrun the total time budget", async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw new Error("busy");
        },
        { ...policy, maxElapsedMs: 5_000, classify: () => ({ retry: true, retryAfterMs: 3_000 }) },
        { sleep: clock.sleep, now: clock.now },
      ),
    ).rejects.toThrow("busy");
    expect(calls).toBe(2);
    expect(clock.waits).toEqual([3_000]);
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = retrying(
      async () => {
        calls++;
        throw new Error("flaky");
      },
      { ...policy, classify: () => ({ retry: true, retryAfterMs: 60_000 }), maxElapsedMs: 120_000 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("cancelled")), 10);
    await expect(run).rejects.toThrow("cancelled");
    expect(calls).toBe(1);
  });
});
