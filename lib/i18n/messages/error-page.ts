import type { Translation } from "./translation";

/** The error pages' texts (app/error.tsx, app/global-error.tsx). */
export const errorPageDa = {
  databaseTitle: "Databasen svarer ikke",
  databaseBody:
    "Tjenesten kan ikke nå sin database lige nu. Ingen data er gået tabt: overførsler fortsætter, når databasen svarer igen.",
  genericTitle: "Noget gik galt",
  genericBody: "Siden kunne ikke vises. Prøv igen om lidt.",
  retry: "Prøv igen",
  reference: "Reference: {digest}",
};

export const errorPageEn: Translation<typeof errorPageDa> = {
  databaseTitle: "The database is not answering",
  databaseBody:
    "The service cannot reach its database right now. No data is lost: transfers continue when the database answers again.",
  genericTitle: "Something went wrong",
  genericBody: "The page could not be shown. Please try again shortly.",
  retry: "Try again",
  reference: "Reference: {digest}",
};
