import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { currentUser, isAdmin } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { connectEconomic, economicTokenInputSchema } from "@/lib/integrations/connect-economic";
import {
  ECONOMIC_CALLBACK_PATH,
  ECONOMIC_STATE_COOKIE,
  type GrantResult,
  grantStatesMatch,
} from "@/lib/integrations/economic-grant";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function back(result: GrantResult, clearState: boolean): Response {
  const location = new URL("/setup", env().APP_URL);
  location.searchParams.set("economic", result);
  const headers = new Headers({ Location: location.toString(), "Cache-Control": "no-store" });
  if (clearState) {
    headers.append(
      "Set-Cookie",
      `${ECONOMIC_STATE_COOKIE}=; Path=${ECONOMIC_CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`,
    );
  }
  return new Response(null, { status: 303, headers });
}

/**
 * e-conomic's grant page sends the browser here with `?token=` after the user approved our app.
 * Session and admin role first, then the state this browser was given (single use), then the
 * token is tested and stored exactly as a pasted one.
 */
export async function GET(request: Request): Promise<Response> {
  const user = await currentUser();
  if (!user) {
    const login = new URL("/login", env().APP_URL);
    login.searchParams.set("callbackUrl", "/setup");
    return Response.redirect(login, 303);
  }
  if (!isAdmin(user)) return back("forbidden", true);
  const url = new URL(request.url);
  const expected = (await cookies()).get(ECONOMIC_STATE_COOKIE)?.value;
  if (!grantStatesMatch(url.searchParams.get("state"), expected)) return back("state", true);
  const parsed = economicTokenInputSchema.safeParse({
    agreementGrantToken: url.searchParams.get("token") ?? "",
  });
  if (!parsed.success) return back("missing", true);
  const result = await connectEconomic(await getDb(), user.companyId, parsed.data);
  return back(result.ok ? "connected" : result.error, true);
}
