import { requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";

export default async function CustomerInvoicePage() {
  await requireUser();
  const { t } = await getMessages();
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">{t.customerInvoice.title}</h1>
      <p className="text-slate-600">{t.customerInvoice.comingSoon}</p>
    </div>
  );
}
