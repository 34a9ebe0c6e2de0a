// status.completedIndexes of an Indexed Job: increasing decimal indexes separated by commas,
// three or more consecutive ones compressed to `first-last` ("1,3-5,7", JobStatus API docs).

export function parseIndexes(text: string | undefined): number[] {
  const indexes = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const [first, last] = part.split('-').map((n) => Number.parseInt(n, 10));
    if (first === undefined || Number.isNaN(first)) continue;
    const end = last === undefined || Number.isNaN(last) ? first : last;
    for (let i = first; i <= end; i++) indexes.add(i);
  }
  return [...indexes].sort((a, b) => a - b);
}

export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const run = j - i + 1;
    if (run >= 3) parts.push(`${sorted[i]}-${sorted[j]}`);
    else parts.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return parts.join(',');
}
