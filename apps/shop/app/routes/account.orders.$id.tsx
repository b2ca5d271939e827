import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BuyerOrderSummary } from "../components/buyer/BuyerOrderSummary";
import { ReorderButton } from "../components/buyer/ReorderButton";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { forgetBuyer, readBuyer } from "../lib/buyer-session.server";
import { apiFailure, getApi } from "../lib/context.server";
import { newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { shortOrderId } from "../lib/orders";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/** One order of the signed-in buyer's phone, placed on whichever device (decision 0029). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const buyer = await readBuyer(request);
  if (!buyer) throw redirect("/account/sign-in");
  const t = await getT(request);
  try {
    const order = await getApi(context, request).buyerOrder(buyer.token, params.id ?? "");
    return {
      title: `${t("order.title")} ${shortOrderId(order.id)}`,
      order,
      reorderKey: newFormKey(),
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      // The session ended (expired, or signed out on another phone): sign in again.
      throw redirect("/account/sign-in", { headers: { "Set-Cookie": await forgetBuyer(request) } });
    }
    if (error instanceof ApiError && error.status === 404) throw data(null, { status: 404 });
    return apiFailure(error);
  }
}

export default function AccountOrder() {
  const { order, reorderKey } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <BuyerOrderSummary order={order} />
      <ReorderButton items={order.items} formKey={reorderKey} />
      <p>
        <Link to="/orders">{t("buyer.backToOrders")}</Link>
      </p>
    </>
  );
}
