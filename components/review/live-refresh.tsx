"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the server page every `intervalMs` while `active`: router.refresh() keeps the URL
 * (filters, cursor), the scroll position and client state, and only fetches the new server output.
 * Paused while the tab is hidden.
 */
export function LiveRefresh({
  active,
  intervalMs = 2000,
  label,
}: {
  active: boolean;
  intervalMs?: number;
  label: string;
}) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? <p className="text-xs text-slate-500">{label}</p> : null;
}
