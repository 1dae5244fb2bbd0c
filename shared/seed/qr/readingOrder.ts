import type { FoundQr, ImageHeader, Point } from './types';

/**
 * Where a stored pixel shows once the EXIF orientation is applied (2, 4, 5, 7 mirror; 6 turns 90°
 * clockwise, 8 counter-clockwise). Decoders see stored pixels; people read the displayed picture.
 *
 * @param point - in stored-pixel coordinates
 * @param header - the picture's size and orientation
 * @example
 * toDisplay({ x: 0, y: 0 }, { format: 'jpeg', width: 40, height: 30, orientation: 6 }); // { x: 30, y: 0 }
 */
function toDisplay(point: Point, header: ImageHeader): Point {
  const { x, y } = point;
  const { width: w, height: h } = header;
  switch (header.orientation) {
    case 2: return { x: w - x, y };
    case 3: return { x: w - x, y: h - y };
    case 4: return { x, y: h - y };
    case 5: return { x: y, y: x };
    case 6: return { x: h - y, y: x };
    case 7: return { x: h - y, y: w - x };
    case 8: return { x: y, y: w - x };
    default: return { x, y };
  }
}

/**
 * Sorts codes as a person reads the displayed picture: rows top to bottom, each left to right. Two codes
 * share a row when their centres are less than half a code's height apart vertically.
 *
 * @param found - codes from one picture, in any order
 * @param header - the picture's size and orientation
 * @example
 * inReadingOrder([right, left], header); // [left, right]
 */
export function inReadingOrder<T extends FoundQr>(found: readonly T[], header: ImageHeader): T[] {
  const boxes = found
    .map((item) => {
      const shown = item.corners.map((corner) => toDisplay(corner, header));
      const xs = shown.map((p) => p.x);
      const ys = shown.map((p) => p.y);
      const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
      return { item, x: mean(xs), y: mean(ys), height: Math.max(...ys) - Math.min(...ys) };
    })
    .sort((a, b) => a.y - b.y);
  const rows: (typeof boxes)[] = [];
  for (const box of boxes) {
    const row = rows.at(-1);
    if (row && box.y - row[0].y < Math.max(row[0].height, box.height) / 2) row.push(box);
    else rows.push([box]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.x - b.x).map((box) => box.item));
}
