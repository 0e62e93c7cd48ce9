import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import {
  rbAccounts,
  rbCustomerGroups,
  rbCustomers,
  rbPaymentTerms,
  rbProductGroups,
  rbProducts,
  rbProjects,
} from "./schema";

/**
 * The demo data every new sandbox account starts with: a small Danish wholesaler of coffee and
 * delicatessen. It covers the cases a transfer must handle: an EAN customer with a contact, an EU
 * customer in EUR, a customer abroad in USD, a customer with a project, goods sold by the kilo with
 * decimal quantities, prices with six decimals, and item numbers with dashes, slashes and spaces.
 */
export const seedPaymentTerms = [
  { number: 1, name: "Netto 8 dage", days: 8, type: "net" },
  { number: 2, name: "Netto 14 dage", days: 14, type: "net" },
  { number: 3, name: "Løbende måned + 30 dage", days: 30, type: "current_month" },
  // Matches e-conomic's seeded terms 4 (type dueDate): the invoice's own due date decides.
  { number: 4, name: "Forfaldsdato på fakturaen", days: 0, type: "due_date" },
] as const;

export const seedCustomerGroups = [
  { number: 1, name: "Detailkunder" },
  { number: 2, name: "Erhvervskunder" },
  { number: 3, name: "Udenlandske kunder" },
  { number: 4, name: "Offentlige kunder" },
] as const;

export const seedCustomers = [
  {
    number: 101,
    companyName: "Bageriet Kornblomsten ApS",
    companyVat: "31245678",
    addressStreet: "Nørregade 12",
    addressZipcode: "8000",
    addressCity: "Aarhus C",
    addressCountry: "DK",
    contactEmail: "bogholderi@kornblomsten.dk",
    groupNumber: 2,
    paymentTermsNumber: 2,
    vatZone: 1,
    currency: "DKK",
  },
  {
    number: 102,
    companyName: "Odense Kommune, Ældre- og Handicapforvaltningen",
    companyVat: "35209115",
    ean: "5798000123456",
    theirReference: "Mette Jørgensen",
    addressStreet: "Flakhaven 2",
    addressZipcode: "5000",
    addressCity: "Odense C",
    addressCountry: "DK",
    contactEmail: "faktura@odense.dk",
    groupNumber: 4,
    paymentTermsNumber: 3,
    vatZone: 1,
    currency: "DKK",
  },
  {
    number: 103,
    companyName: "Hamburger Feinkost GmbH",
    companyVat: "DE812345678",
    addressStreet: "Am Sandtorkai 5",
    addressZipcode: "20457",
    addressCity: "Hamburg",
    addressCountry: "DE",
    contactEmail: "einkauf@hamburger-feinkost.de",
    groupNumber: 3,
    paymentTermsNumber: 2,
    vatZone: 2,
    currency: "EUR",
  },
  {
    number: 104,
    companyName: "Nordic Pantry Inc.",
    addressStreet: "120 Hanover Street",
    addressZipcode: "MA 02113",
    addressCity: "Boston",
    addressCountry: "US",
    contactEmail: "ap@nordicpantry.com",
    groupNumber: 3,
    paymentTermsNumber: 3,
    vatZone: 3,
    currency: "USD",
  },
  {
    number: 105,
    companyName: "Tømrerfirmaet Hansen & Søn ApS",
    companyVat: "28765432",
    addressStreet: "Industrivej 7",
    addressZipcode: "7100",
    addressCity: "Vejle",
    addressCountry: "DK",
    contactEmail: "kontor@hansen-soen.dk",
    groupNumber: 2,
    paymentTermsNumber: 1,
    vatZone: 1,
    currency: "DKK",
  },
] as const;

export const seedProjects = [
  { number: "5017", name: "Kantine, Vejle Tekniske Skole", customerNumber: 105 },
] as const;

export const seedProductGroups = [
  { number: 1, name: "Kaffe og te" },
  { number: 2, name: "Ost og pålæg" },
  { number: 3, name: "Emballage" },
] as const;

export const seedProducts = [
  {
    number: "KAF-100",
    name: "Økologisk kaffe, hele bønner 1 kg",
    groupNumber: 1,
    salesPrice: "149.95",
    unit: "stk",
  },
  {
    number: "KAF-250/EX",
    name: "Espressobønner, mørkristede 250 g",
    groupNumber: 1,
    salesPrice: "54.5",
    unit: "stk",
  },
  { number: "TE LØS 12", name: "Grøn te, løs vægt", groupNumber: 1, salesPrice: "389.123456", unit: "kg" },
  { number: "OST-001", name: "Vesterhavsost, lagret", groupNumber: 2, salesPrice: "189.75", unit: "kg" },
  { number: "OST-002", name: "Gammel Knas, 52 uger", groupNumber: 2, salesPrice: "229.123456", unit: "kg" },
  { number: "PØL-10", name: "Rullepølse i skiver", groupNumber: 2, salesPrice: "159.5", unit: "kg" },
  { number: "SIL-5", name: "Marinerede sild, glas 500 g", groupNumber: 2, salesPrice: "39.95", unit: "stk" },
  {
    number: "EMB-KASSE 40x30",
    name: "Papkasse 40 × 30 cm",
    groupNumber: 3,
    salesPrice: "12.345678",
    unit: "stk",
  },
  { number: "EMB-POSE/L", name: "Papirpose, stor", groupNumber: 3, salesPrice: "1.25", unit: "stk" },
  { number: "GAVE-1", name: "Gaveæske med logo", groupNumber: 3, salesPrice: "24", unit: "stk" },
] as const;

export function newApiKey(): string {
  return `rb_sandbox_${randomBytes(24).toString("base64url")}`;
}

export interface CreatedAccount {
  apiKey: string;
  accountId: number;
}

/** Creates an account with a fresh API key and the seed data, in one transaction. */
export async function createAccount(db: Db, name = "Kaffe & Delikatesser ApS"): Promise<CreatedAccount> {
  return db.transaction(async (tx) => {
    const apiKey = newApiKey();
    const [account] = await tx.insert(rbAccounts).values({ name, apiKey }).returning({ id: rbAccounts.id });
    const accountId = account!.id;
    const withAccount = <T extends object>(rows: readonly T[]) => rows.map((row) => ({ ...row, accountId }));
    await tx.insert(rbPaymentTerms).values(withAccount(seedPaymentTerms));
    await tx.insert(rbCustomerGroups).values(withAccount(seedCustomerGroups));
    await tx.insert(rbCustomers).values(withAccount(seedCustomers));
    await tx.insert(rbProjects).values(withAccount(seedProjects));
    await tx.insert(rbProductGroups).values(withAccount(seedProductGroups));
    await tx.insert(rbProducts).values(withAccount(seedProducts));
    return { apiKey, accountId };
  });
}
