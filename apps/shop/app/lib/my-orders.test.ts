import { describe, expect, it } from "vitest";
import {
  decodeRememberedOrders,
  encodeRememberedOrders,
  forgetOrders,
  MAX_REMEMBERED_ORDERS,
  rememberOrder,
  tokenFor,
} from "./my-orders";

const token = (c: string) => `oat_${c.repeat(43)}`;

describe("orders remembered on this phone", () => {
  it("put the newest first, once, and forget the oldest beyond the limit", () => {
    let list = rememberOrder([], { id: "ord_a", token: token("a") });
    list = rememberOrder(list, { id: "ord_b", token: token("b") });
    list = rememberOrder(list, { id: "ord_a", token: token("a") });
    expect(list.map((order) => order.id)).toEqual(["ord_a", "ord_b"]);
    for (let i = 0; i < MAX_REMEMBERED_ORDERS + 3; i++)
      list = rememberOrder(list, { id: `ord_${i}`, token: token("c") });
    expect(list).toHaveLength(MAX_REMEMBERED_ORDERS);
    expect(list[0]?.id).toBe(`ord_${MAX_REMEMBERED_ORDERS + 2}`);
  });

  it("find an order's token and forget orders the API no longer knows", () => {
    const list = [
      { id: "ord_a", token: token("a") },
      { id: "ord_b", token: token("b") },
    ];
    expect(tokenFor(list, "ord_b")).toBe(token("b"));
    expect(tokenFor(list, "ord_x")).toBeNull();
    expect(forgetOrders(list, ["ord_a"])).toEqual([{ id: "ord_b", token: token("b") }]);
  });

  it("decode only order ids with buyer tokens (never a staff token), each once", () => {
    const list = [
      { id: "ord_a", token: token("a") },
      { id: "ord_b", token: token("b") },
    ];
    expect(decodeRememberedOrders(encodeRememberedOrders(list))).toEqual(list);
    expect(
      decodeRememberedOrders([
        ["ord_a", token("a")],
        ["ord_a", token("b")],
        ["ord_c", "staff-session-token-0123456789"],
        ["bad id!", token("d")],
        "nonsense",
      ]),
    ).toEqual([{ id: "ord_a", token: token("a") }]);
    expect(decodeRememberedOrders(null)).toEqual([]);
  });
});
