import type { StaffCatalog as Catalog } from "../locales/staff.zh-CN";
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
    { key: "products", href: "/staff/admin/products" },
    { key: "commissionRules", href: "/staff/admin/commission" },
    { key: "servicePoints", href: "/staff/admin/service-points" },
    { key: "staffAccounts", href: "/staff/admin/staff" },
    { key: "campaigns", href: "/staff/campaigns" },
    { key: "reports", href: "/staff/reports" },
    { key: "ratingFollowUps", href: "/staff/admin/follow-ups" },
    { key: "recall", href: "/staff/admin/recall" },
    { key: "openCash", href: "/staff/admin/cash" },
    { key: "orders", href: "/staff/orders" },
    { key: "receiveCollections", href: "/staff/collections" },
    { key: "deliveryRuns", href: "/staff/deliveries" },
    { key: "stock", href: "/staff/stock" },
    { key: "findVillager", href: "/staff/villagers" },
  ],
  warehouse: [
    { key: "receiveCollections", href: "/staff/collections" },
    { key: "orders", href: "/staff/orders" },
    { key: "deliveryRuns", href: "/staff/deliveries" },
    { key: "pickPack", href: "/staff/orders/picklist" },
    { key: "stock", href: "/staff/stock" },
    { key: "counts", href: "/staff/stock" },
    { key: "lowStock", href: "/staff/stock?low=1" },
    { key: "recall", href: "/staff/admin/recall" },
  ],
  agent: [
    { key: "registerVillager", href: "/staff/intake?view=register" },
    { key: "intake", href: "/staff/intake" },
    { key: "statements", href: "/staff/villagers?for=statement" },
    { key: "payout", href: "/staff/villagers?for=payout" },
    { key: "sendToWarehouse", href: "/staff/collections/new" },
    { key: "findVillager", href: "/staff/villagers" },
    { key: "stock", href: "/staff/stock" },
    { key: "incomingDeliveries", href: "/staff/deliveries" },
    { key: "pickup", href: "/staff/orders/handover" },
    { key: "cashDay", href: "/staff/cash" },
    { key: "assistedOrder", href: "/staff/villagers?for=order" },
    { key: "campaigns", href: "/staff/campaigns" },
    { key: "orders", href: "/staff/orders" },
    { key: "reports", href: "/staff/reports" },
  ],
};
