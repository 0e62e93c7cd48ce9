import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as createAccount } from "@/app/sandbox/rackbeat/accounts/route";
import { GET as apiGet } from "@/app/sandbox/rackbeat/api/[...path]/route";

describe("Rackbeat sandbox routes outside sandbox mode", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("answer 404 in production without SANDBOX=1", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("SANDBOX", "0");
    const account = await createAccount(
      new Request("http://localhost/sandbox/rackbeat/accounts", { method: "POST" }),
    );
    expect(account.status).toBe(404);
    expect(await account.json()).toEqual({ message: "Not found." });
    const self = await apiGet(new Request("http://localhost/sandbox/rackbeat/api/self"));
    expect(self.status).toBe(404);
  });
});
