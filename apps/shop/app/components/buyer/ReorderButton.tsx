import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { reorderItemOf, reorderValue } from "../../lib/my-orders-reorder";

/** 再买一次: puts the order's goods in the cart and opens it. */
export function ReorderButton({
  items,
  formKey,
}: {
  /** The order's lines: each comes back in the sale unit and count it was bought in. */
  items: ReadonlyArray<Parameters<typeof reorderItemOf>[0]>;
  formKey: string;
}) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <Form method="post" action="/account/reorder" className="reorder-form">
      <input type="hidden" name="idempotencyKey" value={formKey} />
      {items.map((item) => {
        const value = reorderValue(reorderItemOf(item));
        return <input key={value} type="hidden" name="item" value={value} />;
      })}
      <button type="submit" className="button button-block button-big">
        {t("buyer.reorder")}
      </button>
    </Form>
  );
}
