import Link from "next/link";
import { LanguageSwitch } from "@/components/language-switch";
import { LinkPending } from "@/components/shell/link-pending";
import type { CurrentUser } from "@/lib/auth/session";
import type { Messages } from "@/lib/i18n/messages";

export function UserMenu({
  user,
  t,
  signOutAction,
  setLocaleAction,
}: {
  user: CurrentUser;
  t: Messages;
  signOutAction: () => Promise<void>;
  setLocaleAction: (formData: FormData) => Promise<void>;
}) {
  return (
    <section aria-label={t.userMenu.menu} className="flex flex-wrap items-center gap-4 text-sm">
      <div className="text-right">
        <p className="font-medium">{user.name}</p>
        <p className="text-xs text-slate-600">
          {user.companyName} · {t.userMenu.role[user.role]}
        </p>
      </div>
      <LanguageSwitch locale={user.locale} labels={t.language} action={setLocaleAction} />
      <Link href="/account/password" className="text-emerald-800 underline">
        {t.userMenu.password}
        <LinkPending skeleton="form" />
      </Link>
      <form action={signOutAction}>
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50"
        >
          {t.userMenu.signOut}
        </button>
      </form>
    </section>
  );
}
