import type { Translation } from "./translation";

/** Transfer statuses and errors, shared by the engine, the review page and the settings preview. */
export const transferDa = {
  status: {
    queued: "I kø",
    processing: "Behandles",
    draft: "Kladde",
    booked: "Bogført",
    failed: "Fejlet",
    skipped: "Ikke overført",
  },
};

export const transferEn: Translation<typeof transferDa> = {
  status: {
    queued: "Queued",
    processing: "Processing",
    draft: "Draft",
    booked: "Booked",
    failed: "Failed",
    skipped: "Not transferred",
  },
};
