import { z } from "zod";
import { GRANT_RESULTS } from "@/lib/integrations/economic-grant";

/**
 * The query parameters of the pages other than /review (lib/review/filters.ts has its own), each
 * validated by zod: a malformed or repeated value is ignored, never an error.
 */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/** A single string value; anything else (absent, repeated, too long) is treated as absent. */
const single = (max: number) => z.string().max(max).optional().catch(undefined);

const loginParamsSchema = z.object({
  callbackUrl: single(2000),
  registered: z.literal("1").optional().catch(undefined),
  passwordChanged: z.literal("1").optional().catch(undefined),
});

export function parseLoginParams(params: PageSearchParams): {
  callbackUrl?: string;
  registered: boolean;
  passwordChanged: boolean;
} {
  const parsed = loginParamsSchema.parse(params);
  return {
    callbackUrl: parsed.callbackUrl,
    registered: parsed.registered === "1",
    passwordChanged: parsed.passwordChanged === "1",
  };
}

const setupParamsSchema = z.object({
  economic: z.enum(GRANT_RESULTS).optional().catch(undefined),
});

export function parseSetupParams(params: PageSearchParams): z.infer<typeof setupParamsSchema> {
  return setupParamsSchema.parse(params);
}
