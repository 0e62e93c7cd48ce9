import { describe, expect, it } from "vitest";
import { DEFAULT_PER_COMPANY_LIMIT } from "./queue";
import { workerSettingsFromEnv } from "./worker-settings";

describe("workerSettingsFromEnv", () => {
  it("defaults to 4 at a time per process and per company, polling every 500 ms", () => {
    expect(workerSettingsFromEnv({})).toEqual({ concurrency: 4, perCompanyLimit: 4, pollMs: 500 });
    expect(DEFAULT_PER_COMPANY_LIMIT).toBe(4);
  });

  it("reads each setting", () => {
    expect(
      workerSettingsFromEnv({
        WORKER_CONCURRENCY: "16",
        TRANSFER_PER_COMPANY_LIMIT: "8",
        WORKER_POLL_MS: "30000",
      }),
    ).toEqual({ concurrency: 16, perCompanyLimit: 8, pollMs: 30_000 });
  });

  it.each(["0", "-2", "1.5", "many", " "])("ignores %j", (value) => {
    expect(
      workerSettingsFromEnv({
        WORKER_CONCURRENCY: value,
        TRANSFER_PER_COMPANY_LIMIT: value,
        WORKER_POLL_MS: value,
      }),
    ).toEqual({ concurrency: 4, perCompanyLimit: 4, pollMs: 500 });
  });
});
