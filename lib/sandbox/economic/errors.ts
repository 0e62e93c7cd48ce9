import { randomUUID } from "node:crypto";

/**
 * Error codes in one place. E04740, E04730 and E06000 are documented by e-conomic; every other code
 * here is the sandbox's own choice (unconfirmed) and may be corrected without touching callers.
 */
export const errorCodes = {
  validation: "E04300",
  required: "E00200",
  invalidType: "E00210",
  nullValue: "E00220",
  tooLong: "E00230",
  invalidValue: "E00240",
  scale: "E04740",
  productLineWithoutQuantity: "E04730",
  doesNotExist: "E06000",
  alreadyExists: "E06010",
  bookNumberInUse: "E07400",
  productBarred: "E07410",
  eanCustomerWithoutEan: "E07420",
  eanWithoutCustomerContact: "E07421",
  eanAgreementWithoutCvr: "E07422",
  eanCustomerWithoutAttention: "E07423",
  unauthorized: "E00500",
  notFound: "E00404",
  methodNotAllowed: "E00405",
  unsupportedMediaType: "E00415",
  badRequest: "E00400",
  tooManyRequests: "E00429",
  internal: "E00000",
} as const;

export interface ErrorBody {
  message: string;
  errorCode: string;
  developerHint: string;
  logId: string;
  httpStatusCode: number;
  logTime: string;
}

function logFields() {
  return { logId: randomUUID().replaceAll("-", ""), logTime: new Date().toISOString() };
}

/** e-conomic's non-validation error shape. */
export function errorResponse(
  status: number,
  errorCode: string,
  message: string,
  developerHint = "",
  headers?: Record<string, string>,
): Response {
  const { logId, logTime } = logFields();
  const body: ErrorBody = { message, errorCode, developerHint, logId, httpStatusCode: status, logTime };
  return Response.json(body, { status, headers });
}

export type IssuePath = ReadonlyArray<string | number>;

interface Issue {
  errorCode: string;
  message: string;
  value?: unknown;
}

type IssueTree = { [key: string]: IssueTree | IssueTree[] | Issue[] | number };

/**
 * Collects field errors into e-conomic's tree: `errors.<field>.errors[]`, nested objects by key,
 * arrays as entries carrying `arrayIndex`.
 */
export class Issues {
  private readonly tree: IssueTree = {};
  private count = 0;
  private firstCode: string | undefined;

  add(path: IssuePath, errorCode: string, message: string, value?: unknown): void {
    this.count++;
    this.firstCode ??= errorCode;
    let node: IssueTree = this.tree;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const next = path[i + 1];
      if (typeof next === "number") {
        node[String(segment)] ??= [];
        const list = node[String(segment)] as IssueTree[];
        let entry = list.find((e) => e.arrayIndex === next);
        if (!entry) {
          entry = { arrayIndex: next };
          list.push(entry);
          list.sort((a, b) => (a.arrayIndex as number) - (b.arrayIndex as number));
        }
        node = entry;
        i++;
        continue;
      }
      node[String(segment)] ??= {};
      node = node[String(segment)] as IssueTree;
    }
    const issue: Issue = value === undefined ? { errorCode, message } : { errorCode, message, value };
    node.errors ??= [];
    (node.errors as Issue[]).push(issue);
  }

  get any(): boolean {
    return this.count > 0;
  }

  toResponse(): Response {
    const { logId, logTime } = logFields();
    // A top-level errorCode is not in the documented example; it names the first problem for clients
    // that log only that field.
    const errorCode = this.count === 1 && this.firstCode ? this.firstCode : errorCodes.validation;
    return Response.json(
      {
        message: "Validation error.",
        errorCode,
        developerHint: "Find detailed error information in the 'errors' property.",
        logId,
        httpStatusCode: 400,
        errors: this.tree,
        logTime,
      },
      { status: 400 },
    );
  }
}

/** Thrown anywhere below the router to answer with a ready response (also rolls back a transaction). */
export class ApiError extends Error {
  constructor(readonly response: Response) {
    super(`sandbox api error ${response.status}`);
  }
}

export function notFound(what = "Object"): ApiError {
  return new ApiError(
    errorResponse(404, errorCodes.notFound, `${what} not found.`, "Check the number in the URL."),
  );
}

export function validationFailed(path: IssuePath, errorCode: string, message: string, value?: unknown) {
  const issues = new Issues();
  issues.add(path, errorCode, message, value);
  return new ApiError(issues.toResponse());
}
