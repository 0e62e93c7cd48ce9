/** The demo company's users: they exist and sign in only in sandbox mode. */
export const DEMO_PASSWORD = "demo1234";
export const DEMO_USERS = {
  admin: { email: "demo@example.com", name: "Demo Administrator" },
  viewer: { email: "viewer@example.com", name: "Demo Læser" },
} as const;
