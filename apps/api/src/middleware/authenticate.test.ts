import { describe, expect, it } from "vitest";
import type { StaffPrincipal } from "../lib/context";
import { assertServicePointAccess } from "./authenticate";

const staff = (role: StaffPrincipal["role"], servicePointId: string | null = null): StaffPrincipal => ({
  id: `usr_${role}`,
  coopId: "coop_x",
  login: role,
  displayName: role,
  role,
  servicePointId,
  sessionId: "ses_x",
  mustChangePassword: false,
});

describe("service-point scope", () => {
  it("lets an admin act at any point", () => {
    expect(() => assertServicePointAccess(staff("admin"), "loc_a")).not.toThrow();
  });

  it("lets an agent act only at their own point", () => {
    expect(() => assertServicePointAccess(staff("agent", "loc_a"), "loc_a")).not.toThrow();
    expect(() => assertServicePointAccess(staff("agent", "loc_a"), "loc_b")).toThrow(
      expect.objectContaining({ code: "FORBIDDEN", status: 403 }),
    );
  });

  it("keeps warehouse staff out of service-point data unless the route allows them", () => {
    expect(() => assertServicePointAccess(staff("warehouse"), "loc_a")).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
    expect(() =>
      assertServicePointAccess(staff("warehouse"), "loc_a", { allowWarehouse: true }),
    ).not.toThrow();
  });
});
