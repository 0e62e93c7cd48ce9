import { z } from "zod";
import type { Db } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { companies, memberships, type Role, users } from "@/db/schema";
import { emailFieldSchema } from "@/lib/forms/fields";
import type { Locale } from "@/lib/i18n/locale";
import { hashPassword } from "./password";

/** Error messages are keys of `messages.validation`, translated where they are shown. */
export const registerSchema = z.object({
  companyName: z.string().trim().min(1, { error: "required" }).max(120, { error: "tooLong" }),
  name: z.string().trim().min(1, { error: "required" }).max(120, { error: "tooLong" }),
  email: emailFieldSchema,
  password: z.string().min(8, { error: "passwordShort" }).max(200, { error: "tooLong" }),
});
export type RegisterInput = z.infer<typeof registerSchema>;

export class EmailTakenError extends Error {
  constructor() {
    super("email already registered");
  }
}

export interface NewMember {
  name: string;
  email: string;
  password: string;
  role: Role;
  locale?: Locale;
}

/** Creates a company with its users in one transaction: all of it, or nothing. */
export async function createCompany(db: Db, companyName: string, members: NewMember[]) {
  const hashed = await Promise.all(members.map((m) => hashPassword(m.password)));
  try {
    return await db.transaction(async (tx) => {
      const [company] = await tx.insert(companies).values({ name: companyName }).returning();
      if (!company) throw new Error("company insert returned nothing");
      const created = await tx
        .insert(users)
        .values(
          members.map((m, i) => ({
            name: m.name,
            email: m.email.trim().toLowerCase(),
            passwordHash: hashed[i]!,
            locale: m.locale ?? "da",
          })),
        )
        .returning({ id: users.id, email: users.email });
      await tx
        .insert(memberships)
        .values(created.map((u, i) => ({ userId: u.id, companyId: company.id, role: members[i]!.role })));
      return { company, users: created };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}
