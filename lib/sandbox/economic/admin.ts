import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { jsonResponse, readJson } from "./context";
import { ApiError, errorCodes, errorResponse } from "./errors";
import { appendRules, clearRules, faultPlanSchema, readRules } from "./faults";
import { agreements } from "./schema";
import { createAgreement } from "./store";

const agreementInput = z.strictObject({
  companyName: z.string().min(1).max(255).optional(),
  cvr: z.string().max(40).optional(),
});

function badRequest(message: string): ApiError {
  return new ApiError(errorResponse(400, errorCodes.badRequest, message));
}

/** `POST /agreements`: a new seeded agreement; the body (optional) may name the company or clear the CVR. */
export async function postAgreement(db: Db, request: Request): Promise<Response> {
  const hasBody =
    (request.headers.get("content-length") ?? "") !== "0" && request.headers.has("content-type");
  const parsed = agreementInput.safeParse(hasBody ? await readJson(request) : {});
  if (!parsed.success)
    throw badRequest(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const agreement = await createAgreement(db, parsed.data);
  return jsonResponse(
    {
      agreementGrantToken: agreement.grantToken,
      agreementNumber: agreement.agreementNumber,
      companyName: agreement.companyName,
    },
    201,
  );
}

/** `/agreements/{token}/faults`: POST appends rules to the plan, GET shows it, DELETE clears it. */
export async function faultsAdmin(db: Db, request: Request, token: string): Promise<Response> {
  const [agreement] = await db
    .select({ agreementNumber: agreements.agreementNumber })
    .from(agreements)
    .where(eq(agreements.grantToken, token));
  if (!agreement) throw new ApiError(errorResponse(404, errorCodes.notFound, "Agreement not found."));
  switch (request.method) {
    case "GET":
      return jsonResponse({ rules: await readRules(db, agreement.agreementNumber) });
    case "DELETE":
      await clearRules(db, agreement.agreementNumber);
      return new Response(null, { status: 204 });
    default: {
      const parsed = faultPlanSchema.safeParse(await readJson(request));
      if (!parsed.success) {
        throw badRequest(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      }
      const rules = await appendRules(db, agreement.agreementNumber, parsed.data);
      return Response.json({ rules }, { status: 201 });
    }
  }
}

function isHttpUrl(value: string | null): value is string {
  if (!value) return false;
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function html(body: string, status = 200): Response {
  return new Response(
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>e-conomic sandbox: giv adgang</title></head><body>${body}</body></html>`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}

/** The stand-in for e-conomic's requestaccess.aspx: approve creates an agreement and redirects with its token. */
export async function grantPage(db: Db, request: Request, action: string): Promise<Response> {
  if (request.method === "GET") {
    const url = new URL(request.url);
    const appPublicToken = url.searchParams.get("appPublicToken");
    const redirectUrl = url.searchParams.get("redirectUrl");
    if (!appPublicToken || !isHttpUrl(redirectUrl)) {
      return html(
        "<h1>Ugyldig anmodning</h1><p>appPublicToken og en http(s) redirectUrl er påkrævet.</p>",
        400,
      );
    }
    return html(`<main>
<h1>Giv adgang til dit e-conomic-regnskab (sandkasse)</h1>
<p>En app beder om adgang til et nyt sandkasse-regnskab.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="appPublicToken" value="${escapeHtml(appPublicToken)}">
<input type="hidden" name="redirectUrl" value="${escapeHtml(redirectUrl)}">
<label for="companyName">Firmanavn</label>
<input id="companyName" name="companyName" value="Sandkasse ApS">
<button type="submit">Godkend</button>
</form>
</main>`);
  }
  const form = await request.formData().catch(() => undefined);
  const redirectUrl = form?.get("redirectUrl");
  const companyName = form?.get("companyName");
  if (!form?.get("appPublicToken") || typeof redirectUrl !== "string" || !isHttpUrl(redirectUrl)) {
    return html(
      "<h1>Ugyldig anmodning</h1><p>appPublicToken og en http(s) redirectUrl er påkrævet.</p>",
      400,
    );
  }
  const name =
    typeof companyName === "string" && companyName.trim() ? companyName.trim().slice(0, 255) : undefined;
  const agreement = await createAgreement(db, { companyName: name });
  const target = new URL(redirectUrl);
  target.searchParams.set("token", agreement.grantToken);
  return new Response(null, { status: 303, headers: { Location: target.toString() } });
}
