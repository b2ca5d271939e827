/**
 * The closed list of error codes the API returns. Clients branch on the code, never on the message.
 * The HTTP status of each code is decided here and nowhere else.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  /** A staff account given a password by an admin must choose its own first (POST /v1/auth/password). */
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  OUT_OF_STOCK: 409,
  INVALID_STATE: 409,
  INSUFFICIENT_BALANCE: 409,
  /** Hand-over: the pickup code (or the villager's SMS code / phone) is not right; details.attemptsLeft. */
  PICKUP_CODE_WRONG: 400,
  /** Changing one's password: the current password given is not right (counted like a failed login). */
  CURRENT_PASSWORD_WRONG: 400,
  /** Hand-over: too many wrong codes for this order; an admin must unlock it. */
  PICKUP_LOCKED: 409,
  /** Hand-over or lookup: the order with this code was collected already (已取货). */
  ALREADY_PICKED_UP: 409,
  /** Offline intake: the device that numbered the lot is unknown, retired, or registered at another point. */
  DEVICE_NOT_VALID: 409,
  /** Offline intake: another lot already has this intake number. */
  LOT_NUMBER_TAKEN: 409,
  /** Ordering: the chosen service point is closed for now (the admin closed it); choose another. */
  SERVICE_POINT_CLOSED: 409,
  /** Flash sale: not started yet, or over (details.startsAt, details.endsAt). */
  FLASH_SALE_NOT_LIVE: 409,
  /** Flash sale: this phone has bought as many as one buyer may (details.limit, details.already). */
  FLASH_SALE_LIMIT: 409,
  /** Harvest campaign: pre-orders are not taken now (details.opensAt, details.closesAt). */
  CAMPAIGN_NOT_OPEN: 409,
  /** Harvest campaign: more in one pre-order than allowed (details.limit). */
  CAMPAIGN_ORDER_LIMIT: 409,
  /** Harvest campaign: this phone has pre-ordered as many as one buyer may (details.limit, details.already). */
  CAMPAIGN_BUYER_LIMIT: 409,
  /** Rating link: not one the co-op sent (malformed, altered, or for nothing that exists). */
  RATING_LINK_INVALID: 404,
  /** Rating link: older than its 14 days; details.expiredAt. */
  RATING_LINK_EXPIRED: 410,
  /** Rating link: it was used already (one rating per event). */
  RATING_ALREADY_GIVEN: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The database (or the API itself) is not answering for a moment: retry after Retry-After. */
  SERVICE_UNAVAILABLE: 503,
  /** Stripe is not answering: the buyer may choose cash on pickup, or retry later. */
  PAYMENT_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function statusOf(code: ErrorCode): (typeof ERROR_STATUS)[ErrorCode] {
  return ERROR_STATUS[code];
}
