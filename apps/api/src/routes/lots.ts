import {
  BlockLot,
  CountLot,
  Created,
  CreateLot,
  ErrorBody,
  LOT_STATUS_VALUES,
  LotCreated,
  LotDetail,
  LotList,
  LotQuantityChange,
  LotRecallResult,
  LotTrace,
  SpoilLot,
} from "@coop/shared/contract";
import { RECEIPT_SHOW_FORMATS, ReceiptShown } from "@coop/shared/receipt";
import { createRoute, z } from "@hono/zod-openapi";
import type { ZodType } from "zod";
import { createLot } from "../domain/lots/create-lot";
import { loadLotFor } from "../domain/lots/lot-access";
import { countLot, recordSpoilage, returnToConsignor } from "../domain/lots/lot-adjustments";
import { addLotPhoto, readLotPhoto } from "../domain/lots/lot-photos";
import { getLotDetail, listLots } from "../domain/lots/lot-views";
import { publicLinks } from "../domain/lots/public-link";
import { recallLot, recallOf } from "../domain/lots/recall-lot";
import { receiptData } from "../domain/lots/receipt-data";
import { renderReceiptPdf } from "../domain/lots/receipt-pdf";
import { recordReceiptPrint } from "../domain/lots/receipt-prints";
import { receiptEscpos } from "../domain/lots/receipt-render";
import { traceLot } from "../domain/lots/trace-lot";
import { applyAtStripe } from "../domain/orders/order-lifecycle";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Lots (consignment intake and stock)"];
const lotLinks = (env: { PUBLIC_LINK_SECRET: string; PUBLIC_SHOP_URL: string }) =>
  publicLinks(env.PUBLIC_LINK_SECRET, env.PUBLIC_SHOP_URL);
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });
const json = <T extends ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

const createLotRoute = createRoute({
  method: "post",
  path: "/lots",
  tags,
  security,
  summary: "Take in produce (consignment intake) with its quality check",
  description:
    "A lot that passes the quality check becomes stock at the service point; a failed one is recorded with its reason (status rejected) and never stocked. The Idempotency-Key is kept on the lot: the same key again, at any time (also after its idempotency record is gone), answers that lot (201, same body); with a different intake it is refused (409 IDEMPOTENCY_KEY_REUSED). Offline intake: a registered phone sends the number it gave (lotNo, in its segment) with intakeDeviceId; the device must be registered at this point and not retired (409 DEVICE_NOT_VALID), the number well-formed and dated from 60 days before to 1 day after today in China (400 on lotNo), and not another lot's (409 LOT_NUMBER_TAKEN). Without them the server numbers the lot (HS01-20261202-0007).",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: { headers: IdempotencyHeader, body: json(CreateLot) },
  responses: { 201: jsonContent(LotCreated, "Recorded"), ...errorResponses(400, 401, 403, 409) },
});

const listRoute = createRoute({
  method: "get",
  path: "/lots",
  tags,
  security,
  summary: "Lots, newest first",
  middleware: [requireStaff()] as const,
  request: {
    query: z.object({
      servicePointId: z.string().optional().meta({ description: "Where the lots were taken in" }),
      locationId: z.string().optional().meta({ description: "Where the lots are now" }),
      status: z.enum(LOT_STATUS_VALUES).optional(),
      consignorId: z.string().optional(),
      productId: z.string().optional(),
      lotNo: z.string().max(40).optional().meta({ description: "The intake number on the receipt" }),
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: jsonContent(LotList, "A page of lots"), ...errorResponses(400, 401, 403) },
});

const getRoute = createRoute({
  method: "get",
  path: "/lots/{id}",
  tags,
  security,
  summary: "One lot with its ledger lines",
  middleware: [requireStaff()] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(LotDetail, "The lot"), ...errorResponses(401, 403, 404) },
});

const photoUploadRoute = createRoute({
  method: "post",
  path: "/lots/{id}/photos",
  tags,
  security,
  summary: "Add an intake photo (JPEG, PNG or WebP, at most 5 MB)",
  middleware: [requireStaff()] as const,
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({ photo: z.any().meta({ type: "string", format: "binary" }) }),
        },
      },
    },
  },
  responses: { 201: jsonContent(Created, "Stored"), ...errorResponses(400, 401, 403, 404, 413) },
});

