import { PageSkeleton } from "@/components/shell/page-skeleton";
import { getMessages } from "@/lib/i18n/server";

export default async function Loading() {
  const { t } = await getMessages();
  return <PageSkeleton label={t.shell.loading} />;
}
