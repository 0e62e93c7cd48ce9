/**
 * A trivial HTTP server for bench:economic: answers every request with FIXED_BODY (JSON) at once,
 * on 127.0.0.1:PORT, in a process of its own, so the benchmark's client side is all that differs
 * between our e-conomic client and a bare fetch.
 */
import http from "node:http";

const body = Buffer.from(process.env.FIXED_BODY ?? "{}");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`fixed server listening on ${JSON.stringify(server.address())}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
