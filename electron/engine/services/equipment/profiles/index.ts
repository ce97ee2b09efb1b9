/**
 * MIB profiles as data: the schema (for the configuration's user-defined profiles), the loader of
 * the built-ins, the planner, the pure evaluator and the walker that runs profiles on an agent.
 */
export {
  AGGREGATE_FUNCTIONS,
  KNOWN_UNITS,
  METRIC_TYPES,
  MIB_PROFILE_FORMAT,
  mibProfileSchema,
  oidSchema,
  profileIdSchema,
  type MibProfile,
  type MibProfileInput,
} from './mib-profile-schema';
export {
  builtInProfilesDir,
  combineProfiles,
  formatProfileIssues,
  loadMibProfiles,
  MibProfileError,
  parseMibProfileText,
  type ProfileIssue,
} from './load-profiles';
export { planProfiles, type SnmpPlan } from './plan-profiles';
export {
  EMPTY_PROFILE_STATE,
  evaluateProfile,
  SYS_UPTIME_OID,
  type ProfileCondition,
  type ProfileEvaluation,
  type ProfileEvent,
  type ProfileReading,
  type ProfileResult,
  type ProfileState,
  type ReadingReason,
  type ReadingReasonCode,
  type RequestFailure,
  type SnmpSnapshot,
  type TableSummary,
  type ThresholdName,
} from './evaluate-profile';
export { walkProfiles, type WalkOptions, type WalkOutcome } from './walk-profiles';
