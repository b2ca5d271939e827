/**
 * The largest numbers the API accepts, in one place so the contract, the screens and the tests agree.
 * Each is at most what its PostgreSQL column holds (integer = int4); most are a smaller, realistic limit
 * for a village co-op, so a typo of a few extra zeros is refused instead of stored.
 */

/** The largest value of a PostgreSQL `integer` column. */
export const INT4_MAX = 2_147_483_647;

/**
 * The most base units in one lot, one lot movement, one cycle count or one low-stock threshold:
 * 10 t in grams, 10,000 l in ml, ten million eggs. Stock at one place is a sum of lots and can still
 * outgrow a column; the API answers that with a 409, never a 500.
 */
export const MAX_LOT_QUANTITY = 10_000_000;

/** The most base units of one product in one order line: 1 t in grams. */
export const MAX_ORDER_LINE_QUANTITY = 1_000_000;

/** The highest price of one base unit: ¥1,000,000. */
export const MAX_UNIT_PRICE_FEN = 100_000_000;

/** The highest delivery fee: ¥10,000. */
export const MAX_DELIVERY_FEE_FEN = 1_000_000;

/** The largest disposal charge to a villager for one spoilage: ¥100,000. */
export const MAX_SPOILAGE_CHARGE_FEN = 10_000_000;

/** Any other single amount of money typed in (a payout, cash taken, a free-delivery threshold). */
export const MAX_AMOUNT_FEN = INT4_MAX;
