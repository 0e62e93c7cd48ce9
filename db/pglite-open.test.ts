import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { MIGRATIONS_FOLDER, openPglite, pgliteConf, pgliteTemplate, templateKey } from "./pglite-open";

describe("opening PGlite from the schema's template", () => {
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pglite-open-"));
  });
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function pointTemplatesAt(name: string): string {
    const templates = path.join(dir, name);
    process.env.PGLITE_TEMPLATE_DIR = templates;
    resetEnvCache();
    return templates;
  }

  it("names the template after the migrations: a new migration makes a new one", async () => {
    const migrations = path.join(dir, "migrations");
    await cp(MIGRATIONS_FOLDER, migrations, { recursive: true });
    const before = templateKey(migrations);
    expect(templateKey(migrations)).toBe(before);
    await writeFile(path.join(migrations, "9999_later.sql"), "create table later (id int);");
    expect(templateKey(migrations)).not.toBe(before);
  });

  it("keeps one template, and databases made from it are migrated and independent of each other", async () => {
    const templates = pointTemplatesAt("templates");
    const first = await openPglite("memory://");
    expect(await readdir(templates)).toEqual([`template-${templateKey()}.tar`]);
    const second = await openPglite(path.join(dir, "on-disk", "db"));
    try {
      await first.query("insert into companies (name) values ('Første ApS')");
      const names = async (db: typeof first) =>
        (await db.query<{ name: string }>("select name from companies")).rows.map((r) => r.name);
      expect(await names(first)).toEqual(["Første ApS"]);
      expect(await names(second)).toEqual([]);
      const { rows } = await second.query<{ n: number }>(
        "select count(*)::int as n from drizzle.__drizzle_migrations",
      );
      expect(rows[0]?.n).toBeGreaterThan(0);
      expect((await second.query<{ shared_buffers: string }>("show shared_buffers")).rows[0]).toEqual({
        shared_buffers: "32MB",
      });
    } finally {
      await first.close();
      await second.close();
    }
  }, 120_000);

  it("reopens an existing data directory as it is, keeping its rows", async () => {
    pointTemplatesAt("templates");
    const dataDir = path.join(dir, "reopened", "db");
    const db = await openPglite(dataDir);
    await db.query("insert into companies (name) values ('Bevaret ApS')");
    await db.close();
    const again = await openPglite(dataDir);
    try {
      const { rows } = await again.query<{ name: string }>("select name from companies");
      expect(rows.map((r) => r.name)).toEqual(["Bevaret ApS"]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it("builds from scratch, keeping no template, when PGLITE_TEMPLATE_DIR is 0; PGLITE_CONF adds lines", async () => {
    process.env.PGLITE_TEMPLATE_DIR = "0";
    process.env.PGLITE_CONF = "work_mem=2MB; ";
    resetEnvCache();
    expect(await pgliteTemplate()).toBeUndefined();
    expect(pgliteConf().at(-1)).toBe("work_mem=2MB");
    const db = await openPglite("memory://");
    try {
      expect((await db.query<{ work_mem: string }>("show work_mem")).rows[0]).toEqual({ work_mem: "2MB" });
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from companies");
      expect(rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  }, 120_000);
});
