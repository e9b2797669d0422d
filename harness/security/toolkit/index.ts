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
export { Inconclusive, NotApplicable, noted, Verdicts } from './verdicts.ts';
export { OobListener, type Arrival, type ArrivedRequest, type OobAnswer } from './oob-listener.ts';
export { credentialIn, logIn, loginBody, loginPath, loginRefused, loginRequest, tokenFieldOf, userName, type LoginRequest } from './profile-login.ts';
export { BEARER, cookieSet, credentialPlacement, placeCredential, placementName } from './credential.ts';
export { probeAnswer, type ProbeAnswer } from './probe-answer.ts';
export { firstStringAt, objectWith, valueAt } from './dot-path.ts';
export { createdId, idPlaces } from './created-id.ts';
export { expandTemplate, type ExpandedRequest, type TemplateValues } from './expand-template.ts';
export { sendTemplate, type Reply, type SendOptions, type TemplateReply } from './send-template.ts';
