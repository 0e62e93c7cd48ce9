import type { Translation } from "./translation";

/**
 * The Kundefaktura page. Setting labels are not here: they are the guide's exact wording and live
 * with the schema (lib/settings/schema.ts) so the page, the errors and the history share them.
 */
export const customerInvoiceDa = {
  title: "Kundefaktura",
  intro:
    "Vælg hvordan kundefakturaer fra Rackbeat overføres til e-conomic. Indstillingerne følger e-conomics vejledning „Opsæt Lager af Rackbeat: Kundefaktura“.",
  readOnly: "Du har læseadgang. Kun administratorer kan ændre indstillingerne.",
  sections: {
    customerInvoice: "Kundefaktura",
    transfer: "Overførsel af kundefakturaer",
  },
  help: {
    debtorIntegration:
      "Slår hele integrationen til og fra: kun når den er slået til, overføres kunder, kundegrupper og kundefakturaer fra Rackbeat til e-conomic. Kunder, kundegrupper og varegrupper overføres, så snart de oprettes eller ændres i Rackbeat, ikke først ved deres første faktura.",
    customerGroupAccount:
      "Den debitorkonto (statuskonto), som en ny kundegruppe fra Rackbeat oprettes med i e-conomic. I en standardkontoplan er det typisk 5600 Debitorer. Kontoen bruges kun ved oprettelse: ændrer du den senere, ændres eksisterende kundegrupper i e-conomic ikke.",
    productGroupAccounts:
      "De omsætningskonti, som en ny varegruppe fra Rackbeat oprettes med, én pr. momszone. Brug gerne de samme konti som dine eksisterende varegrupper i e-conomic. Kontiene bruges kun ved oprettelse: ændrer du dem senere, ændres eksisterende varegrupper i e-conomic ikke.",
    domestic: "Salg i Danmark med moms.",
    eu: "Salg til kunder i andre EU-lande.",
    abroad: "Salg til kunder uden for EU.",
    domesticExempt: "Momsfrit salg i Danmark.",
    bookAndSendFromEconomic:
      "Fakturaen bogføres i e-conomic og sendes til kunden derfra, med e-conomics layout i stedet for Rackbeats.",
    bookWhenBookedInRackbeat:
      "Fakturaen bogføres i e-conomic, når du bogfører den i Rackbeat. Uden flueben lander den som kladde.",
    useActualQuantity:
      "Hver linje beholder sit antal (med e-conomics 2 decimaler) og får den enhedspris, der giver præcis linjens beløb; de oprindelige tal står i teksten. Uden flueben overføres en linje, e-conomic ville afrunde anderledes, som antal 1 til linjens beløb. Begge veje passer totalen på øren.",
    transferMismatchAsDraft:
      "Kan en faktura ikke komme til at give præcis samme netto og brutto som i Rackbeat, stopper overførslen som Fejlet med beløbene. Med flueben overføres den alligevel som kladde (aldrig bogført) og markeres med forskellen.",
    neverBookEanInvoices:
      "Fakturaer til EAN-kunder (det offentlige) overføres altid som kladder, også når andre fakturaer bogføres.",
    orderNumberToOtherReference:
      "Ordrenummeret skrives i „Øvrig reference“ på fakturaen i e-conomic. Det gemmes altid som eksternt ID her, uanset denne indstilling.",
    customerNumberField:
      "Bruger du projekter i e-conomic, kan kundenummeret på fakturaen erstattes af projektets ID, når fakturaen har et projekt.",
  },
  accounts: {
    none: "— Ingen konto valgt —",
    search: "Søg i kontoplanen",
    searchPlaceholder: "Søg nummer eller navn",
    noMatches: "Ingen konti matcher søgningen.",
    unknown: "{number} (findes ikke i kontoplanen)",
    stored: "{account} (gemt)",
    fetched: "Kontoplanen er hentet fra e-conomic {time}.",
    reload: "Genindlæs kontoplan",
    reloading: "Henter…",
    notConnected:
      "e-conomic er ikke forbundet, så kontiene kan ikke vælges endnu. De øvrige indstillinger kan du gemme som normalt.",
    unavailable:
      "Kontoplanen kunne ikke hentes fra e-conomic lige nu. De valgte konti bevares; prøv at genindlæse om lidt.",
    setupLink: "Gå til opsætningsguiden",
  },
  status: {
    label: "Integrationens status",
    active: "Aktiv",
    inactive: "Ikke aktiv",
    activeText: "Fakturaer, der bogføres i Rackbeat, overføres til e-conomic.",
    inactiveText: "Intet overføres, før integrationen er aktiveret.",
    deactivate: "Deaktivér",
    deactivating: "Deaktiverer…",
    confirmDeactivate:
      "Vil du deaktivere integrationen? Nye fakturaer fra Rackbeat overføres ikke, før du aktiverer igen.",
  },
  actions: {
    save: "Gem indstillinger",
    saving: "Gemmer…",
    activate: "Aktivér integration",
    activating: "Aktiverer…",
    activatingHint:
      "Kontrollerer forbindelserne til e-conomic og Rackbeat. Det kan tage op til et halvt minut.",
  },
  results: {
    saved: "Indstillingerne er gemt.",
    unchanged: "Der var ingen ændringer at gemme.",
    fixErrors: "Ret de markerede felter. Intet er gemt.",
    requiredWhileActive:
      "Skal vælges, mens integrationen er aktiv. Deaktivér den først for at fjerne kontoen.",
    invalidForm: "Formularen kunne ikke læses. Genindlæs siden, og prøv igen. Intet er gemt.",
    conflict:
      "Indstillingerne er ændret af en anden (version {version}), efter du åbnede siden. Dine ændringer er ikke gemt. De nyeste værdier:",
    conflictSame: "De nyeste værdier er de samme som dine.",
    conflictReload: "Hent de nyeste indstillinger",
    activated: "Indstillingerne er gemt, og integrationen er aktiveret.",
    notActivated: "Indstillingerne er gemt, men integrationen kan ikke aktiveres endnu. Dette mangler:",
    deactivated: "Integrationen er deaktiveret. Intet overføres, før den aktiveres igen.",
    notConnectedYet: "Der er ingen forbindelse at deaktivere.",
    chartReloaded: "Kontoplanen er hentet igen.",
  },
  gaps: {
    economic_not_connected: "e-conomic er ikke forbundet (opsætningsguiden).",
    economic_refused: "e-conomic afviste den gemte adgang. Forbind e-conomic igen i opsætningsguiden.",
    economic_unreachable:
      "e-conomic svarede ikke i tide (adgangen er ikke afvist). Vent et øjeblik, og klik Aktivér integration igen.",
    rackbeat_not_connected: "Rackbeat er ikke forbundet (opsætningsguiden).",
    rackbeat_refused: "Rackbeat afviste den gemte API-nøgle. Forbind Rackbeat igen i opsætningsguiden.",
    rackbeat_unreachable:
      "Rackbeat svarede ikke i tide (API-nøglen er ikke afvist). Vent et øjeblik, og klik Aktivér integration igen.",
    rackbeat_webhook_missing: "Rackbeats webhook til bogførte fakturaer er ikke registreret.",
    default_layout_missing: "Der er ikke valgt et standardlayout (opsætningsguiden).",
    default_payment_terms_missing: "Der er ikke valgt standardbetalingsbetingelser (opsætningsguiden).",
    customer_group_account_missing: "„Konto til kundegrupper“ er ikke valgt.",
    product_group_accounts_missing:
      "„Standard til oprettelse af varegrupper i e-conomic“ mangler konto for: {zones}.",
  },
  preview: {
    title: "Sådan overføres en faktura",
    intro: "Sådan ville e-conomic modtage eksempelfakturaen med værdierne i formularen, også før du gemmer.",
    sample: "Eksempelfaktura",
    samples: {
      regular: "Almindelig kunde (faktura 1021, ordre 5012, projekt 7)",
      ean: "EAN-kunde (faktura 1022, ordre 5013)",
    },
    hints: "Bemærk",
    notActive: "Integrationen er ikke aktiv endnu: indtil da overføres intet.",
  },
  history: {
    title: "Ændringshistorik",
    empty: "Indstillingerne er ikke ændret endnu.",
    when: "Tidspunkt",
    who: "Hvem",
    setting: "Indstilling",
    change: "Ændring",
    unknownUser: "Ukendt bruger",
    integration: "Integrationen",
    activated: "Aktiveret",
    deactivated: "Deaktiveret",
  },
};

