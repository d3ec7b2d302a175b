package runtime

import "io"

// SetSaveFaults makes Save wrap its temporary file's writer with wrap (when not nil) and ask
// fault before each later stage (when not nil), until the returned function undoes it.
func SetSaveFaults(wrap func(io.Writer) io.Writer, fault func(stage string) error) (undo func()) {
	oldWriter, oldFault := saveWriter, saveFault
	if wrap != nil {
		saveWriter = wrap
	}
	saveFault = fault
	return func() { saveWriter, saveFault = oldWriter, oldFault }
}

// DetLog is detLog, the logarithm FixedProbability uses.
var DetLog = detLog
