/** The settings history's key for switching the integration on and off (beside the settings' own keys). */
export const ACTIVATION_HISTORY_KEY = "integrationActivated";
