/**
 * Every UI text, in Danish (the default, with the exact labels of e-conomic's guide) and English.
 * `en` is typed against `da`, so a missing translation is a type error.
 * Each feature keeps its texts in messages/<feature>.ts, wired in here.
 */
import { customerInvoiceDa, customerInvoiceEn } from "./messages/customer-invoice";
import { reconcileDa, reconcileEn } from "./messages/reconcile";
import { recordSyncDa, recordSyncEn } from "./messages/record-sync";
import { reviewDa, reviewEn } from "./messages/review";
import { setupDa, setupEn } from "./messages/setup";
import { shellDa, shellEn } from "./messages/shell";
import { transferDa, transferEn } from "./messages/transfer";
import type { Translation } from "./messages/translation";

export const da = {
  app: {
    name: "Rackbeat → e-conomic",
    tagline: "Kundefakturaer fra Rackbeat til e-conomic",
  },
  nav: {
    setup: "Opsætningsguide",
    customerInvoice: "Kundefaktura",
    review: "Gennemgang af integration",
    main: "Hovedmenu",
  },
  userMenu: {
    signOut: "Log ud",
    language: "Sprog",
    role: { admin: "Administrator", viewer: "Læseadgang" },
    menu: "Brugermenu",
    password: "Skift adgangskode",
  },
  password: {
    title: "Skift adgangskode",
    intro: "Når adgangskoden er skiftet, logges du ud alle steder og logger ind igen med den nye.",
    current: "Nuværende adgangskode",
    next: "Ny adgangskode",
    submit: "Skift adgangskode",
    pending: "Skifter…",
    wrong: "Den nuværende adgangskode er forkert.",
    changed: "Adgangskoden er skiftet, og alle dine sessioner er afsluttet. Log ind med den nye.",
  },
  language: { da: "Dansk", en: "English", save: "Skift sprog" },
  login: {
    title: "Log ind",
    email: "E-mail",
    password: "Adgangskode",
    submit: "Log ind",
    pending: "Logger ind…",
    invalid: "Forkert e-mail eller adgangskode.",
    throttled: "For mange mislykkede forsøg. Vent {seconds} sekunder, og prøv igen.",
    noAccount: "Har du ikke en konto?",
    register: "Opret virksomhed",
    demoTitle: "Demo (sandkasse)",
    demoAdmin: "Administrator",
    demoViewer: "Læseadgang",
    registered:
      "Tak. Var e-mailen ny, er virksomheden oprettet: log ind herunder. Havde den allerede en konto, har vi skrevet til den.",
  },
  register: {
    title: "Opret virksomhed",
    intro: "Opret din virksomhed og dens første administrator.",
    companyName: "Virksomhedsnavn",
    name: "Dit navn",
    email: "E-mail",
    password: "Adgangskode",
    passwordHint: "Mindst 8 tegn.",
    submit: "Opret virksomhed",
    pending: "Opretter…",
    haveAccount: "Har du allerede en konto?",
    login: "Log ind",
    fixErrors: "Ret de markerede felter.",
  },
  validation: {
    required: "Feltet skal udfyldes.",
    email: "Angiv en gyldig e-mailadresse.",
    tooLong: "Højst {max} tegn.",
    passwordShort: "Adgangskoden skal være mindst 8 tegn.",
    emailTaken: "Der findes allerede en bruger med denne e-mail.",
    wholeNumber: "Angiv et helt tal, eller lad feltet stå tomt.",
  },
  errors: {
    forbidden: "Kun administratorer kan foretage denne ændring.",
    unauthenticated: "Du er ikke logget ind.",
    unexpected: "Noget gik galt. Prøv igen.",
  },
  setup: setupDa,
  customerInvoice: customerInvoiceDa,
  review: reviewDa,
  transfer: transferDa,
  reconcile: reconcileDa,
  recordSync: recordSyncDa,
  shell: shellDa,
};

type Messages = typeof da;

export const en: Translation<Messages> = {
  app: {
    name: "Rackbeat → e-conomic",
    tagline: "Customer invoices from Rackbeat to e-conomic",
  },
  nav: {
    setup: "Setup guide",
    customerInvoice: "Customer invoice",
    review: "Integration review",
    main: "Main menu",
  },
  userMenu: {
    signOut: "Sign out",
    language: "Language",
    role: { admin: "Administrator", viewer: "Read only" },
    menu: "User menu",
    password: "Change password",
  },
  password: {
    title: "Change password",
    intro: "Once the password is changed, you are signed out everywhere and sign in again with the new one.",
    current: "Current password",
    next: "New password",
    submit: "Change password",
    pending: "Changing…",
    wrong: "The current password is wrong.",
    changed: "The password is changed and all your sessions have ended. Sign in with the new one.",
  },
  language: { da: "Dansk", en: "English", save: "Change language" },
  login: {
    title: "Sign in",
    email: "E-mail",
    password: "Password",
    submit: "Sign in",
    pending: "Signing in…",
    invalid: "Wrong e-mail or password.",
    throttled: "Too many failed attempts. Wait {seconds} seconds and try again.",
    noAccount: "No account yet?",
    register: "Create a company",
    demoTitle: "Demo (sandbox)",
    demoAdmin: "Administrator",
    demoViewer: "Read only",
    registered:
      "Thank you. If the e-mail was new, the company has been created: sign in below. If it already had an account, we have written to it.",
  },
  register: {
    title: "Create a company",
    intro: "Create your company and its first administrator.",
    companyName: "Company name",
    name: "Your name",
    email: "E-mail",
    password: "Password",
    passwordHint: "At least 8 characters.",
    submit: "Create company",
    pending: "Creating…",
    haveAccount: "Already have an account?",
    login: "Sign in",
    fixErrors: "Correct the marked fields.",
  },
  validation: {
    required: "This field is required.",
    email: "Enter a valid e-mail address.",
    tooLong: "At most {max} characters.",
    passwordShort: "The password must be at least 8 characters.",
    emailTaken: "A user with this e-mail already exists.",
    wholeNumber: "Enter a whole number, or leave the field empty.",
  },
  errors: {
    forbidden: "Only administrators can make this change.",
    unauthenticated: "You are not signed in.",
    unexpected: "Something went wrong. Please try again.",
  },
  setup: setupEn,
  customerInvoice: customerInvoiceEn,
  review: reviewEn,
  transfer: transferEn,
  reconcile: reconcileEn,
  recordSync: recordSyncEn,
  shell: shellEn,
};

export type { Messages };
