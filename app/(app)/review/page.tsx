import { requireUser } from "@/lib/auth/session";
import { getMessages } from "@/lib/i18n/server";

export default async function ReviewPage() {
  await requireUser();
  const { t } = await getMessages();
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">{t.review.title}</h1>
      <p className="text-slate-600">{t.review.empty}</p>
    </div>
  );
}
