import { randomUUID } from "node:crypto";
import { truncateText } from "@coop/shared";

/**
 * A fresh Idempotency-Key for one form: the form carries it as a hidden field, so a double tap or a
 * browser retry on a bad connection sends the same key and the API creates nothing twice.
 */
export function newFormKey(): string {
  return `shop-${randomUUID()}`;
}

/** A form's key, or a new one when the form sent none (an old page, a hand-made request). */
export function formKey(form: FormData): string {
  const key = form.get("idempotencyKey");
  return typeof key === "string" && /^[A-Za-z0-9_.:-]{8,200}$/.test(key) ? key : newFormKey();
}

/**
 * A text field of a form, trimmed and cut to `max` UTF-16 units (the API's own count) without halving an
 * emoji: a half emoji is a lone surrogate, which the API refuses; "" when absent.
 */
export function text(form: FormData, name: string, max = 500): string {
  const value = form.get(name);
  return typeof value === "string" ? truncateText(value.trim(), max) : "";
}
