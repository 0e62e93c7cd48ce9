import { externalUrls } from "@/lib/env";
import type { EconomicClientConfig } from "./http";

/** The app's configured e-conomic base URLs (the built-in sandbox unless set otherwise). */
export function economicBaseUrls(): Pick<EconomicClientConfig, "restBase" | "productsBase" | "projectsBase"> {
  const urls = externalUrls();
  return {
    restBase: urls.economicRest,
    productsBase: urls.economicProducts,
    projectsBase: urls.economicProjects,
  };
}
