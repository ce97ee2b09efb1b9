/** Moved to components/metric-chart (shared with the dashboards); kept here for the explorer's imports. */
export { seriesLabel, unitLabel } from '../../components/metric-chart/series-label';
