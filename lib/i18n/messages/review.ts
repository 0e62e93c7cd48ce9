import type { Translation } from "./translation";

export const reviewDa = {
  title: "Gennemgang af integration",
  empty: "Ingen fakturaer er overført endnu.",
};

export const reviewEn: Translation<typeof reviewDa> = {
  title: "Integration review",
  empty: "No invoices have been transferred yet.",
};
