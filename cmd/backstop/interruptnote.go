package main

// interruptNote is what command does on a first SIGINT, SIGTERM or SIGHUP, as
// interruptible says it: what the command really does, since the commands stop
// differently.
func interruptNote(command string) string {
	switch command {
	case "run", "sweep", "explore", "calibrate":
		return "finishing the chunks in flight, then stopping"
	case "merge":
		// A merge of 4 shards of 50,000 paths takes half a second, of a million paths one:
		// short, yet a scheduler's SIGTERM may give it less; it stops between steps.
		return "stopping the merge; the shards are not changed, and merging again finishes it" // a run or an exploration
	}
	// plot, verify, inspect and the rest do not stop half-way.
	return "this command does not stop half-way: finishing, then exiting"
}
