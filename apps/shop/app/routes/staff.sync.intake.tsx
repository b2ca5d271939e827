import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { type ForwardedAnswer, forwardToApi } from "../lib/offline/forward.server";
import { MAX_PHOTO_BYTES } from "../lib/photos";
import { getStaffSession } from "../lib/session.server";

/**
 * The phone's sender posts each queued command here (docs/decisions/0022). The shop adds the staff session's
 * API token and the command's Idempotency-Key, calls the API once, and answers `{ status, body, retryAfter }`
 * with the API's own status and body: the phone decides (sent, try later, log in again, refused).
 */

const Key = z.string().regex(/^[A-Za-z0-9_.:-]{8,200}$/);
const JsonCommand = z.discriminatedUnion("op", [
  z.object({ op: z.literal("registerDevice"), key: Key, body: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal("registerVillager"), key: Key, body: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal("createLot"), key: Key, body: z.record(z.string(), z.unknown()) }),
]);

/** A queued lot photo: multipart, the command's key, the lot the phone created, and the picture. */
const PhotoCommand = z.object({
  key: Key,
  lotId: z.string().regex(/^lot_[0-9a-z]+$/),
  photo: z.instanceof(File),
});

const PATHS = {
  registerDevice: "/v1/intake-devices",
  registerVillager: "/v1/consignors",
  createLot: "/v1/lots",
} as const;

const answer = (value: ForwardedAnswer) => Response.json(value, { headers: { "Cache-Control": "no-store" } });

const refusal = (status: number, code: string, message: string) =>
  answer({ status, body: { error: { code, message } }, retryAfter: null });

export async function action({ request, context }: ActionFunctionArgs) {
  const token = (await getStaffSession(request)).get("token");
  if (!token) return refusal(401, "UNAUTHENTICATED", "log in again");

  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    const form = await request.formData().catch(() => null);
    const parsed = PhotoCommand.safeParse(form ? Object.fromEntries(form.entries()) : null);
    if (!parsed.success) {
      return refusal(400, "VALIDATION_FAILED", "a photo upload needs key, lotId and photo");
    }
    const { key, lotId, photo } = parsed.data;
    if (photo.size > MAX_PHOTO_BYTES) return refusal(413, "PAYLOAD_TOO_LARGE", "photo larger than 5 MB");
    const upload = new FormData();
    upload.set("photo", photo, photo.name || "photo");
    return answer(
      await forwardToApi(context, request, {
        path: `/v1/lots/${encodeURIComponent(lotId)}/photos`,
        token,
        key,
        form: upload,
      }),
    );
  }

  const parsed = JsonCommand.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return refusal(400, "VALIDATION_FAILED", "not a command the shop knows");
  const { op, key, body } = parsed.data;
  return answer(await forwardToApi(context, request, { path: PATHS[op], token, key, json: body }));
}
