/** Kept for existing imports: the formatting lives in `@/lib/i18n/format`. */
export { formatAmount, formatCount, formatDate as formatDay, formatDecimal } from "@/lib/i18n/format";
