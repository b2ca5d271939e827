import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { reorderValue } from "../../lib/my-orders-reorder";

/** 再买一次: puts the order's goods in the cart and opens it. */
export function ReorderButton({
  items,
  formKey,
}: {
  items: ReadonlyArray<{ productId: string; quantity: number }>;
  formKey: string;
}) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <Form method="post" action="/account/reorder" className="reorder-form">
      <input type="hidden" name="idempotencyKey" value={formKey} />
      {items.map((item) => (
        <input key={item.productId} type="hidden" name="item" value={reorderValue(item)} />
      ))}
      <button type="submit" className="button button-block button-big">
        {t("buyer.reorder")}
      </button>
    </Form>
  );
}
