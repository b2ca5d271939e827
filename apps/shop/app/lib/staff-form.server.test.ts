import { CreateStaff, ResetPassword, UpdateCoopSettings, UpdateWarehouse } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, ApiUnavailableError } from "./api.server";
import {
  apiErrorToReply,
  apiFields,
  checkbox,
  clearable,
  formToContract,
  issueProblem,
  nameBoxes,
  parseStaffForm,
  percentAsBps,
  staffReply,
  withName,
  yuanAsFen,
} from "./staff-form.server";

function form(fields: Record<string, string | string[]>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return body;
}

/** The status and body of what an action returned with data(). */
function unwrap(result: unknown) {
  const value = result as { data: Record<string, any>; init: ResponseInit | null };
  return { status: value.init?.status, body: value.data };
}

const refused = (status: number, code: string, fields: Array<{ path: string; message: string }> = []) =>
  new ApiError(status, code as never, "refused", "req_1", fields);

describe("parseStaffForm: the contract's schema, errors as catalog keys", () => {
  const schema = CreateStaff.pick({ role: true, login: true, password: true, displayName: true });

  it("gives the parsed value, empty optional fields left out", () => {
    const submission = parseStaffForm(
      form({ role: "agent", login: "liu", password: "longenough", displayName: "" }),
      schema,
    );
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({ role: "agent", login: "liu", password: "longenough" });
  });

  it("calls a missing or blank field required, any other break the form's key for it or invalid", () => {
    const submission = parseStaffForm(
      form({ role: "boss", login: "   ", password: "x".repeat(201) }),
      schema,
      { password: "password" },
    );
    expect(submission.status).toBe("error");
    expect(submission.status === "error" ? submission.error : null).toEqual({
      role: ["invalid"],
      login: ["required"],
      password: ["password"],
    });
  });

  it("keeps a schema's own catalog key, and names nested fields as the form does", () => {
    expect(issueProblem({ message: "money", path: ["price"] }, { price: "invalid" })).toBe("money");
    expect(
      issueProblem({ message: "Too small", path: ["items", 0, "quantity"] }, { items: "quantity" }),
    ).toBe("quantity");
    expect(
      issueProblem(
        { message: "Too small", path: ["items", 0, "quantity"] },
        { "items[0].quantity": "money" },
      ),
    ).toBe("money");
    const nested = parseStaffForm(
      form({ "items[0].quantity": "0" }),
      z.object({ items: z.array(z.object({ quantity: z.number().positive() })) }),
    );
    expect(nested.status === "error" ? nested.error : null).toEqual({ "items[0].quantity": ["invalid"] });
  });

  it("reads percent as basis points and yuan as fen, the range checked by the contract", () => {
    const bps = UpdateCoopSettings.shape.defaultCommissionBps.unwrap();
    const fen = UpdateCoopSettings.shape.deliveryFeeFen.unwrap();
    const schema = z.object({ percent: percentAsBps(bps), fee: yuanAsFen(fen), open: checkbox });
    const ok = parseStaffForm(form({ percent: "12.5", fee: "8.50", open: "on" }), schema);
    expect(ok.status === "success" ? ok.value : null).toEqual({ percent: 1250, fee: 850, open: true });
    const unticked = parseStaffForm(form({ percent: "0", fee: "0" }), schema);
    expect(unticked.status === "success" ? unticked.value : null).toEqual({
      percent: 0,
      fee: 0,
      open: false,
    });
    const bad = parseStaffForm(form({ percent: "abc", fee: "12.345" }), schema);
    expect(bad.status === "error" ? bad.error : null).toEqual({ percent: ["percent"], fee: ["money"] });
    const tooMuch = parseStaffForm(form({ percent: "100", fee: "999999" }), schema, { fee: "money" });
    expect(tooMuch.status === "error" ? tooMuch.error : null).toEqual({ fee: ["money"] });
  });
});

