// Package moments defines the named statistics of a scenario once, for every consumer:
// the calibration (backstop calibrate), the scenario tests of configs/ and any tool that
// evaluates a scenario on common random numbers and needs summary statistics only.
//
// A named statistic is policy.path_stat.summary, e.g. none.peak_basis_bp.mean or
// qe.net_sales_10d_bn.p50: the summary (mean, or pNN, the NN-th percentile) across paths
// of a per-path statistic under one policy. A per-path statistic is either a metric of
// docs/model.md section 7 (the columns of paths/*.parquet, sim.Metrics) or one of the scenario
// statistics of docs/calibration.md, computed from the path's day-by-day trace
// (ScenarioStats). Evaluate simulates a scenario and returns every statistic's per-path
// values, through evaluate.Paths, the evaluation loop package explore's evaluations use too; Summarize turns them into estimates with Monte Carlo intervals and per-path
// influence contributions (the moment covariance of the method of simulated moments).
package moments
