import { describe, expect, it } from 'vitest';
import { positionBetween, positionForMove } from './order';

const at = (...positions: number[]) => positions.map((position) => ({ position }));

describe('task order', () => {
  it('takes the midpoint between neighbours, or one step beyond the ends', () => {
    expect(positionBetween(1, 2)).toBe(1.5);
    expect(positionBetween(undefined, 4)).toBe(3);
    expect(positionBetween(4, undefined)).toBe(5);
    expect(positionBetween(undefined, undefined)).toBe(0);
  });

  it('moves a task up, down, to either end, and not at all', () => {
    const tasks = at(10, 20, 30, 40);
    expect(positionForMove(tasks, 2, 1)).toBe(15); // up one: between 10 and 20
    expect(positionForMove(tasks, 1, 2)).toBe(35); // down one: between 30 and 40
    expect(positionForMove(tasks, 3, 0)).toBe(9); // to the top
    expect(positionForMove(tasks, 0, 3)).toBe(41); // to the bottom
    expect(positionForMove(tasks, 0, -1)).toBeUndefined();
    expect(positionForMove(tasks, 3, 4)).toBeUndefined();
    expect(positionForMove(tasks, 2, 2)).toBeUndefined();
  });
});
