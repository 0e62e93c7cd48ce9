import { isAdmin, requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";
import { CompanyForm } from "./company-form";

export default async function SetupPage() {
  const user = await requireUser();
  const { t } = await getMessages();
  const readOnly = !isAdmin(user);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">{t.setup.title}</h1>
        <p className="mt-1 text-slate-600">{t.setup.intro}</p>
      </div>
      {readOnly ? (
        <p role="note" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          {t.setup.readOnly}
        </p>
      ) : null}
      <section aria-labelledby="company-heading" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="company-heading" className="mb-4 text-lg font-semibold">
          {t.setup.company}
        </h2>
        <CompanyForm t={t.setup} companyName={user.companyName} readOnly={readOnly} />
      </section>
    </div>
  );
}
