import { z } from "zod";

/**
 * The environment, read lazily and validated once, so `next build` and modules that are merely
 * imported never need a database or secrets. Defaults are the embedded development setup.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SANDBOX: z.enum(["0", "1"]).optional(),
  DATABASE_URL: z.url().optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  /** postgresql.conf lines for PGlite, `;`-separated, after ours (db/pglite-open.ts), e.g. "shared_buffers=128MB". */
  PGLITE_CONF: z.string().optional(),
  /** Where new PGlite databases' template is kept; "0" builds every new database from scratch. */
  PGLITE_TEMPLATE_DIR: z.string().min(1).optional(),
  /** Defaults to this server on localhost, at PORT when set (so the built-in sandboxes are found). */
  APP_URL: z.url().optional(),
  PORT: z.string().regex(/^\d+$/).optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  ENCRYPTION_KEY: z.string().min(32).optional(),
  ECONOMIC_APP_SECRET_TOKEN: z.string().min(1).optional(),
  ECONOMIC_APP_PUBLIC_TOKEN: z.string().min(1).optional(),
  ECONOMIC_API_URL: z.url().optional(),
  ECONOMIC_PRODUCTS_API_URL: z.url().optional(),
  ECONOMIC_PROJECTS_API_URL: z.url().optional(),
  ECONOMIC_GRANT_URL: z.url().optional(),
  RACKBEAT_API_URL: z.url().optional(),
  SMTP_URL: z.string().optional(),
  WORKER: z.enum(["0", "1"]).default("1"),
  /** Proxies in front of this server whose X-Forwarded-For entries are trusted (lib/http/client-ip.ts). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Registrations one IP may make before each further one waits (lib/auth/throttle.ts). */
  REGISTRATIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Milliseconds between reconciliation sweeps per company; 0 turns the sweep off. */
  SWEEP_INTERVAL_MS: z.string().regex(/^\d+$/).optional(),
  /** Concurrent webhook deliveries share one transaction commit (lib/intake/group-commit.ts); 0 = one each. */
  INTAKE_GROUP_COMMIT: z.enum(["0", "1"]).default("1"),
  /** How long a delivery waits for others to share its commit, in ms; 0 = no timer (group commit only). */
  INTAKE_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(50).default(0),
  /** Deliveries per shared commit at most (group commit only). */
  INTAKE_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(64),
  /** Shared commits in flight at once at most, each on a pooled connection (group commit only). */
  INTAKE_BATCH_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(2),
});

export type Env = Omit<z.infer<typeof envSchema>, "APP_URL"> & { APP_URL: string };

let cached: Env | undefined;

/**
 * A variable set to "" (`SANDBOX=` in a compose file or a shell) means unset: its default applies,
 * rather than a validation error on every request.
 */
export function withoutEmpty(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => (entry[1] ?? "").trim() !== ""),
  );
}

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(withoutEmpty(process.env));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${fields}`);
    }
    cached = {
      ...parsed.data,
      APP_URL: parsed.data.APP_URL ?? `http://localhost:${parsed.data.PORT ?? "3000"}`,
    };
  }
  return cached;
}

/** Sandboxes, the demo user and development defaults exist only outside production or with SANDBOX=1. */
export function isSandboxMode(): boolean {
  return process.env.NODE_ENV !== "production" || process.env.SANDBOX === "1";
}

/** A fixed, public development secret: acceptable only because it is refused in production. */
const DEV_SECRET = "development-only-secret-do-not-use-in-production-0123456789";

export function authSecret(): string {
  const value = env().AUTH_SECRET;
  if (value) return value;
  if (isSandboxMode()) return DEV_SECRET;
  throw new Error("AUTH_SECRET must be set (32+ characters) in production");
}

export function encryptionKey(): string {
  const value = env().ENCRYPTION_KEY;
  if (value) return value;
  if (isSandboxMode()) return `${DEV_SECRET}-encryption`;
  throw new Error("ENCRYPTION_KEY must be set (32+ characters) in production");
}

export function economicAppSecretToken(): string {
  const value = env().ECONOMIC_APP_SECRET_TOKEN;
  if (value) return value;
  if (isSandboxMode()) return "sandbox";
  throw new Error("ECONOMIC_APP_SECRET_TOKEN must be set in production");
}

/** Base URLs of the external systems: the built-in sandboxes unless configured. */
export type ExternalUrls = ReturnType<typeof externalUrls>;

export function externalUrls() {
  const e = env();
  const app = e.APP_URL.replace(/\/$/, "");
  const sandbox = isSandboxMode();
  const pick = (value: string | undefined, real: string, local: string) =>
    (value ?? (sandbox ? local : real)).replace(/\/$/, "");
  return {
    economicRest: pick(e.ECONOMIC_API_URL, "https://restapi.e-conomic.com", `${app}/sandbox/economic`),
    economicProducts: pick(
      e.ECONOMIC_PRODUCTS_API_URL,
      "https://apis.e-conomic.com/productsapi/v1.1.0",
      `${app}/sandbox/economic/productsapi/v1.1.0`,
    ),
    economicProjects: pick(
      e.ECONOMIC_PROJECTS_API_URL,
      "https://apis.e-conomic.com/projectsapi/v1.1.0",
      `${app}/sandbox/economic/projectsapi/v1.1.0`,
    ),
    economicGrant: pick(
      e.ECONOMIC_GRANT_URL,
      "https://secure.e-conomic.com/secure/api1/requestaccess.aspx",
      `${app}/sandbox/economic/requestaccess`,
    ),
    rackbeat: pick(e.RACKBEAT_API_URL, "https://app.rackbeat.com/api", `${app}/sandbox/rackbeat/api`),
  };
}

/** For tests: forget the parsed environment after changing process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
