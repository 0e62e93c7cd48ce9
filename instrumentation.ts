// Runs once per server start: prepare the database (migrations run inside getDb) and, in sandbox
// mode, the demo company. Later issues start the transfer workers here too.
export async function register() {
  // Written as a block (not an early return) so the edge bundle drops the Node-only import.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, so throttles see each request's true client address (lib/http/client-ip.ts).
    const { installPeerAddressStamp } = await import("./lib/http/peer-address");
    installPeerAddressStamp();
    const { startServer } = await import("./lib/server-start");
    await startServer();
  }
}
