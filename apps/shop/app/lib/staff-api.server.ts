import type { CollectionStatus } from "@coop/shared";
import {
  AdminProductDetail,
  AdminProductList,
  AdminProductPhoto,
  AdminSaleUnit,
  type BlockLot,
  CashDay,
  CashHandIn,
  Collection,
  CollectionList,
  type ConfirmCashHandIn,
  Consignor,
  ConsignorRoster,
  ConsignorSearch,
  CoopSettings,
  type CountLot,
  type CreateCashHandIn,
  type CreateCollection,
  type CreateConsignor,
  Created,
  CreatedServicePoint,
  type CreateLot,
  type CreatePayout,
  type CreateProduct,
  type CreateSaleUnit,
  type CreateServicePoint,
  type CreateStaff,
  type CreateWarehouse,
  DeliveryRun,
  DeliveryRunList,
  DeliveryRunsBuilt,
  IntakeDevice,
  IntakeDeviceList,
  LocationList,
  LotCreated,
  LotDetail,
  LotList,
  type LotQuantityChange,
  LotRecallResult,
  LotTrace,
  OpenCash,
  Payout,
  Place,
  PointsWaitingForDelivery,
  type ProductChanges,
  ProductPhotoList,
  type ReceiveCollection,
  type ReceiveDeliveryRun,
  type RegisterIntakeDevice,
  type SaleUnitChanges,
  type SetThreshold,
  type SpoilLot,
  StaffAccount as StaffAccountSchema,
  StaffList,
  Statement,
  StockByProduct,
  StockLevelList,
  type UpdateConsignor,
  type UpdateProduct,
  type UpdateServicePoint,
  type UpdateStaff,
  type UpdateWarehouse,
  WarehouseList,
} from "@coop/shared/contract";
import { z } from "zod";

/** The receive answer: the run, and which of its orders became ready (the agent is told how many). */
const DeliveryRunReceived = DeliveryRun.extend({ readyOrderIds: z.array(z.string()) });

/**
 * The staff console's calls (consignment, stock, settlement, administration). Every answer is parsed
 * with the API's contract schemas from @coop/shared/contract.
 */

export interface StaffCallOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  token?: string;
  body?: unknown;
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export type ApiCall = <T>(
  path: string,
  schema: z.ZodType<T> | null,
  options?: StaffCallOptions,
) => Promise<T>;
export type RawCall = (path: string, token: string) => Promise<Response | null>;

/** A place stock can be: the warehouse, a service point, a store (GET /v1/locations). */
export type Location = LocationList["items"][number];
/** A staff account as the admin's list shows it (GET /v1/staff). */
export type StaffAccount = StaffList["items"][number];
export type CreateStaffInput = CreateStaff;
/** Search and filters of an admin list: part of a name, code or login; open/on sale or not. */
export type AdminListQuery = { q?: string; active?: string };
export { CoopSettings };

export type LotFilters = {
  servicePointId?: string;
  locationId?: string;
  status?: string;
  consignorId?: string;
  productId?: string;
  cursor?: string;
};

const path = (...parts: string[]) => parts.map(encodeURIComponent).join("/");
const idem = (key: string | undefined) => (key ? { "idempotency-key": key } : undefined);

