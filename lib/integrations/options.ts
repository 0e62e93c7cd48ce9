import { env } from "@/lib/env";
import type { ClientOptions } from "./clients";

/** Client options plus where this app is reachable (webhook target, sandbox admin API). */
export interface IntegrationOptions extends ClientOptions {
  /** Defaults to APP_URL; tests point it at their own server. */
  appUrl?: string;
}

export function appUrlOf(options: IntegrationOptions): string {
  return (options.appUrl ?? env().APP_URL).replace(/\/+$/, "");
}
