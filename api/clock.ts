// Time as a seam: controllers, the API server and the agent take a Clock so tests can use a fake.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
