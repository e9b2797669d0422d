// What every penetration check is written with: one reading of an answer, one way to reach a
// verdict, and the profile fields a check needs, found and typed.
export { answerKind, isAccepted, isRefused, isServerError, saysNothing, type AnswerKind, type RefusalReading } from './answer-kind.ts';
export {
  applicable,
  isNonEmpty,
  needsNothing,
  notApplicable,
  notGiven,
  profileNeeds,
  type Found,
  type NeedsOf,
  type NonEmpty,
  type ProfilePath,
} from './profile-needs.ts';
export { Inconclusive, noted, Verdicts } from './verdicts.ts';
