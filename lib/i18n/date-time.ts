/** Kept for existing imports: the formatting lives in `./format`. */
export { DANISH_TIME_ZONE, formatDateTime } from "./format";
