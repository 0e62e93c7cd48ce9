import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { env } from "@/lib/env";

/**
 * Opening the embedded database (PGlite), fast and lean.
 *
 * Memory: PGlite runs Postgres with its stock `shared_buffers` of 128 MB inside the Node process. Our
 * embedded databases are small, so 32 MB of buffers serve them (`npm run bench:startup` measures the
 * server's idle RSS: 405 MB at 128 MB of buffers, 308 MB at 16). Not less: at 16 MB the engine's
 * 200-invoice fault test (lib/transfer/run.test.ts) took 221 s instead of 30 s on PGlite, while 32
 * and 64 MB took 30 and 33 s. These lines are applied to every PGlite we open (postgresqlconf, PGlite's option for
 * postgresql.conf lines), followed by the PGLITE_CONF setting's lines for a database that needs more.
 *
 * Start: a new PGlite data directory costs an initdb — seconds of CPU, 4 s on an idle 2-core machine
 * in memory and twice that on disk — plus the extensions and the migrations. Every new database of
 * this schema starts out byte-for-byte the same, so the first one is built once, in memory, dumped as
 * a tarball (`dumpDataDir`) into `node_modules/.cache/pglite-template/`, and every later new database
 * — the dev server's first start, each test's in-memory database — is loaded from it (`loadDataDir`).
 * The tarball's name carries a hash of what makes it: PGlite's version, `pgliteConf()`, the extensions
 * and every committed migration, so a new migration makes a new template and an old one is never used.
 * `npm install` builds it (the `postinstall` script), so a fresh clone's first `npm run dev` need not.
 * PGLITE_TEMPLATE_DIR moves it elsewhere, or turns it off ("0").
 */

/** postgresql.conf lines for every PGlite we open: small buffers for a small embedded database. */
const DEFAULT_CONF = ["shared_buffers = 32MB", "wal_buffers = 1MB", "maintenance_work_mem = 16MB"];

/** Ours, then the PGLITE_CONF setting's lines (a later line wins in postgresql.conf). */
export function pgliteConf(): string[] {
  const extra = (env().PGLITE_CONF ?? "")
    .split(";")
    .map((line) => line.trim())
    .filter(Boolean);
  return [...DEFAULT_CONF, ...extra];
}

/**
 * The extensions the schema's indexes need (pg_trgm and btree_gin: the review search by customer
 * name). drizzle-kit does not emit CREATE EXTENSION, so they are created before the migrations.
 */
export const CREATE_EXTENSIONS =
  "create extension if not exists pg_trgm; create extension if not exists btree_gin";

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db/migrations");

/** Where the template is kept; undefined when the PGLITE_TEMPLATE_DIR setting turns it off ("0"). */
function templateDir(): string | undefined {
  const setting = env().PGLITE_TEMPLATE_DIR;
  if (setting === "0") return undefined;
  return path.resolve(setting ?? path.join("node_modules", ".cache", "pglite-template"));
}
const TEMPLATE_PREFIX = "template-";

async function pgliteOptions(loadDataDir?: Blob) {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  return {
    extensions: { pg_trgm, btree_gin },
    postgresqlconf: pgliteConf(),
    ...(loadDataDir ? { loadDataDir } : {}),
  };
}

/** Everything a new database is made of; its hash names the template. */
export function templateKey(migrationsFolder = MIGRATIONS_FOLDER): string {
  const hash = createHash("sha256");
  // PGlite's package.json is not in its exports: read it where npm put it.
  const pglite = JSON.parse(
    readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8"),
  ) as { version: string };
  hash.update(`pglite ${pglite.version}\n${pgliteConf().join("\n")}\n${CREATE_EXTENSIONS}\n`);
  const files = readdirSync(migrationsFolder, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sql") || f.endsWith(".json"))
    .sort();
  for (const file of files) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

/** A migrated, in-memory PGlite built from nothing: initdb, the extensions, the migrations. */
async function buildFromScratch(migrationsFolder: string): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const client = new PGlite("memory://", await pgliteOptions());
  await client.exec(CREATE_EXTENSIONS);
  await migrateClient(client, migrationsFolder);
  return client;
}

export async function migrateClient(client: PGlite, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(drizzle(client, { casing: "snake_case" }), { migrationsFolder });
}

/** Writes the template (atomically: a concurrent reader sees the whole file or none) and drops old ones. */
async function saveTemplate(client: PGlite, dir: string, key: string): Promise<Blob> {
  const blob = (await client.dumpDataDir("none")) as Blob;
  try {
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, `${TEMPLATE_PREFIX}${key}.tar`);
    const partial = `${target}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, target);
    for (const old of readdirSync(dir)) {
      if (old.startsWith(TEMPLATE_PREFIX) && old !== path.basename(target) && !old.endsWith(".partial")) {
        await rm(path.join(dir, old), { force: true });
      }
    }
  } catch (error) {
    // A read-only install still works: every new database is then built from scratch.
    console.warn("could not keep the PGlite template", error);
  }
  return blob;
}

/** The template of this schema: from the cache, else built (and kept for next time); none when off. */
export async function pgliteTemplate(migrationsFolder = MIGRATIONS_FOLDER): Promise<Blob | undefined> {
  const dir = templateDir();
  if (!dir) return undefined;
  const key = templateKey(migrationsFolder);
  const cached = await readFile(path.join(dir, `${TEMPLATE_PREFIX}${key}.tar`)).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const client = await buildFromScratch(migrationsFolder);
  try {
    return await saveTemplate(client, dir, key);
  } finally {
    await client.close();
  }
}

function isNewDataDir(dir: string): boolean {
  return !existsSync(path.join(dir, "PG_VERSION"));
}

/**
 * Opens PGlite in `dir` ("memory://" for an in-memory database), migrated. A new database starts
 * from the template; an existing one is opened as it is and migrated forward.
 */
export async function openPglite(dir: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  let client: PGlite;
  if (dir.startsWith("memory://")) {
    client = new PGlite(dir, await pgliteOptions(await pgliteTemplate(migrationsFolder)));
  } else {
    await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
    if (isNewDataDir(dir)) {
      // Unpacking the template grows PGlite's WebAssembly memory, which never shrinks again (the
      // server's idle RSS: 430 MB after a new database, 305 MB after a restart, bench:startup). So
      // one instance unpacks it into the directory and closes, and a fresh one serves it.
      const unpack = new PGlite(dir, await pgliteOptions(await pgliteTemplate(migrationsFolder)));
      await unpack.waitReady;
      await unpack.close();
    }
    client = new PGlite(dir, await pgliteOptions());
  }
  // Creating the extensions loads them into this session's backend; a no-op for the catalog.
  await client.exec(CREATE_EXTENSIONS);
  await migrateClient(client, migrationsFolder);
  return client;
}