export function staffApi(call: ApiCall, raw: RawCall) {
  return {
    // ---- Villagers (consignors) -------------------------------------------------------------------
    searchConsignors(token: string, input: { q: string; servicePointId?: string }) {
      return call("/v1/consignors", ConsignorSearch, { token, query: input });
    },
    consignorRoster(token: string, input: { servicePointId: string; cursor?: string }) {
      return call("/v1/consignors/roster", ConsignorRoster, { token, query: input });
    },
    createConsignor(token: string, input: CreateConsignor, key?: string) {
      return call("/v1/consignors", Created, { method: "POST", token, body: input, headers: idem(key) });
    },
    getConsignor(token: string, id: string) {
      return call(`/v1/consignors/${path(id)}`, Consignor, { token });
    },
    updateConsignor(token: string, id: string, input: z.infer<typeof UpdateConsignor>) {
      return call(`/v1/consignors/${path(id)}`, Consignor, { method: "PATCH", token, body: input });
    },
    getStatement(token: string, id: string, range: { from: string; to: string }) {
      return call(`/v1/consignors/${path(id)}/statement`, Statement, { token, query: range });
    },

    // ---- Intake devices (offline intake numbering, decision 0021) -----------------------------------
    /** `deviceId`, the phone's own id, is sent as the Idempotency-Key and becomes the device's id. */
    registerIntakeDevice(token: string, input: RegisterIntakeDevice, deviceId?: string) {
      return call("/v1/intake-devices", IntakeDevice, {
        method: "POST",
        token,
        body: input,
        headers: idem(deviceId),
      });
    },
    listIntakeDevices(token: string, servicePointId?: string) {
      return call("/v1/intake-devices", IntakeDeviceList, { token, query: { servicePointId } });
    },
    retireIntakeDevice(token: string, id: string) {
      return call(`/v1/intake-devices/${path(id)}/retire`, IntakeDevice, { method: "POST", token });
    },

    // ---- Lots ----------------------------------------------------------------------------------------
    /** `key` (the intake command's id) is kept on the lot: sending it again answers the same lot. */
    createLot(token: string, input: CreateLot, key?: string) {
      return call("/v1/lots", LotCreated, { method: "POST", token, body: input, headers: idem(key) });
    },
    listLots(token: string, filters: LotFilters) {
      return call("/v1/lots", LotList, { token, query: filters });
    },
    getLot(token: string, id: string) {
      return call(`/v1/lots/${path(id)}`, LotDetail, { token });
    },
    uploadLotPhoto(token: string, lotId: string, photo: File, key?: string) {
      const form = new FormData();
      form.set("photo", photo, photo.name || "photo");
      return call(`/v1/lots/${path(lotId)}/photos`, Created, {
        method: "POST",
        token,
        form,
        headers: idem(key),
      });
    },
    lotPhoto(token: string, lotId: string, photoId: string) {
      return raw(`/v1/lots/${path(lotId)}/photos/${path(photoId)}`, token);
    },
    lotReceiptPdf(token: string, lotId: string) {
      return raw(`/v1/lots/${path(lotId)}/receipt.pdf`, token);
    },
    returnLot(token: string, id: string, input: z.infer<typeof LotQuantityChange>, key?: string) {
      return call(`/v1/lots/${path(id)}/return`, null, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    spoilLot(token: string, id: string, input: z.infer<typeof SpoilLot>, key?: string) {
      return call(`/v1/lots/${path(id)}/spoilage`, null, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    countLot(token: string, id: string, input: z.infer<typeof CountLot>, key?: string) {
      return call(`/v1/lots/${path(id)}/count`, null, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    blockLot(token: string, id: string, input: z.infer<typeof BlockLot>, key?: string) {
      return call(`/v1/lots/${path(id)}/block`, LotRecallResult, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    traceLot(token: string, id: string) {
      return call(`/v1/lots/${path(id)}/trace`, LotTrace, { token });
    },

    // ---- Collections -------------------------------------------------------------------------------
    createCollection(token: string, input: z.infer<typeof CreateCollection>, key?: string) {
      return call("/v1/collections", Collection, { method: "POST", token, body: input, headers: idem(key) });
    },
    listCollections(token: string, status?: CollectionStatus) {
      return call("/v1/collections", CollectionList, { token, query: { status } });
    },
    getCollection(token: string, id: string) {
      return call(`/v1/collections/${path(id)}`, Collection, { token });
    },
    receiveCollection(token: string, id: string, input: z.infer<typeof ReceiveCollection>, key?: string) {
      return call(`/v1/collections/${path(id)}/receive`, Collection, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },

    // ---- Delivery runs (warehouse → service point) -------------------------------------------------
    pointsWaitingForDelivery(token: string) {
      return call("/v1/delivery-runs/waiting", PointsWaitingForDelivery, { token });
    },
    buildDeliveryRuns(token: string, input: { servicePointId?: string }, key?: string) {
      return call("/v1/delivery-runs", DeliveryRunsBuilt, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    listDeliveryRuns(token: string, query: { status?: string; servicePointId?: string }) {
      return call("/v1/delivery-runs", DeliveryRunList, { token, query });
    },
    getDeliveryRun(token: string, id: string) {
      return call(`/v1/delivery-runs/${path(id)}`, DeliveryRun, { token });
    },
    dispatchDeliveryRun(token: string, id: string, key?: string) {
      return call(`/v1/delivery-runs/${path(id)}/dispatch`, DeliveryRun, {
        method: "POST",
        token,
        headers: idem(key),
      });
    },
    receiveDeliveryRun(token: string, id: string, input: ReceiveDeliveryRun, key?: string) {
      return call(`/v1/delivery-runs/${path(id)}/receive`, DeliveryRunReceived, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    resendDeliveryLine(token: string, id: string, lineId: string, key?: string) {
      return call(`/v1/delivery-runs/${path(id)}/lines/${path(lineId)}/resend`, DeliveryRun, {
        method: "POST",
        token,
        headers: idem(key),
      });
    },
    refundDeliveryLine(token: string, id: string, lineId: string, key?: string) {
      return call(
        `/v1/delivery-runs/${path(id)}/lines/${path(lineId)}/refund`,
        DeliveryRun.extend({ refundedFen: z.number().int(), refundSent: z.boolean() }),
        { method: "POST", token, headers: idem(key) },
      );
    },

    // ---- Stock -----------------------------------------------------------------------------------------
    stockByProduct(token: string, productId: string) {
      return call("/v1/stock", StockByProduct, { token, query: { productId } });
    },
    stockLevels(token: string, input: { locationId?: string; lowOnly?: boolean }) {
      return call("/v1/stock/levels", StockLevelList, {
        token,
        query: { locationId: input.locationId, lowOnly: input.lowOnly ? "true" : undefined },
      });
    },
    setThreshold(token: string, input: z.infer<typeof SetThreshold>) {
      return call("/v1/stock/thresholds", null, { method: "PUT", token, body: input });
    },

    // ---- Payouts -----------------------------------------------------------------------------------
    createPayout(token: string, input: z.infer<typeof CreatePayout>, key?: string) {
      return call("/v1/payouts", Payout, { method: "POST", token, body: input, headers: idem(key) });
    },
    // ---- Cash (day-close and hand-ins) -----------------------------------------------------------
    cashDay(token: string, query: { date?: string; agentId?: string }) {
      return call("/v1/cash/day", CashDay, { token, query });
    },
    handInCash(token: string, input: z.infer<typeof CreateCashHandIn>, key?: string) {
      return call("/v1/cash/hand-ins", CashHandIn, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    confirmHandIn(token: string, id: string, input: z.infer<typeof ConfirmCashHandIn>, key?: string) {
      return call(`/v1/cash/hand-ins/${path(id)}/confirm`, CashHandIn, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    openCash(token: string) {
      return call("/v1/cash/open", OpenCash, { token });
    },
    getPayout(token: string, id: string) {
      return call(`/v1/payouts/${path(id)}`, Payout, { token });
    },

    // ---- Administration ----------------------------------------------------------------------------
    getCoop(token: string) {
      return call("/v1/coop", CoopSettings, { token });
    },
    updateCoop(token: string, input: { defaultCommissionBps: number }) {
      return call("/v1/coop", CoopSettings, { method: "PATCH", token, body: input });
    },
    async listLocations(token: string): Promise<Location[]> {
      return (await call("/v1/locations", LocationList, { token })).items;
    },
    createServicePoint(token: string, input: CreateServicePoint, key?: string) {
      return call("/v1/service-points", CreatedServicePoint, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    createProduct(token: string, input: CreateProduct, key?: string) {
      return call("/v1/products", Created, { method: "POST", token, body: input, headers: idem(key) });
    },
    updateProduct(token: string, id: string, input: z.infer<typeof UpdateProduct>) {
      return call(`/v1/products/${path(id)}`, null, { method: "PATCH", token, body: input });
    },
    async listStaff(token: string): Promise<StaffAccount[]> {
      return (await call("/v1/staff", StaffList, { token })).items;
    },
    createStaff(token: string, input: CreateStaffInput, key?: string) {
      return call("/v1/staff", Created, { method: "POST", token, body: input, headers: idem(key) });
    },

    // ---- Administration: edits (issue 11 item 6) -----------------------------------------------------
    adminProducts(token: string, query: AdminListQuery & { kind?: string; cursor?: string }) {
      return call("/v1/admin/products", AdminProductList, { token, query: { ...query, limit: 50 } });
    },
    adminProduct(token: string, id: string) {
      return call(`/v1/admin/products/${path(id)}`, AdminProductDetail, { token });
    },
    editProduct(token: string, id: string, input: ProductChanges) {
      return call(`/v1/products/${path(id)}`, AdminProductDetail, { method: "PATCH", token, body: input });
    },
    addSaleUnit(token: string, productId: string, input: z.input<typeof CreateSaleUnit>, key?: string) {
      return call(`/v1/products/${path(productId)}/sale-units`, AdminSaleUnit, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    productPhotos(token: string, productId: string) {
      return call(`/v1/products/${path(productId)}/photos`, ProductPhotoList, { token });
    },
    uploadProductPhoto(
      token: string,
      productId: string,
      photo: File,
      alt: { zh: string; en: string } | null,
      key?: string,
    ) {
      const form = new FormData();
      form.set("photo", photo, photo.name || "photo");
      if (alt) {
        form.set("altZh", alt.zh);
        form.set("altEn", alt.en);
      }
      return call(`/v1/products/${path(productId)}/photos`, AdminProductPhoto, {
        method: "POST",
        token,
        form,
        headers: idem(key),
      });
    },
    orderProductPhotos(token: string, productId: string, photoIds: string[]) {
      return call(`/v1/products/${path(productId)}/photos/order`, ProductPhotoList, {
        method: "PUT",
        token,
        body: { photoIds },
      });
    },
    removeProductPhoto(token: string, productId: string, photoId: string) {
      return call(`/v1/products/${path(productId)}/photos/${path(photoId)}`, null, {
        method: "DELETE",
        token,
      });
    },
    editSaleUnit(token: string, productId: string, saleUnitId: string, input: SaleUnitChanges) {
      return call(`/v1/products/${path(productId)}/sale-units/${path(saleUnitId)}`, AdminSaleUnit, {
        method: "PATCH",
        token,
        body: input,
      });
    },
    async searchPlaces(token: string, query: AdminListQuery & { kind?: string }): Promise<Place[]> {
      return (await call("/v1/locations", LocationList, { token, query })).items;
    },
    getServicePoint(token: string, id: string) {
      return call(`/v1/service-points/${path(id)}`, Place, { token });
    },
    updateServicePoint(token: string, id: string, input: UpdateServicePoint) {
      return call(`/v1/service-points/${path(id)}`, Place, { method: "PATCH", token, body: input });
    },
    async listWarehouses(token: string): Promise<Place[]> {
      return (await call("/v1/warehouses", WarehouseList, { token })).items;
    },
    createWarehouse(token: string, input: CreateWarehouse, key?: string) {
      return call("/v1/warehouses", CreatedServicePoint, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    updateWarehouse(token: string, id: string, input: UpdateWarehouse) {
      return call(`/v1/warehouses/${path(id)}`, Place, { method: "PATCH", token, body: input });
    },
    async searchStaff(token: string, query: AdminListQuery & { role?: string }): Promise<StaffAccount[]> {
      return (await call("/v1/staff", StaffList, { token, query })).items;
    },
    getStaff(token: string, id: string) {
      return call(`/v1/staff/${path(id)}`, StaffAccountSchema, { token });
    },
    updateStaff(token: string, id: string, input: UpdateStaff) {
      return call(`/v1/staff/${path(id)}`, StaffAccountSchema, { method: "PATCH", token, body: input });
    },
    resetStaffPassword(token: string, id: string, password: string, key?: string) {
      return call(`/v1/staff/${path(id)}/password`, StaffAccountSchema, {
        method: "POST",
        token,
        body: { password },
        headers: idem(key),
      });
    },
  };
}
