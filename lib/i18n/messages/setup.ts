import type { Translation } from "./translation";

export const setupDa = {
  title: "Opsætningsguide",
  intro: "Forbind Rackbeat og e-conomic, og vælg standarder for overførslen.",
  company: "Virksomhed",
  companyName: "Virksomhedsnavn",
  save: "Gem",
  saving: "Gemmer…",
  saved: "Gemt.",
  readOnly: "Du har læseadgang. Kun administratorer kan ændre opsætningen.",
};

export const setupEn: Translation<typeof setupDa> = {
  title: "Setup guide",
  intro: "Connect Rackbeat and e-conomic, and choose the defaults of the transfer.",
  company: "Company",
  companyName: "Company name",
  save: "Save",
  saving: "Saving…",
  saved: "Saved.",
  readOnly: "You have read-only access. Only administrators can change the setup.",
};
