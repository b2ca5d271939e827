import { partOfLineFen } from "@coop/shared";

interface LineCounts {
  quantity: number;
  unitSize: number;
  lineTotalFen: number;
}

export interface LinePart {
  /** Base units. */
  quantity: number;
  /** Sale units it still counts as (a part of a unit counts as one: ⌈quantity / size⌉). */
  units: number;
  lineTotalFen: number;
}

/**
 * Splits an order line into the first `quantity` base units and the rest, with the line's money split by the
 * largest-remainder rule (docs/SETTLEMENT.md), so the two parts add up to the line to the fen. For a line of
 * size 1 each part costs its units × the unit price, exactly as before sale units.
 */
export function splitLine(line: LineCounts, quantity: number): [LinePart, LinePart] {
  const firstFen = partOfLineFen(line.lineTotalFen, line.quantity, quantity);
  const rest = line.quantity - quantity;
  return [
    { quantity, units: Math.ceil(quantity / line.unitSize), lineTotalFen: firstFen },
    { quantity: rest, units: Math.ceil(rest / line.unitSize), lineTotalFen: line.lineTotalFen - firstFen },
  ];
}
