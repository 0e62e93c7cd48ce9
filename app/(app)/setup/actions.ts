"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { companies } from "@/db/schema";
import { currentUser, isAdmin } from "@/lib/auth/session";
import { type FormState, submittedValues } from "@/lib/forms/state";
import { format } from "@/lib/i18n/locale";
import { getMessages } from "@/lib/i18n/server";

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
