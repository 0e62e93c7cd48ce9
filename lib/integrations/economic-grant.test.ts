import { describe, expect, it } from "vitest";
import { economicCallbackUrl, economicGrantUrl, grantStatesMatch, newGrantState } from "./economic-grant";

const urls = {
  economicRest: "https://rest.example",
  economicProducts: "https://products.example",
  economicProjects: "https://projects.example",
  economicGrant: "https://secure.example/secure/api1/requestaccess.aspx",
  rackbeat: "https://rackbeat.example/api",
};

describe("e-conomic grant flow", () => {
  it("sends the app's public token, our callback with the state, and the Danish locale", () => {
    const url = new URL(economicGrantUrl("st4te", { urls, appUrl: "https://app.example/" }));
    expect(url.origin + url.pathname).toBe(urls.economicGrant);
    expect(url.searchParams.get("appPublicToken")).toBe("sandbox");
    expect(url.searchParams.get("locale")).toBe("da-DK");
    expect(url.searchParams.get("redirectUrl")).toBe(
      "https://app.example/setup/economic/callback?state=st4te",
    );
  });

  it("keeps the state when the grant page appends the token", () => {
    const back = new URL(economicCallbackUrl("abc", { appUrl: "http://127.0.0.1:3000" }));
    back.searchParams.set("token", "granted");
    expect(back.searchParams.get("state")).toBe("abc");
    expect(back.searchParams.get("token")).toBe("granted");
  });

  it("states are random and compared exactly", () => {
    const a = newGrantState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newGrantState()).not.toBe(a);
    expect(grantStatesMatch(a, a)).toBe(true);
    expect(grantStatesMatch(`${a}x`, a)).toBe(false);
    expect(grantStatesMatch(a, undefined)).toBe(false);
    expect(grantStatesMatch(null, a)).toBe(false);
  });
});
