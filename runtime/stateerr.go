package runtime

import "errors"

// A StateCode says why a state file cannot be loaded: a short, stable identifier, as the codes
// of spec errors are (docs/errors.md lists both). Messages say what is wrong in words that may
// change; codes do not, so that programs and tests can tell the kinds apart.
type StateCode string

// The kinds of StateError.
const (
	// Unreadable: not a readable NPZ (zip) file: truncated, damaged, or another kind of file.
	Unreadable StateCode = "unreadable"
	// NotAStateFile: a readable NPZ file that is not a neurogen state file (no metadata, or
	// metadata of another format).
	NotAStateFile StateCode = "not-a-state-file"
	// UnsupportedStateVersion: a state file of a format version or runtime API version that
	// this runtime does not read.
	UnsupportedStateVersion StateCode = "unsupported-version"
	// Corrupted: a file whose contents disagree with themselves: a checksum or SHA-256 that
	// does not match, truncated data, arrays other than the metadata lists.
	Corrupted StateCode = "corrupted"
	// SimMismatch: a sound file of another Sim: other groups, models, layouts, sizes or
	// methods, other delay lines or user states, arrays the Sim's state does not have.
	SimMismatch StateCode = "sim-mismatch"
	// ClockMismatch: a clock that does not fit the Sim's or itself: another dt, a t that is not
	// step·dt, a group's time or spike time off the clock.
	ClockMismatch StateCode = "clock-mismatch"
	// InvalidValue: a value that cannot be: NaN where it must be finite, a gate outside 0 to 1,
	// a delay line pushed more often than the clock stepped, a parameter its group refuses.
	InvalidValue StateCode = "invalid-value"
	// ConnectivityMismatch: a state of a network whose projections had other connectivity (its
	// hash differs: other seeds, rules, sizes, weights or delays), which a run must not resume on.
	ConnectivityMismatch StateCode = "connectivity-mismatch"
)

// A StateError is why a state file cannot be loaded (Sim.Load, Sim.ReadState and
// ReadStateInfo return one, wrapped with the file's name): Code says which kind of problem,
// Err says it.
type StateError struct {
	Code StateCode
	Err  error
}

func (e *StateError) Error() string { return e.Err.Error() }

func (e *StateError) Unwrap() error { return e.Err }

// stateErr returns err as a StateError with code, or err itself if it is nil or already holds
// a StateError (whose code, set where the problem was found, is the more precise).
func stateErr(code StateCode, err error) error {
	var se *StateError
	if err == nil || errors.As(err, &se) {
		return err
	}
	return &StateError{Code: code, Err: err}
}
