import { LanguageSwitch } from "@/components/language-switch";
import { getMessages } from "@/lib/i18n/server";
import { setLocaleAction } from "./actions";

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  const { t, locale } = await getMessages();
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-6 px-4 py-12">
      <div className="text-center">
        <p className="text-lg font-semibold text-emerald-800">{t.app.name}</p>
        <p className="text-sm text-slate-600">{t.app.tagline}</p>
      </div>
      <main className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        {children}
      </main>
      <LanguageSwitch locale={locale} labels={t.language} action={setLocaleAction} />
    </div>
  );
}
