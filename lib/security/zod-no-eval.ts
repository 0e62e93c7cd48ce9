import { z } from "zod";

/**
 * The CSP allows no eval. Zod 4 compiles object parsers with `new Function` unless told not to,
 * and its probe for that alone raises a CSP violation in the browser. The setting is read when a
 * schema is built, so modules whose schemas reach the browser import this first. The server keeps
 * the faster compiled parsers.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
