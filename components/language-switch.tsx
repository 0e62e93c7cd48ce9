import type { Locale } from "@/lib/i18n/locale";

/** Two submit buttons; the current language is marked and not offered again. */
export function LanguageSwitch({
  locale,
  labels,
  action,
}: {
  locale: Locale;
  labels: { da: string; en: string; save: string };
  action: (formData: FormData) => Promise<void>;
}) {
  return (
    <form action={action} aria-label={labels.save} className="flex gap-2 text-sm">
      {(["da", "en"] as const).map((value) => (
        <button
          key={value}
          type="submit"
          name="locale"
          value={value}
          lang={value}
          aria-pressed={value === locale}
          className={`rounded px-2 py-1 ${value === locale ? "font-semibold text-emerald-800 underline" : "text-slate-600 hover:text-slate-900"}`}
        >
          {labels[value]}
        </button>
      ))}
    </form>
  );
}
