package sim

// MetricByName returns the metric whose column is called name (MetricInfo.Name), and
// false when no metric is: the one lookup of a metric by its name, for every name a
// user or another table gives (a precision target, an exploration's condition, a
// statistic to calibrate, the figures' columns). The match is exact: column names are
// snake_case and case counts.
func MetricByName(name string) (Metric, bool) {
	for m, info := range Metrics {
		if info.Name == name {
			return Metric(m), true
		}
	}
	return 0, false
}

// MetricNames returns the column names of ms in order (of every metric when ms is
// empty), as a message lists the names it allows.
func MetricNames(ms ...Metric) []string {
	if len(ms) == 0 {
		for m := range NumMetrics {
			ms = append(ms, Metric(m))
		}
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = Metrics[m].Name
	}
	return names
}
