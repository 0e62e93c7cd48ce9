"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { LinkPending } from "@/components/shell/link-pending";
import type { SkeletonKind } from "@/components/shell/navigation-skeleton";

export function AppNav({
  label,
  tabs,
}: {
  label: string;
  tabs: { href: string; label: string; skeleton: SkeletonKind }[];
}) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className="flex flex-wrap gap-1">
        {tabs.map((tab) => {
          const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-t-md border-b-2 px-4 py-2 text-sm font-medium ${
                  active
                    ? "border-emerald-700 text-emerald-800"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {tab.label}
                <LinkPending skeleton={tab.skeleton} />
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
