/** Moved to components/ (shared with the dashboards); kept here for the explorer's imports. */
export { ApiErrorNotice } from '../../components/api-error-notice';
