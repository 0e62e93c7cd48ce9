/**
 * Where a person (not our server) can open e-conomic. The REST API's URLs are not such places: a
 * browser gets 401 JSON there. e-conomic documents the web app's sign-in address (the grant flow
 * runs on `https://secure.e-conomic.com/secure/api1/requestaccess.aspx`, economic-api.md) but no
 * deep link to a draft or a booked invoice, so we link to the web app itself and show invoices as
 * PDFs fetched through our own server.
 */
export const ECONOMIC_WEB_APP_URL = "https://secure.e-conomic.com/";

const REAL_REST_HOST = "restapi.e-conomic.com";

/**
 * e-conomic's web app for a company whose REST API is `restBase`; undefined for the built-in
 * sandbox (or any other stand-in), which has no web app to open.
 */
export function economicWebAppUrl(restBase: string): string | undefined {
  try {
    return new URL(restBase).hostname === REAL_REST_HOST ? ECONOMIC_WEB_APP_URL : undefined;
  } catch {
    return undefined;
  }
}
