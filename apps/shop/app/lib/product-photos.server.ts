import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { ApiError } from "./api.server";
import type { getApi } from "./context.server";
import { formKey, text } from "./forms.server";
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from "./photos";

export type PhotoProblem =
  | "required"
  | "photoType"
  | "photoTooLarge"
  | "altBoth"
  | "limit"
  | "stale"
  | "problem";

export const PHOTO_INTENTS = ["photoMain", "photoRemove"] as const;

/** Shaped like the product form's answer (no problem, no fields of its own), so the page reads one type. */
function answer(photoProblem: PhotoProblem | null, status = 200) {
  return data(
    { ok: false as const, problem: null, fields: {}, photoProblem, photoSaved: photoProblem === null },
    { status },
  );
}

/** The API's refusals as what the photo form says. */
function problemOf(error: unknown): { problem: PhotoProblem; status: number } {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 413) return { problem: "photoTooLarge", status: 413 };
  if (error.status === 415) return { problem: "photoType", status: 415 };
  if (error.code === "IDEMPOTENCY_KEY_REUSED") return { problem: "problem", status: 409 };
  if (error.status === 409) {
    return { problem: error.fields.some((f) => f.path === "photoIds") ? "stale" : "limit", status: 409 };
  }
  if (error.status === 400) return { problem: "problem", status: 400 };
  throw error;
}

/** Whether a request to the product page is a photo upload (the only multipart form on it). */
export function isPhotoUpload(request: Request) {
  return request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
}

/** An admin's photo upload from the product page: the file checked here first, then sent to the API. */
export async function uploadPhotoAction(
  api: ReturnType<typeof getApi>,
  token: string,
  productId: string,
  request: Request,
) {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return answer("photoTooLarge", 413);
    throw error;
  }
  const photo = form.get("photo");
  if (!(photo instanceof File) || photo.size === 0) return answer("required", 400);
  if (!PHOTO_TYPES.includes(photo.type)) return answer("photoType", 415);
  const altZh = text(form, "altZh", 200);
  const altEn = text(form, "altEn", 300);
  if (Boolean(altZh) !== Boolean(altEn)) return answer("altBoth", 400);
  try {
    await api.uploadProductPhoto(
      token,
      productId,
      photo,
      altZh && altEn ? { zh: altZh, en: altEn } : null,
      formKey(form),
    );
  } catch (error) {
    const { problem, status } = problemOf(error);
    return answer(problem, status);
  }
  return answer(null);
}

/** Make a photo the main one (it goes first, the rest keep their order), or remove one. */
export async function photoAction(
  api: ReturnType<typeof getApi>,
  token: string,
  productId: string,
  form: FormData,
) {
  const photoId = text(form, "photoId", 64);
  try {
    if (text(form, "intent", 20) === "photoRemove") {
      await api.removeProductPhoto(token, productId, photoId);
    } else {
      const order = text(form, "photoOrder", 1000).split(",").filter(Boolean);
      await api.orderProductPhotos(token, productId, [photoId, ...order.filter((id) => id !== photoId)]);
    }
  } catch (error) {
    const { problem, status } = problemOf(error);
    return answer(problem, status);
  }
  return answer(null);
}
