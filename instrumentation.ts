// Runs once per server start: opens (and migrates) the database, creates the demo company in
// sandbox mode, and starts the transfer workers with their graceful shutdown (lib/server-start.ts).
// A database that is down does not stop the start: the server reports it on /api/health. In
// development the start is not awaited, so the first page compiles meanwhile.
export async function register() {
  // Written as a block (not an early return) so the edge bundle drops the Node-only import.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so throttles see each request's true client address (lib/http/client-ip.ts).
    const { installPeerAddressStamp } = await import("./lib/http/peer-address");
    installPeerAddressStamp();
    const { startServer } = await import("./lib/server-start");
    if (process.env.NODE_ENV === "production") {
      await startServer();
    } else {
      // In development the server starts compiling the first page meanwhile (every request awaits
      // the same migrated database through getDb), so `npm run dev` shows a page sooner.
      startServer().catch((error) => console.error("server start failed", error));
    }
  }
}