export const customerInvoiceEn: Translation<typeof customerInvoiceDa> = {
  title: "Customer invoice",
  intro:
    "Choose how customer invoices from Rackbeat are transferred to e-conomic. The settings follow e-conomic's guide “Set up Lager af Rackbeat: Customer invoice”.",
  readOnly: "You have read-only access. Only administrators can change the settings.",
  sections: {
    customerInvoice: "Customer invoice",
    transfer: "Transferring customer invoices",
  },
  help: {
    debtorIntegration:
      "The master switch: customers, customer groups and customer invoices from Rackbeat are synced to e-conomic only while it is on. Customers, customer groups and product groups are transferred as soon as they are created or changed in Rackbeat, not only with their first invoice.",
    customerGroupAccount:
      "The receivables (balance-sheet) account a new customer group from Rackbeat is created with in e-conomic. In a standard chart it is usually 5600 Debitorer. It is used at creation only: changing it later does not change existing customer groups in e-conomic.",
    productGroupAccounts:
      "The revenue accounts a new product group from Rackbeat is created with, one per VAT zone. Consider using the same accounts as your existing product groups in e-conomic. They are used at creation only: changing them later does not change existing product groups in e-conomic.",
    domestic: "Sales in Denmark with VAT.",
    eu: "Sales to customers in other EU countries.",
    abroad: "Sales to customers outside the EU.",
    domesticExempt: "VAT-exempt sales in Denmark.",
    bookAndSendFromEconomic:
      "The invoice is booked in e-conomic and sent to the customer from there, with e-conomic's layout instead of Rackbeat's.",
    bookWhenBookedInRackbeat:
      "The invoice is booked in e-conomic when you book it in Rackbeat. Unchecked, it arrives as a draft.",
    useActualQuantity:
      "Each line keeps its quantity (at e-conomic's 2 decimals) with the unit price that gives exactly the line's amount; the original figures are in the text. Unchecked, a line e-conomic would round differently is sent as quantity 1 at the line amount. Either way the total matches to the øre.",
    transferMismatchAsDraft:
      "When an invoice cannot get exactly the same net and gross as in Rackbeat, the transfer stops as Failed, naming the amounts. Checked, it is transferred as a draft anyway (never booked) and flagged with the difference.",
    neverBookEanInvoices:
      "Invoices to EAN (public sector) customers always arrive as drafts, even when other invoices are booked.",
    orderNumberToOtherReference:
      "The order number is written to “Other reference” on the e-conomic invoice. It is always kept as the external ID here, whatever this setting.",
    customerNumberField:
      "If you use projects in e-conomic, the customer number on the invoice can be replaced by the project's ID when the invoice has a project.",
  },
  accounts: {
    none: "— No account chosen —",
    search: "Search the chart of accounts",
    searchPlaceholder: "Search number or name",
    noMatches: "No accounts match the search.",
    unknown: "{number} (not in the chart of accounts)",
    stored: "{account} (saved)",
    fetched: "Chart of accounts fetched from e-conomic {time}.",
    reload: "Reload chart of accounts",
    reloading: "Fetching…",
    notConnected:
      "e-conomic is not connected, so the accounts cannot be chosen yet. You can save the other settings as usual.",
    unavailable:
      "The chart of accounts could not be fetched from e-conomic right now. The chosen accounts are kept; try reloading in a moment.",
    setupLink: "Go to the setup guide",
  },
  status: {
    label: "Integration status",
    active: "Active",
    inactive: "Not active",
    activeText: "Invoices booked in Rackbeat are transferred to e-conomic.",
    inactiveText: "Nothing is transferred until the integration is activated.",
    deactivate: "Deactivate",
    deactivating: "Deactivating…",
    confirmDeactivate:
      "Deactivate the integration? New invoices from Rackbeat are not transferred until you activate again.",
  },
  actions: {
    save: "Save settings",
    saving: "Saving…",
    activate: "Activate integration",
    activating: "Activating…",
    activatingHint: "Checking the connections to e-conomic and Rackbeat. This can take up to half a minute.",
  },
  results: {
    saved: "The settings are saved.",
    unchanged: "There were no changes to save.",
    fixErrors: "Correct the marked fields. Nothing was saved.",
    requiredWhileActive:
      "Required while the integration is active. Deactivate it first to remove the account.",
    invalidForm: "The form could not be read. Reload the page and try again. Nothing was saved.",
    conflict:
      "Someone else changed the settings (version {version}) after you opened the page. Your changes were not saved. The newest values:",
    conflictSame: "The newest values are the same as yours.",
    conflictReload: "Load the newest settings",
    activated: "The settings are saved and the integration is activated.",
    notActivated: "The settings are saved, but the integration cannot be activated yet. Missing:",
    deactivated: "The integration is deactivated. Nothing is transferred until it is activated again.",
    notConnectedYet: "There is no connection to deactivate.",
    chartReloaded: "The chart of accounts was fetched again.",
  },
  gaps: {
    economic_not_connected: "e-conomic is not connected (setup guide).",
    economic_refused: "e-conomic refused the stored access. Connect e-conomic again in the setup guide.",
    economic_unreachable:
      "e-conomic did not answer in time (the access was not refused). Wait a moment and click Activate integration again.",
    rackbeat_not_connected: "Rackbeat is not connected (setup guide).",
    rackbeat_refused: "Rackbeat refused the stored API key. Connect Rackbeat again in the setup guide.",
    rackbeat_unreachable:
      "Rackbeat did not answer in time (the API key was not refused). Wait a moment and click Activate integration again.",
    rackbeat_webhook_missing: "Rackbeat's webhook for booked invoices is not registered.",
    default_layout_missing: "No default layout is chosen (setup guide).",
    default_payment_terms_missing: "No default payment terms are chosen (setup guide).",
    customer_group_account_missing: "“Account for customer groups” is not chosen.",
    product_group_accounts_missing: "“Defaults for creating product groups” lacks an account for: {zones}.",
  },
  preview: {
    title: "How an invoice is transferred",
    intro:
      "What e-conomic would receive for the sample invoice with the values in the form, even before you save.",
    sample: "Sample invoice",
    samples: {
      regular: "Regular customer (invoice 1021, order 5012, project 7)",
      ean: "EAN customer (invoice 1022, order 5013)",
    },
    hints: "Note",
    notActive: "The integration is not active yet: until then nothing is transferred.",
  },
  history: {
    title: "Change history",
    empty: "The settings have not been changed yet.",
    when: "When",
    who: "Who",
    setting: "Setting",
    change: "Change",
    unknownUser: "Unknown user",
    integration: "The integration",
    activated: "Activated",
    deactivated: "Deactivated",
  },
};
