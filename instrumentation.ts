// Runs once per server start: prepare the database (migrations run inside getDb) and, in sandbox
// mode, the demo company, and start the transfer workers.
export async function register() {
  // Written as a block (not an early return) so the edge bundle drops the Node-only import.
  if (process.env.NEXT_RUNTIME === "nodejs") {
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
