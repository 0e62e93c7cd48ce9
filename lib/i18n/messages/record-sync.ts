import type { Translation } from "./translation";

/** The debitor integration's master-data sync: the setup guide's first sync and the Stamdata view. */
export const recordSyncDa = {
  heading: "Kunder og grupper",
  intro:
    "Med «Aktiver debitor-integration» slået til overføres kunder, kundegrupper og varegrupper til e-conomic, når de oprettes eller ændres i Rackbeat. Synkronisér dem, der findes i forvejen, én gang her: poster med samme nummer i e-conomic genbruges og opdateres, de oprettes ikke igen.",
  start: "Synkronisér kunder og grupper nu",
  starting: "Henter fra Rackbeat…",
  started: "{count} kunder og grupper er sat i kø til synkronisering.",
  off: "«Aktiver debitor-integration» er slået fra, eller integrationen er ikke aktiveret.",
  notConnected: "Rackbeat er ikke forbundet.",
  failed: "Rackbeat svarede ikke. Prøv igen om lidt.",
  progress: "Fremdrift for kunder og grupper",
  total: "I alt",
  synced: "Synkroniseret",
  pending: "I kø",
  failedCount: "Fejlet",
  webhooks: "Hændelser registreret i Rackbeat: {events}",
  noWebhooks: "Ingen hændelser for kunder og grupper er registreret i Rackbeat.",
};

export const recordSyncEn: Translation<typeof recordSyncDa> = {
  heading: "Customers and groups",
  intro:
    "With “Enable debtor integration” on, customers, customer groups and product groups are transferred to e-conomic when they are created or changed in Rackbeat. Sync the ones that exist already once here: records with the same number in e-conomic are reused and updated, never created again.",
  start: "Sync customers and groups now",
  starting: "Fetching from Rackbeat…",
  started: "{count} customers and groups are queued for syncing.",
  off: "“Enable debtor integration” is off, or the integration is not activated.",
  notConnected: "Rackbeat is not connected.",
  failed: "Rackbeat did not answer. Try again shortly.",
  progress: "Progress of customers and groups",
  total: "Total",
  synced: "Synced",
  pending: "Queued",
  failedCount: "Failed",
  webhooks: "Events registered in Rackbeat: {events}",
  noWebhooks: "No events for customers and groups are registered in Rackbeat.",
};
