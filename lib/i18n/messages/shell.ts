import type { Translation } from "./translation";

/** Texts of the app's frame: the first-run checklist, loading and not-found pages, confirmations. */
export const shellDa = {
  /** Read by screen readers while a page's skeleton shows. */
  loading: "Indlæser…",
  firstRun: {
    heading: "Kom i gang",
    intro: "Fire trin, så overføres kundefakturaer fra Rackbeat til e-conomic.",
    progress: "{done} af {total} trin udført",
    next: "Næste trin: {step}",
    done: "Udført",
    notDone: "Mangler",
    viewerNote: "Bed en administrator om at gøre opsætningen færdig.",
    steps: {
      economic: "Forbind e-conomic",
      rackbeat: "Forbind Rackbeat",
      defaults: "Vælg standarder",
      activate: "Vælg Kundefaktura-indstillinger og aktivér",
    },
  },
  notFound: {
    title: "Siden findes ikke",
    text: "Siden eller fakturaen findes ikke, eller den tilhører en anden virksomhed.",
    back: "Gå til forsiden",
  },
};

export const shellEn: Translation<typeof shellDa> = {
  loading: "Loading…",
  firstRun: {
    heading: "Get started",
    intro: "Four steps, then customer invoices are transferred from Rackbeat to e-conomic.",
    progress: "{done} of {total} steps done",
    next: "Next step: {step}",
    done: "Done",
    notDone: "To do",
    viewerNote: "Ask an administrator to finish the setup.",
    steps: {
      economic: "Connect e-conomic",
      rackbeat: "Connect Rackbeat",
      defaults: "Choose defaults",
      activate: "Choose Customer invoice settings and activate",
    },
  },
  notFound: {
    title: "Page not found",
    text: "The page or invoice does not exist, or it belongs to another company.",
    back: "Go to the start page",
  },
};
