"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { companies } from "@/db/schema";
import { type CurrentUser, currentUser, isAdmin } from "@/lib/auth/session";
import { isSandboxMode } from "@/lib/env";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import { getMessages } from "@/lib/i18n/server";
import { connectEconomic, economicTokenInputSchema } from "@/lib/integrations/connect-economic";
import { connectRackbeat, rackbeatKeyInputSchema } from "@/lib/integrations/connect-rackbeat";
import { defaultsFormSchema, saveDefaults } from "@/lib/integrations/defaults";
import { disconnectEconomic, disconnectRackbeat } from "@/lib/integrations/disconnect";
import {
  ECONOMIC_STATE_COOKIE,
  economicGrantUrl,
  newGrantState,
  stateCookieOptions,
} from "@/lib/integrations/economic-grant";
import { connectSandbox, sendTestInvoice } from "@/lib/integrations/sandbox-setup";
import { economicFailureMessage, rackbeatFailureMessage, validationMessage } from "./messages";

const companySchema = z.object({
  companyName: z.string().trim().min(1, { error: "required" }).max(120, { error: "tooLong" }),
});

export async function updateCompanyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { t } = await getMessages();
  const values = submittedValues(formData, ["companyName"]);
  const user = await currentUser();
  if (!user) return { status: "error", message: t.errors.unauthenticated, values };
  // The server decides: a viewer who submits anyway (a crafted request) changes nothing.
  if (!isAdmin(user)) return { status: "error", message: t.errors.forbidden, values };
  const parsed = companySchema.safeParse(values);
  if (!parsed.success) {
    const keys = z.flattenError(parsed.error).fieldErrors.companyName ?? [];
    return {
      status: "error",
      fieldErrors: {
        companyName: keys.map((k) => format(t.validation[k as keyof typeof t.validation] ?? k, { max: 120 })),
      },
      values,
    };
  }
  const db = await getDb();
  await db.update(companies).set({ name: parsed.data.companyName }).where(eq(companies.id, user.companyId));
  revalidatePath("/", "layout");
  return { status: "success", message: t.setup.saved, values };
}

type Guard = { ok: true; user: CurrentUser; t: Messages } | { ok: false; state: FormState };

/** Every action below changes connections: a signed-in administrator, checked here, not by the UI. */
async function requireAdmin(values?: Record<string, string>): Promise<Guard> {
  const { t } = await getMessages();
  const user = await currentUser();
  if (!user) return { ok: false, state: { status: "error", message: t.errors.unauthenticated, values } };
  if (!isAdmin(user)) return { ok: false, state: { status: "error", message: t.errors.forbidden, values } };
  return { ok: true, user, t };
}

/** "Forbind til e-conomic": remember a fresh state in a cookie, then off to e-conomic's grant page. */
export async function startEconomicGrantAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const state = newGrantState();
  let target: string;
  try {
    target = economicGrantUrl(state);
  } catch (error) {
    // Production without ECONOMIC_APP_PUBLIC_TOKEN: a configuration fault, not the user's.
    console.error("e-conomic grant flow unavailable", error);
    return { status: "error", message: guard.t.errors.unexpected };
  }
  (await cookies()).set(ECONOMIC_STATE_COOKIE, state, stateCookieOptions());
  redirect(target);
}

export async function saveEconomicTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const { user, t } = guard;
  // The token is never sent back to the browser, not even to refill the field.
  const parsed = economicTokenInputSchema.safeParse({
    agreementGrantToken: formData.get("agreementGrantToken") ?? "",
  });
  if (!parsed.success) {
    const keys = z.flattenError(parsed.error).fieldErrors.agreementGrantToken ?? [];
    return {
      status: "error",
      fieldErrors: { agreementGrantToken: keys.map((k) => validationMessage(t, k, 500)) },
    };
  }
  const result = await connectEconomic(await getDb(), user.companyId, parsed.data);
  if (!result.ok) {
    return {
      status: "error",
      fieldErrors: { agreementGrantToken: [economicFailureMessage(t, result.error)] },
    };
  }
  revalidatePath("/setup");
  const company = result.companyName ?? String(result.agreementNumber);
  return { status: "success", message: format(t.setup.economic.connected, { company }) };
}

