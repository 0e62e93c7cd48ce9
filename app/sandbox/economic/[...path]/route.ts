import { getDb } from "@/db/client";
import { isSandboxMode } from "@/lib/env";
import { createEconomicSandbox } from "@/lib/sandbox/economic/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

let sandbox: ((request: Request) => Promise<Response>) | undefined;

async function handle(request: Request): Promise<Response> {
  // Outside sandbox mode the sandbox does not exist, so it answers as an unknown route would.
  if (!isSandboxMode()) return Response.json({ message: "Not found." }, { status: 404 });
  sandbox ??= createEconomicSandbox({ db: getDb });
  return sandbox(request);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
