/**
 * A fixed-window request counter per client, in memory (the sandbox is one per process). Used for
 * the sandbox's admin endpoints, which anyone may call: creating accounts, redelivering webhooks.
 */
export interface RateLimitOptions {
  /** Requests one client may make per window. */
  max: number;
  windowMs: number;
  /** Who the client is (its IP address as far as proxies are trusted). */
  clientKey: (request: Request) => string;
}

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: RateLimitOptions) {}

  /** 0 when the request may proceed (and is counted), else the seconds until it may. */
  retryAfterSeconds(request: Request, now = Date.now()): number {
    const key = this.options.clientKey(request);
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) this.sweep(now);
      this.windows.set(key, { count: 1, resetAt: now + this.options.windowMs });
      return 0;
    }
    if (window.count >= this.options.max) return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
    window.count++;
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
