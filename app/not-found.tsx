import Link from "next/link";
import { getMessages } from "@/lib/i18n/server";

/** Any unknown page or transfer, in the reader's language. */
export default async function NotFound() {
  const { t } = await getMessages();
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <p className="text-sm font-medium text-slate-600">404</p>
      <h1 className="mt-1 text-2xl font-semibold">{t.shell.notFound.title}</h1>
      <p className="mt-2 text-slate-700">{t.shell.notFound.text}</p>
      <p className="mt-6">
        <Link href="/" className="font-medium text-emerald-800 underline">
          {t.shell.notFound.back}
        </Link>
      </p>
    </main>
  );
}
