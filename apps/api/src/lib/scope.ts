import type { StaffPrincipal } from "./context";
import { ApiError } from "./errors";

/** The service points whose villagers and lots a staff member may list: an agent's own, or every one. */
export function visibleServicePoints(staff: StaffPrincipal, requested?: string): string[] | "all" {
  if (staff.role === "agent") {
    if (requested && requested !== staff.servicePointId) {
      throw new ApiError("FORBIDDEN", "This belongs to another service point.");
    }
    return [staff.servicePointId!];
  }
  return requested ? [requested] : "all";
}