const photoGetRoute = createRoute({
  method: "get",
  path: "/lots/{id}/photos/{photoId}",
  tags,
  security,
  summary: "An intake photo",
  middleware: [requireStaff()] as const,
  request: { params: z.object({ id: z.string().max(64), photoId: z.string().max(64) }) },
  responses: {
    200: {
      description: "The image",
      content: { "image/*": { schema: z.any().meta({ type: "string", format: "binary" }) } },
    },
    ...errorResponses(401, 403, 404),
  },
});

function actionRoute<T extends ZodType>(
  path: string,
  summary: string,
  body: T,
  roles: Array<"admin" | "warehouse" | "agent">,
) {
  return createRoute({
    method: "post",
    path,
    tags,
    security,
    summary,
    middleware: [requireStaff(...roles), idempotent()] as const,
    request: { params: IdParam, headers: IdempotencyHeader, body: json(body) },
    responses: {
      200: jsonContent(LotDetail, "The lot after the change"),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
}

const returnRoute = actionRoute(
  "/lots/{id}/return",
  "Hand unsold or expired goods back to the villager",
  LotQuantityChange,
  ["agent", "warehouse", "admin"],
);
const spoilRoute = actionRoute("/lots/{id}/spoilage", "Write off spoiled goods", SpoilLot, [
  "agent",
  "warehouse",
  "admin",
]);
const countRoute = actionRoute("/lots/{id}/count", "Record a cycle count of the lot", CountLot, [
  "agent",
  "warehouse",
  "admin",
]);
const blockRoute = createRoute({
  method: "post",
  path: "/lots/{id}/block",
  tags,
  security,
  summary:
    "Recall: block the lot and every lot split from the same intake, cancel or refund the orders holding them, tell their buyers",
  description:
    "Always succeeds for a stocked lot. The recall follows the goods: it blocks the lot's whole family (the intake lot and every lot a delivery run split off it, at the warehouse, in transit or on a point's shelf; asking for a split-off lot recalls its parent and siblings too, and the recall names the lot asked for). Orders drawn from the family and not yet handed over are refunded (Stripe) or cancelled; unpaid orders whose bag may hold its units (on the road: the runs that carry a family lot) or whose stock can no longer be covered are cancelled; every affected buyer gets one SMS; the buyers who already have it are listed for follow-up. Blocking any lot of a recalled family answers its recall again. There is no unblock.",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(BlockLot) },
  responses: {
    200: jsonContent(LotRecallResult, "The lot, blocked, and its recall"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const ReceiptWidthQuery = z.object({
  width: z
    .enum(["58", "80"])
    .default("80")
    .meta({ description: "Paper width in millimetres (58 mm: 32 characters a line, 80 mm: 48)" }),
});

const receiptPdfRoute = createRoute({
  method: "get",
  path: "/lots/{id}/receipt.pdf",
  tags,
  security,
  summary: "The intake receipt as a PDF (58/80 mm), with the intake number and the villager's QR link",
  description:
    "Drawn from the same ReceiptLine template as the thermal printer's ESC/POS. Every call is logged in the lot's print log; every paper copy after the first says 补打 (reprint) with its time.",
  middleware: [requireStaff()] as const,
  request: { params: IdParam, query: ReceiptWidthQuery },
  responses: {
    200: {
      description: "The receipt",
      content: { "application/pdf": { schema: z.any().meta({ type: "string", format: "binary" }) } },
    },
    ...errorResponses(400, 401, 403, 404),
    503: jsonContent(ErrorBody, "No Chinese font is installed on the server"),
  },
});

const receiptEscposRoute = createRoute({
  method: "get",
  path: "/lots/{id}/receipt.escpos",
  tags,
  security,
  summary: "The intake receipt as ESC/POS bytes (GB18030) for the service point's 58/80 mm thermal printer",
  description:
    "The staff console sends these bytes to the printer over WebUSB or Web Bluetooth. Every call is logged; every copy after the first paper copy says 补打 (reprint) with its time.",
  middleware: [requireStaff()] as const,
  request: { params: IdParam, query: ReceiptWidthQuery },
  responses: {
    200: {
      description: "Printer commands",
      content: {
        "application/octet-stream": { schema: z.any().meta({ type: "string", format: "binary" }) },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const receiptShownRoute = createRoute({
  method: "post",
  path: "/lots/{id}/receipt-prints",
  tags,
  security,
  summary: "Log that the receipt was shown on screen; answers the QR link and how many paper copies exist",
  middleware: [requireStaff(), idempotent()] as const,
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: json(z.object({ format: z.enum(RECEIPT_SHOW_FORMATS) })),
  },
  responses: { 201: jsonContent(ReceiptShown, "Logged"), ...errorResponses(400, 401, 403, 404) },
});

const traceRoute = createRoute({
  method: "get",
  path: "/lots/{id}/trace",
  tags,
  security,
  summary:
    "Recall trace: every movement of the lot, its family of split-off lots, and every order that received units of any of them",
  middleware: [requireStaff("warehouse", "admin")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(LotTrace, "Where the lot went"), ...errorResponses(401, 403, 404) },
});

export function lotRoutes() {
  return createRouter()
    .openapi(createLotRoute, async (c) => {
      const data = c.req.valid("json");
      assertServicePointAccess(c.var.staff!, data.servicePointId);
      const clientCommandId = c.req.header("idempotency-key");
      const lot = await createLot(c.var.deps.db, {
        data,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
        ...(clientCommandId ? { clientCommandId } : {}),
      });
      // The villager's intake SMS was queued with the lot: send it now rather than at the next sweep.
      await c.var.deps.jobs.notificationsQueued();
      return c.json(lot, 201);
    })
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      const staff = c.var.staff!;
      let originLocationId = q.servicePointId;
      if (staff.role === "agent" && q.locationId !== staff.servicePointId) {
        originLocationId = (visibleServicePoints(staff, q.servicePointId) as string[])[0];
      }
      const page = await listLots(c.var.deps.db, {
        originLocationId,
        locationId: q.locationId,
        status: q.status,
        consignorId: q.consignorId,
        productId: q.productId,
        lotNo: q.lotNo,
        beforeId: q.cursor,
        limit: q.limit,
      });
      return c.json({ items: page.items, nextCursor: page.nextBeforeId }, 200);
    })
    .openapi(getRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "read");
      return c.json((await getLotDetail(c.var.deps.db, lot.id))!, 200);
    })
    .openapi(photoUploadRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "operate");
      // Already parsed (multipart) by the route's validator.
      const file = (c.req.valid("form") as { photo?: unknown }).photo;
      if (!(file instanceof File)) {
        throw new ApiError(
          "VALIDATION_FAILED",
          'Send the photo as multipart/form-data in the field "photo".',
          {
            fields: [{ path: "photo", message: "missing" }],
          },
        );
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const result = await addLotPhoto(c.var.deps.db, c.var.deps.storage, {
        lotId: lot.id,
        bytes,
        actorUserId: c.var.staff!.id,
      });
      return c.json(result, 201);
    })
    .openapi(photoGetRoute, async (c) => {
      const { id, photoId } = c.req.valid("param");
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, id, "read");
      const photo = await readLotPhoto(c.var.deps.db, c.var.deps.storage, lot.id, photoId);
      c.header("Cache-Control", "private, max-age=86400, immutable");
      return c.body(Buffer.from(photo.bytes), 200, { "Content-Type": photo.contentType }) as never;
    })
    .openapi(returnRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "operate");
      await returnToConsignor(c.var.deps.db, lot, {
        ...c.req.valid("json"),
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      return c.json((await getLotDetail(c.var.deps.db, lot.id))!, 200);
    })
    .openapi(spoilRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "operate");
      await recordSpoilage(c.var.deps.db, lot, {
        ...c.req.valid("json"),
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      return c.json((await getLotDetail(c.var.deps.db, lot.id))!, 200);
    })
    .openapi(countRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "operate");
      await countLot(c.var.deps.db, lot, {
        ...c.req.valid("json"),
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      return c.json((await getLotDetail(c.var.deps.db, lot.id))!, 200);
    })
    .openapi(blockRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "read");
      const outcome = await recallLot(c.var.deps.db, lot.id, {
        ...c.req.valid("json"),
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      // The refunds are owed in the database with the recall; what Stripe cannot take now, the sweep sends
      // later, so Stripe being down never undoes the recall.
      const refundsNotSent: string[] = [];
      for (const { orderId, after } of outcome.atStripe) {
        const sent = await applyAtStripe({ ...c.var.deps, logger: c.var.logger }, after);
        if (sent.retrying.length > 0 || sent.failed.length > 0) refundsNotSent.push(orderId);
      }
      await c.var.deps.jobs.notificationsQueued();
      const detail = (await getLotDetail(c.var.deps.db, lot.id))!;
      return c.json({ ...detail, recall: await recallOf(c.var.deps.db, lot.id), refundsNotSent }, 200);
    })
    .openapi(receiptPdfRoute, async (c) => {
      const { deps } = c.var;
      const lot = await loadLotFor(deps.db, c.var.staff!, c.req.valid("param").id, "read");
      const width = Number(c.req.valid("query").width) as 58 | 80;
      const view = await receiptData(deps.db, lot.id, lotLinks(deps.env));
      // Rendered before it is logged: a missing font (503) must not turn the next copy into a 补打.
      const original = await renderReceiptPdf(view, { reprint: null, width }, deps.env.RECEIPT_FONT_PATH);
      const print = await recordReceiptPrint(deps.db, {
        lotId: lot.id,
        format: "pdf",
        userId: c.var.staff!.id,
      });
      const pdf = print.reprint
        ? await renderReceiptPdf(view, { reprint: print.reprint, width }, deps.env.RECEIPT_FONT_PATH)
        : original;
      c.header("Content-Disposition", `inline; filename="receipt-${lot.lotNo}.pdf"`);
      c.header("Cache-Control", "private, no-store");
      return c.body(new Uint8Array(pdf), 200, { "Content-Type": "application/pdf" }) as never;
    })
    .openapi(receiptEscposRoute, async (c) => {
      const { deps } = c.var;
      const lot = await loadLotFor(deps.db, c.var.staff!, c.req.valid("param").id, "read");
      const width = Number(c.req.valid("query").width) as 58 | 80;
      const view = await receiptData(deps.db, lot.id, lotLinks(deps.env));
      const print = await recordReceiptPrint(deps.db, {
        lotId: lot.id,
        format: "escpos",
        userId: c.var.staff!.id,
      });
      const bytes = receiptEscpos(view, { reprint: print.reprint, width });
      c.header("Content-Disposition", `attachment; filename="receipt-${lot.lotNo}.bin"`);
      c.header("Cache-Control", "private, no-store");
      return c.body(bytes, 200, { "Content-Type": "application/octet-stream" }) as never;
    })
    .openapi(receiptShownRoute, async (c) => {
      const { deps } = c.var;
      const lot = await loadLotFor(deps.db, c.var.staff!, c.req.valid("param").id, "read");
      const print = await recordReceiptPrint(deps.db, {
        lotId: lot.id,
        format: "screen",
        userId: c.var.staff!.id,
      });
      return c.json(
        {
          id: print.id,
          at: print.at.toISOString(),
          publicUrl: lotLinks(deps.env).lotUrl(lot.id),
          paperPrints: print.earlierPaperPrints,
        },
        201,
      );
    })
    .openapi(traceRoute, async (c) => {
      const lot = await loadLotFor(c.var.deps.db, c.var.staff!, c.req.valid("param").id, "read");
      return c.json(await traceLot(c.var.deps.db, lot), 200);
    });
}
