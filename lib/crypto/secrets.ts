import "server-only";
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { encryptionKey } from "@/lib/env";

/**
 * Secrets at rest (e-conomic grant tokens, Rackbeat API keys): AES-256-GCM with a key derived from
 * ENCRYPTION_KEY by HKDF. Stored as "v1.<iv>.<tag>.<ciphertext>" (base64url), so a later key or
 * algorithm can be introduced next to this one.
 */
const VERSION = "v1";
let cachedKey: { source: string; key: Buffer } | undefined;

function key(): Buffer {
  const source = encryptionKey();
  if (cachedKey?.source !== source) {
    const derived = Buffer.from(hkdfSync("sha256", source, "rackbeat-economic", "secrets-v1", 32));
    cachedKey = { source, key: derived };
  }
  return cachedKey.key;
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const encrypted = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), encrypted.toString("base64url")].join(
    ".",
  );
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("Unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** What the UI may show of a secret: its last four characters. */
export function secretHint(plain: string): string {
  return `…${plain.slice(-4)}`;
}

/** Webhook tokens are only compared, never shown: a hash is enough to store. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashToken(token), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
