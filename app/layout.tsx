import type { Metadata } from "next";
import { getMessages } from "@/lib/i18n/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getMessages();
  return { title: t.app.name, description: t.app.tagline };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { locale } = await getMessages();
  return (
    <html lang={locale}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
