import type { LotTrace } from "@coop/shared/contract";
import type { z } from "zod";

type Member = z.infer<typeof LotTrace>["family"][number];
export type FamilyRow = Member & { depth: number; asked: boolean; parentLotNo: string | null };

/**
 * The lots of one intake as a tree to read top-down: each split-off lot right under the lot it came from,
 * with the lot staff asked for marked (after a recall, the one the recall was asked for).
 */
export function familyRows(family: Member[], askedLotId: string): FamilyRow[] {
  const ids = new Set(family.map((m) => m.lotId));
  const roots = family.filter((m) => !m.parentLotId || !ids.has(m.parentLotId));
  const rows: FamilyRow[] = [];
  const visit = (member: Member, depth: number) => {
    if (rows.some((r) => r.lotId === member.lotId)) return;
    const parent = family.find((m) => m.lotId === member.parentLotId);
    rows.push({ ...member, depth, asked: member.lotId === askedLotId, parentLotNo: parent?.lotNo ?? null });
    for (const child of family.filter((m) => m.parentLotId === member.lotId)) visit(child, depth + 1);
  };
  for (const root of roots) visit(root, 0);
  return rows;
}
