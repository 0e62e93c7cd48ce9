import { describe, expect, it } from "vitest";
import { ECONOMIC_WEB_APP_URL, economicWebAppUrl } from "./web-app";

describe("economicWebAppUrl", () => {
  it("links to e-conomic's web app only for the real e-conomic, never to a REST address", () => {
    expect(economicWebAppUrl("https://restapi.e-conomic.com")).toBe(ECONOMIC_WEB_APP_URL);
    expect(economicWebAppUrl("http://localhost:3000/sandbox/economic")).toBeUndefined();
    expect(economicWebAppUrl("not a url")).toBeUndefined();
    expect(ECONOMIC_WEB_APP_URL).not.toContain("restapi");
  });
});
