package results

// Files lists what backstop wrote into the run directory m describes, relative to it: its
// chunks' parts and checkpoints, the other outputs it records, a whole run's fixed outputs
// and the manifest. --force of a sweep (or exploration) holding this run removes exactly
// these, and nothing else.
func (m *Manifest) Files() []string {
	var files []string
	for _, e := range m.Index {
		files = append(files, e.Part, e.Checkpoint)
	}
	files = append(files, m.Parts...)
	files = append(files, m.Outputs...)
	if m.Shard == nil {
		files = append(files, BandsFile, SummaryFile, EffectsFile, TailsFile, ConvergenceFile, ReportFile)
	}
	return append(files, ManifestFile)
}
