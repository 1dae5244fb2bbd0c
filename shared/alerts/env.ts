/** Environment of the alert publisher. */
export const ALERT_ENV = {
  /** Name of the stack's alert bus (AWS). */
  bus: 'OTPVAULT_ALERT_BUS',
  /** Local only: the JSON Lines file alerts are appended to instead of a bus. */
  file: 'OTPVAULT_ALERT_FILE',
  /** Local only: `1` prints each alert on stdout (the runner's log). */
  print: 'OTPVAULT_ALERT_PRINT',
} as const;
