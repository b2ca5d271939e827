import type { RatingFollowUpStatus } from "@coop/shared";
import {
  RatingFollowUp,
  RatingFollowUpList,
  RatingGiven,
  RatingRequestView,
  type SubmitRating,
} from "@coop/shared/contract";
import type { ApiCall } from "./staff-api.server";

export type { RatingFollowUp, RatingRequestView };

const path = (part: string) => encodeURIComponent(part);

/**
 * Ratings (decision 0046): the public page of a rating link (no login: the signed token is the key) and the
 * follow-ups of low ratings in the staff console.
 */
export function ratingsApi(call: ApiCall) {
  return {
    /** What the link is about; throws the API's RATING_LINK_INVALID / _EXPIRED / RATING_ALREADY_GIVEN. */
    ratingRequest(token: string) {
      return call(`/v1/ratings/${path(token)}`, RatingRequestView);
    },
    giveRating(token: string, rating: SubmitRating) {
      return call(`/v1/ratings/${path(token)}`, RatingGiven, { method: "POST", body: rating });
    },
    ratingFollowUps(token: string, query: { status?: RatingFollowUpStatus | undefined }) {
      return call("/v1/admin/rating-follow-ups", RatingFollowUpList, { token, query });
    },
    closeRatingFollowUp(token: string, id: string, note: string, key?: string) {
      return call(`/v1/admin/rating-follow-ups/${path(id)}/close`, RatingFollowUp, {
        method: "POST",
        token,
        body: { note },
        headers: key ? { "idempotency-key": key } : undefined,
      });
    },
  };
}
