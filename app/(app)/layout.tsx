import { AppNav } from "@/components/app-nav";
import { FirstRunChecklist } from "@/components/shell/first-run-checklist";
import { NavigationContent, NavigationProvider } from "@/components/shell/navigation-skeleton";
import { UserMenu } from "@/components/user-menu";
import { getDb } from "@/db/client";
import { isAdmin, requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";
import { loadIntegration } from "@/lib/integrations/clients";
import { setupProgress } from "@/lib/integrations/progress";
import { setUserLocaleAction, signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { t } = await getMessages();
  const progress = setupProgress(await loadIntegration(await getDb(), user.companyId));
  return (
    <NavigationProvider>
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
                { href: "/setup", label: t.nav.setup, skeleton: "form" },
                { href: "/settings/customer-invoice", label: t.nav.customerInvoice, skeleton: "form" },
                { href: "/review", label: t.nav.review, skeleton: "list" },
              ]}
            />
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
          <NavigationContent label={t.shell.loading}>
            <FirstRunChecklist progress={progress} t={t.shell.firstRun} admin={isAdmin(user)} />
            {children}
          </NavigationContent>
        </main>
      </div>
    </NavigationProvider>
  );
}
