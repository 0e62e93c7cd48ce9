import { AppNav } from "@/components/app-nav";
import { UserMenu } from "@/components/user-menu";
import { requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";
import { setUserLocaleAction, signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { t } = await getMessages();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-6 pt-4">
          <p className="font-semibold text-emerald-800">{t.app.name}</p>
          <UserMenu user={user} t={t} signOutAction={signOutAction} setLocaleAction={setUserLocaleAction} />
        </div>
        <div className="mx-auto max-w-6xl px-6 pt-3">
          <AppNav
            label={t.nav.main}
            tabs={[
              { href: "/setup", label: t.nav.setup },
              { href: "/settings/customer-invoice", label: t.nav.customerInvoice },
              { href: "/review", label: t.nav.review },
            ]}
          />
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
