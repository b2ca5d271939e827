import type { locations } from "@coop/db/schema";
import type { Place } from "@coop/shared/contract";
import { ApiError } from "../../lib/errors";

type LocationRow = typeof locations.$inferSelect;

/** A place as the staff console sees it; every column named, so a new internal one never leaks. */
export function projectPlace(row: LocationRow): Place {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    name: { zh: row.nameZh, en: row.nameEn },
    village: row.village,
    address: row.address,
    phone: row.phone,
    openingHours: row.openingHours,
    active: row.active,
  };
}

/** A form's optional text: absent leaves the column, empty clears it (null), else the trimmed text. */
export function clearable(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === "" ? null : value;
}

/** Only the columns a change really sets, so an audit line shows what changed and nothing else. */
export function definedOnly<T extends Record<string, unknown>>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Place codes are unique across the co-op's points, warehouses and transit: the admin picks another. */
export function placeCodeTaken(code: string): ApiError {
  return new ApiError("ALREADY_EXISTS", `A place with code ${code} already exists.`, {
    fields: [{ path: "code", message: "already used" }],
  });
}
