// What each offline-autonomy chaos scenario reports: pods recovered out of the total, restarts
// the disruption caused, seconds until the fleet was back. Printed as the suite runs and
// gathered into one table at the end, so a CI log answers "what did the chaos cost".
export interface ChaosOutcome {
  scenario: string;
  recovered: number;
  total: number;
  restartsCaused: number;
  secondsToRecover: number;
}

const outcomes: ChaosOutcome[] = [];

export function reportChaos(outcome: ChaosOutcome): void {
  outcomes.push(outcome);
  console.log(
    `      chaos: ${outcome.scenario}: pods ${outcome.recovered}/${outcome.total} recovered, ` +
      `${outcome.restartsCaused} restart(s) caused, ${outcome.secondsToRecover.toFixed(1)} s to recover`,
  );
}

export function chaosOutcomes(): readonly ChaosOutcome[] {
  return outcomes;
}
