export { createEconomicClient, EconomicClient } from "./client";
export { economicBaseUrls } from "./config";
export {
  EconomicError,
  type EconomicErrorKind,
  type EconomicFieldError,
  flattenValidationErrors,
  isEconomicError,
  parseErrorBody,
} from "./errors";
export type { Filter, FilterScalar } from "./filter";
export * as economicFilter from "./filter";
export {
  type CallInfo,
  type CallOptions,
  DEFAULT_ECONOMIC_RETRY,
  DEFAULT_RETRY_AMBIGUOUS,
  DEFAULT_TIMEOUT_MS,
  type EconomicApi,
  type EconomicClientConfig,
  type HttpMethod,
} from "./http";
export { type Collection, type ListQuery, MAX_PAGE_SIZE, type PageQuery } from "./paginate";
export { decodeProductNumber, encodeProductNumber, PRODUCT_NUMBER_TOKENS } from "./product-number";
export type * from "./schemas";