export async function connectRackbeatAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const { user, t } = guard;
  const parsed = rackbeatKeyInputSchema.safeParse({ apiKey: formData.get("rackbeatApiKey") ?? "" });
  if (!parsed.success) {
    const keys = z.flattenError(parsed.error).fieldErrors.apiKey ?? [];
    return {
      status: "error",
      fieldErrors: { rackbeatApiKey: keys.map((k) => validationMessage(t, k, 2000)) },
    };
  }
  const result = await connectRackbeat(await getDb(), user.companyId, parsed.data);
  if (!result.ok) {
    return { status: "error", fieldErrors: { rackbeatApiKey: [rackbeatFailureMessage(t, result.error)] } };
  }
  revalidatePath("/setup");
  return { status: "success", message: format(t.setup.rackbeat.connected, { account: result.accountName }) };
}

const DEFAULT_FIELDS = [
  "defaultLayoutNumber",
  "defaultPaymentTermsNumber",
  "senderEmail",
  "defaultCustomerGroupNumber",
] as const;

export async function saveDefaultsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = submittedValues(formData, DEFAULT_FIELDS);
  const guard = await requireAdmin(values);
  if (!guard.ok) return guard.state;
  const { user, t } = guard;
  const parsed = defaultsFormSchema.safeParse(values);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    const fieldErrors: Record<string, string[]> = {};
    for (const field of DEFAULT_FIELDS) {
      const keys = errors[field];
      if (keys?.length) fieldErrors[field] = keys.map((k) => validationMessage(t, k, 254));
    }
    return { status: "error", fieldErrors, values };
  }
  const result = await saveDefaults(await getDb(), user.companyId, parsed.data);
  if (!result.ok) {
    if (result.error === "invalid") {
      const fieldErrors: Record<string, string[]> = {};
      for (const [field, key] of Object.entries(result.fieldErrors))
        fieldErrors[field] = [t.setup.defaults[key]];
      return { status: "error", fieldErrors, values };
    }
    const message =
      result.error === "economicNotConnected"
        ? t.setup.errors.economicNotConnected
        : economicFailureMessage(t, result.error);
    return { status: "error", message, values };
  }
  revalidatePath("/setup");
  return { status: "success", message: t.setup.defaults.saved, values };
}

export async function disconnectEconomicAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  await disconnectEconomic(await getDb(), guard.user.companyId);
  revalidatePath("/setup");
  return { status: "success", message: guard.t.setup.economic.disconnected };
}

export async function disconnectRackbeatAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const { webhook } = await disconnectRackbeat(await getDb(), guard.user.companyId);
  revalidatePath("/setup");
  const t = guard.t.setup.rackbeat;
  // A failed delete is not an error of the disconnect, but the user must know to clean up in Rackbeat.
  return webhook === "failed"
    ? { status: "error", message: t.disconnectedWebhookFailed }
    : { status: "success", message: t.disconnected };
}

export async function connectSandboxAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const { user, t } = guard;
  if (!isSandboxMode()) return { status: "error", message: t.setup.errors.notAvailable };
  const result = await connectSandbox(await getDb(), user.companyId, { senderEmail: user.email });
  revalidatePath("/setup");
  if (result.ok) {
    return {
      status: "success",
      message: format(t.setup.sandbox.connected, {
        company: result.economicCompanyName ?? "e-conomic",
        account: result.rackbeatAccountName,
      }),
    };
  }
  switch (result.step) {
    case "sandbox":
      return { status: "error", message: t.setup.sandbox.failedCreate };
    case "economic":
      return { status: "error", message: economicFailureMessage(t, result.error) };
    case "rackbeat":
      return { status: "error", message: rackbeatFailureMessage(t, result.error) };
    case "defaults":
      return { status: "error", message: t.setup.sandbox.failedDefaults };
  }
}

export async function sendTestInvoiceAction(_prev: FormState, _formData: FormData): Promise<FormState> {
  const guard = await requireAdmin();
  if (!guard.ok) return guard.state;
  const { user, t } = guard;
  if (!isSandboxMode()) return { status: "error", message: t.setup.errors.notAvailable };
  const result = await sendTestInvoice(await getDb(), user.companyId);
  if (!result.ok) {
    const message =
      result.error === "rackbeatNotConnected" ? t.setup.sandbox.needsRackbeat : t.setup.sandbox.sendFailed;
    return { status: "error", message };
  }
  revalidatePath("/review");
  return {
    status: "success",
    message: format(t.setup.sandbox.sent, { number: result.invoiceNumber }),
    values: { invoiceNumber: result.invoiceNumber },
  };
}
