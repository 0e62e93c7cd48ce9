import { requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";
import { PasswordForm } from "./password-form";

export const dynamic = "force-dynamic";

export default async function PasswordPage() {
  await requireUser();
  const { t } = await getMessages();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t.password.title}</h1>
        <p className="mt-1 text-sm text-slate-600">{t.password.intro}</p>
      </div>
      <PasswordForm t={t.password} hint={t.register.passwordHint} />
    </div>
  );
}