describe("edit forms: names in two boxes, optional text an empty box clears", () => {
  const schema = z
    .object({
      ...nameBoxes(UpdateWarehouse.shape.name.unwrap()),
      address: clearable(UpdateWarehouse.shape.address),
      phone: UpdateWarehouse.shape.phone,
    })
    .transform(withName);

  it('sends the name as the contract\'s { zh, en } and an emptied address as "" (cleared), not left out', () => {
    const submission = parseStaffForm(
      form({ nameZh: "中心仓库", nameEn: "Hub", address: "", phone: "" }),
      schema,
    );
    expect(submission.status === "success" ? submission.value : null).toEqual({
      name: { zh: "中心仓库", en: "Hub" },
      address: "",
    });
  });

  it("maps boxes into the contract's shape, the contract checking the result, its errors beside the boxes", () => {
    const contract = UpdateWarehouse.required({ name: true });
    const flat = formToContract(
      z.object({ nameZh: z.string(), nameEn: z.string(), address: z.string().default("") }),
      ({ nameZh, nameEn, address }) => ({ name: { zh: nameZh, en: nameEn }, address }),
      contract,
    );
    const paths = { "name.zh": "nameZh", "name.en": "nameEn" };
    const ok = parseStaffForm(form({ nameZh: "中心仓库", nameEn: "Hub", address: "" }), flat, {}, paths);
    // The contract sees "" as the mapping made it (a cleared address), not stripped to nothing.
    expect(ok.status === "success" ? ok.value : null).toEqual({
      name: { zh: "中心仓库", en: "Hub" },
      address: "",
    });
    const long = parseStaffForm(form({ nameZh: "仓", nameEn: "x".repeat(81) }), flat, {}, paths);
    expect(long.status === "error" ? long.error : null).toEqual({ nameEn: ["invalid"] });
  });

  it("finds the API's name paths again in the boxes", () => {
    const error = refused(400, "VALIDATION_FAILED", [
      { path: "name.en", message: "too long" },
      { path: "address", message: "too long" },
    ]);
    expect(apiErrorToReply(error, apiFields(["address"])).fields).toEqual({
      nameEn: "invalid",
      address: "invalid",
    });
  });
});

describe("apiErrorToReply: what the API refused, for the form", () => {
  it("marks the fields the API named, through a table, a list or a function", () => {
    const error = refused(400, "VALIDATION_FAILED", [
      { path: "name.en", message: "too long" },
      { path: "login", message: "bad" },
      { path: "somethingElse", message: "bad" },
    ]);
    expect(apiErrorToReply(error, { "name.en": "nameEn" })).toEqual({
      problem: "checkFields",
      status: 400,
      fields: { nameEn: "invalid" },
    });
    expect(apiErrorToReply(error, ["login"]).fields).toEqual({ login: "invalid" });
    expect(apiErrorToReply(error, (path) => (path.startsWith("name") ? "name" : null)).fields).toEqual({
      name: "invalid",
    });
    expect(apiErrorToReply(error).fields).toEqual({});
  });

  it.each([
    [new ApiUnavailableError("down"), "unavailable", 503],
    [refused(401, "UNAUTHENTICATED"), "loggedOut", 401],
    [refused(403, "FORBIDDEN"), "forbidden", 403],
    [refused(404, "NOT_FOUND"), "notFound", 404],
    [refused(409, "IDEMPOTENCY_IN_PROGRESS"), "inProgress", 409],
    [refused(409, "INVALID_STATE"), "invalidState", 409],
    [refused(429, "RATE_LIMITED"), "rateLimited", 429],
  ] as const)("answers %s with the %s sentence and %i", (error, problem, status) => {
    expect(apiErrorToReply(error)).toEqual({ problem, status });
  });

  it("throws what it does not know: a bug is not a form problem", () => {
    const bug = new TypeError("x is undefined");
    expect(() => apiErrorToReply(bug)).toThrow(bug);
    expect(() => apiErrorToReply(refused(409, "ALREADY_EXISTS"))).toThrow(ApiError);
  });
});

describe("staffReply: the answer to a refused form", () => {
  const schema = ResetPassword.extend({ displayName: z.string().max(5) });

  it("carries a NEW idempotency key, the fields by key, and what was typed without the password", () => {
    const sent = form({ idempotencyKey: "shop-old-key-123", password: "short", displayName: "王主任" });
    const submission = parseStaffForm(sent, schema, { password: "password" });
    const { status, body } = unwrap(staffReply(submission));
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.problem).toBe("checkFields");
    expect(body.fields).toEqual({ password: "password" });
    expect(body.idempotencyKey).toMatch(/^shop-/);
    expect(body.idempotencyKey).not.toBe("shop-old-key-123");
    expect(body.result.error).toEqual({ password: ["password"] });
    expect(body.result.initialValue).toEqual({ displayName: "王主任" });
  });

  it("adds the API's field problems, its status and a screen's own extra", () => {
    const submission = parseStaffForm(form({ password: "longenough", displayName: "王" }), schema);
    const problem = apiErrorToReply(
      refused(400, "VALIDATION_FAILED", [{ path: "displayName", message: "x" }]),
      ["displayName"],
    );
    const { status, body } = unwrap(
      staffReply(submission, { ...problem, status: 409 }, { ownAccount: true }),
    );
    expect(status).toBe(409);
    expect(body).toMatchObject({
      problem: "checkFields",
      fields: { displayName: "invalid" },
      ownAccount: true,
    });
    expect(body.result.error).toEqual({ displayName: ["invalid"] });
  });
});
