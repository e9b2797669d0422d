// What every penetration check is written with: one reading of an answer, one way to reach a verdict.
export { answerKind, isAccepted, isRefused, isServerError, saysNothing, type AnswerKind, type RefusalReading } from './answer-kind.ts';
export { missingFields } from './profile-fields.ts';
export { Inconclusive, noted, Verdicts } from './verdicts.ts';
