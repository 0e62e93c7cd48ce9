import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache, withoutEmpty } from "./env";

describe("environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it("treats a variable set to an empty string as unset", () => {
    process.env.SANDBOX = "";
    process.env.WORKER = "";
    process.env.DATABASE_URL = " ";
    process.env.PGLITE_DIR = "";
    resetEnvCache();
    const e = env();
    expect(e.SANDBOX).toBeUndefined();
    expect(e.WORKER).toBe("1");
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PGLITE_DIR).toBe(".data/pglite");
  });

  it("still refuses a value that is set and wrong, naming the variable", () => {
    process.env.SANDBOX = "yes";
    resetEnvCache();
    expect(() => env()).toThrow(/SANDBOX/);
  });

  it("withoutEmpty keeps set values as they are", () => {
    expect(withoutEmpty({ A: "1", B: "", C: "  ", D: undefined })).toEqual({ A: "1" });
  });
});
