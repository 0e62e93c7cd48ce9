import Link from "next/link";
import { getMessages } from "@/lib/i18n/server";
import { RegisterForm } from "./register-form";

export default async function RegisterPage() {
  const { t } = await getMessages();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t.register.title}</h1>
        <p className="mt-1 text-sm text-slate-600">{t.register.intro}</p>
      </div>
      <RegisterForm t={t.register} />
      <p className="text-sm text-slate-600">
        {t.register.haveAccount}{" "}
        <Link href="/login" className="font-medium text-emerald-800 underline">
          {t.register.login}
        </Link>
      </p>
    </div>
  );
}
