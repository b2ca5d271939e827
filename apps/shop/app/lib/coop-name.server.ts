import type { LocalizedText } from "@coop/shared/contract";
import type { ApiClient } from "./api.server";

/** The co-op's name for a printed slip, or null (the slip then shows the shop's name). */
export async function coopName(api: ApiClient, token: string): Promise<LocalizedText | null> {
  return api
    .getCoop(token)
    .then((coop) => coop.name)
    .catch(() => null);
}
