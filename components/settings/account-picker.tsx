"use client";

import { useId, useState } from "react";
import { FieldErrors } from "@/components/ui/field-errors";
import { accountLabel, type ChartAccount, filterAccounts } from "@/lib/settings/account-choices";

export type AccountPickerText = {
  none: string;
  search: string;
  searchPlaceholder: string;
  noMatches: string;
  unknown: string;
  stored: string;
};

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}

/**
 * A select of the allowed accounts with a search box that narrows its options and selects the
 * first match (Enter too). A real <select>
 * (not a free-text <input list>) posts only numbers the page offered; the server checks them again.
 * Without a chart (`choices` null) it shows the stored choice, disabled: it cannot be checked, and
 * the server keeps it unchanged.
 */
export function AccountPicker({
  name,
  label,
  help,
  value,
  onChange,
  choices,
  disabled,
  errors,
  text,
}: {
  name: string;
  label: string;
  help?: string;
  value: number | null;
  onChange: (value: number | null) => void;
  /** The accounts of the right type, not barred; null while the chart is not available. */
  choices: readonly ChartAccount[] | null;
  disabled?: boolean;
  errors?: string[];
  text: AccountPickerText;
}) {
  const [query, setQuery] = useState("");
  const base = useId();
  const id = `field-${name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const searchId = `${base}-search`;
  const invalid = Boolean(errors?.length);

  const visible = choices ? filterAccounts(choices, query) : [];
  const selected = value === null ? undefined : choices?.find((a) => a.accountNumber === value);
  // The chosen account stays an option even when the search hides it, so the select keeps its value.
  const options = selected && !visible.includes(selected) ? [selected, ...visible] : visible;
  const unknownValue = value !== null && choices !== null && selected === undefined;

  /** Typing narrows the options and selects the first match, unless the chosen one still matches. */
  const search = (next: string) => {
    setQuery(next);
    if (!choices || next.trim() === "") return;
    const matches = filterAccounts(choices, next);
    const first = matches[0];
    if (first && !matches.some((a) => a.accountNumber === value)) onChange(first.accountNumber);
  };

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        {choices ? (
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(event) => search(event.target.value)}
            onKeyDown={(event) => {
              // Enter picks the first match instead of submitting the whole form.
              if (event.key === "Enter") {
                event.preventDefault();
                const first = filterAccounts(choices, query)[0];
                if (first) onChange(first.accountNumber);
              }
            }}
            placeholder={text.searchPlaceholder}
            aria-label={text.search}
            aria-controls={id}
            disabled={disabled}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 disabled:bg-slate-100 sm:w-48"
          />
        ) : null}
        <select
          id={id}
          name={choices ? name : undefined}
          value={value === null ? "" : String(value)}
          onChange={(event) => onChange(event.target.value === "" ? null : Number(event.target.value))}
          disabled={disabled || choices === null}
          aria-invalid={invalid}
          aria-describedby={[help ? helpId : null, errorId].filter(Boolean).join(" ")}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-emerald-600 disabled:bg-slate-100 ${
            invalid ? "border-red-600" : "border-slate-300"
          }`}
        >
          <option value="">{text.none}</option>
          {choices === null && value !== null ? (
            <option value={String(value)}>{fill(text.stored, { account: value })}</option>
          ) : null}
          {unknownValue ? (
            <option value={String(value)}>{fill(text.unknown, { number: value })}</option>
          ) : null}
          {options.map((account) => (
            <option key={account.accountNumber} value={String(account.accountNumber)}>
              {accountLabel(account)}
            </option>
          ))}
        </select>
      </div>
      {choices && query.trim() !== "" && visible.length === 0 ? (
        <p className="text-xs text-slate-500" role="status">
          {text.noMatches}
        </p>
      ) : null}
      {help ? (
        <p id={helpId} className="text-xs text-slate-500">
          {help}
        </p>
      ) : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
