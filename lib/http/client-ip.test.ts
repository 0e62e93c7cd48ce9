import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIp, clientIpFromChain, forwardedChain, PEER_CHAIN_HEADER } from "./client-ip";
import { installPeerAddressStamp } from "./peer-address";

/** The headers a route handler would see: what the stamp wrote (finding 2). */
const stamped = (forwardedFor: string | undefined, peer: string) => {
  const headers = new Headers();
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  headers.set(PEER_CHAIN_HEADER, forwardedChain(forwardedFor, peer).join(", "));
  return headers;
};

describe("client IP from trusted proxy hops", () => {
  it("0 hops: the socket address, whatever X-Forwarded-For says", () => {
    expect(clientIp(stamped(undefined, "203.0.113.5"), 0)).toBe("203.0.113.5");
    expect(clientIp(stamped("1.2.3.4", "203.0.113.5"), 0)).toBe("203.0.113.5");
    expect(clientIp(stamped("1.2.3.4, 5.6.7.8", "::ffff:203.0.113.5"), 0)).toBe("203.0.113.5");
  });

  it("1 hop: the address the proxy appended, not what the client put before it", () => {
    // Client 198.51.100.7 → proxy 10.0.0.2 (appends the client) → us.
    expect(clientIp(stamped("198.51.100.7", "10.0.0.2"), 1)).toBe("198.51.100.7");
    // A client forging "1.1.1.1" gets it kept on the left; the proxy still appends the truth.
    expect(clientIp(stamped("1.1.1.1, 198.51.100.7", "10.0.0.2"), 1)).toBe("198.51.100.7");
  });

  it("2 hops: two proxies' entries from the right", () => {
    // Client → CDN (appends client) → load balancer (appends CDN) → us.
    expect(clientIp(stamped("198.51.100.7, 172.16.0.9", "10.0.0.2"), 2)).toBe("198.51.100.7");
    expect(clientIp(stamped("6.6.6.6, 7.7.7.7, 198.51.100.7, 172.16.0.9", "10.0.0.2"), 2)).toBe(
      "198.51.100.7",
    );
  });

  it("a chain shorter than the hops gives its leftmost entry; an empty one gives null", () => {
    expect(clientIpFromChain(["10.0.0.2"], 2)).toBe("10.0.0.2");
    expect(clientIpFromChain([], 0)).toBeNull();
  });

  it("a new forged X-Forwarded-For per request never changes the address at 0 hops", () => {
    const seen = new Set<string | null>();
    for (let i = 0; i < 50; i++) seen.add(clientIp(stamped(`10.0.${i}.1`, "203.0.113.5"), 0));
    expect([...seen]).toEqual(["203.0.113.5"]);
  });
});

describe("the peer-chain stamp on a real HTTP server", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    installPeerAddressStamp();
    server = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ chain: req.headers[PEER_CHAIN_HEADER] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("appends the socket address and replaces a chain header the client forged", async () => {
    const plain = (await (await fetch(url)).json()) as { chain: string };
    expect(plain.chain).toBe("127.0.0.1");
    const forged = (await (
      await fetch(url, { headers: { "x-forwarded-for": "6.6.6.6", [PEER_CHAIN_HEADER]: "6.6.6.6" } })
    ).json()) as { chain: string };
    expect(forged.chain).toBe("6.6.6.6, 127.0.0.1");
    expect(clientIpFromChain(forged.chain.split(", "), 0)).toBe("127.0.0.1");
  });
});
