import Link from "next/link";
import { DEMO_PASSWORD, DEMO_USERS } from "@/db/seed";
import { isSandboxMode } from "@/lib/env";
import { type PageSearchParams, parseLoginParams } from "@/lib/http/page-params";
import { getMessages } from "@/lib/i18n/server";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const { t } = await getMessages();
  const { callbackUrl, registered, passwordChanged } = parseLoginParams(await searchParams);
  const path = callbackUrl ? toPath(callbackUrl) : undefined;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t.login.title}</h1>
      {registered || passwordChanged ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {passwordChanged ? t.password.changed : t.login.registered}
        </p>
      ) : null}
      <LoginForm t={t.login} callbackUrl={path} />
      <p className="text-sm text-slate-600">
        {t.login.noAccount}{" "}
        <Link href="/register" className="font-medium text-emerald-800 underline">
          {t.login.register}
        </Link>
      </p>
      {isSandboxMode() ? (
        <section aria-labelledby="demo-heading" className="rounded-md bg-amber-50 p-4 text-sm text-amber-900">
          <h2 id="demo-heading" className="font-semibold">
            {t.login.demoTitle}
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt>{t.login.demoAdmin}</dt>
            <dd>
              <code>{DEMO_USERS.admin.email}</code> / <code>{DEMO_PASSWORD}</code>
            </dd>
            <dt>{t.login.demoViewer}</dt>
            <dd>
              <code>{DEMO_USERS.viewer.email}</code> / <code>{DEMO_PASSWORD}</code>
            </dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}

/** Auth.js hands a full URL; the form only ever gets its path. */
function toPath(callbackUrl: string): string | undefined {
  try {
    const url = new URL(callbackUrl, "http://local");
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}
