import type { Catalog } from "../locales/zh-CN";
import type { StaffRole } from "./domain";

export interface StaffTile {
  /** Key of the tile's title in the catalogs (staff.tiles.*). */
  key: keyof Catalog["staff"]["tiles"];
  /** Where the feature lives; null while it is not built yet (shown as "coming soon", not a link). */
  href: string | null;
}

/** What each role may do, in the order shown on the console. */
export const STAFF_TILES: Record<StaffRole, readonly StaffTile[]> = {
  admin: [
    { key: "products", href: null },
    { key: "commissionRules", href: null },
    { key: "servicePoints", href: null },
    { key: "staffAccounts", href: null },
    { key: "reports", href: null },
  ],
  warehouse: [
    { key: "receiveCollections", href: null },
    { key: "stock", href: null },
    { key: "counts", href: null },
    { key: "pickPack", href: null },
  ],
  agent: [
    { key: "registerVillager", href: null },
    { key: "intake", href: null },
    { key: "statements", href: null },
    { key: "payout", href: null },
    { key: "assistedOrder", href: null },
    { key: "pickup", href: null },
  ],
};
