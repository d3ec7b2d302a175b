package modelrun

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/runtime"
)

// MemoryPlan is what a run's memory depends on before anything is built: the model's
// per-neuron arrays, the settings that hold one value per neuron, and the recording.
type MemoryPlan struct {
	Vars            int // the model's state variables, V included
	PerNeuronParams int // the model's per-neuron parameters
	FileSettings    int // the settings of one value per neuron (@FILE)
	// Record returns the bytes of the recording for a group of n neurons (runtime.MonitorBytes),
	// or is nil when nothing is recorded.
	Record func(n int) int64
}

// Per-neuron and fixed parts of a run's memory, beyond the recording.
const (
	// the group's arrays: each variable and per-neuron parameter, the input and the spike
	// times (8 bytes each; a -float32 group needs less), and spiked (1 byte)
	groupExtra = 2*8 + 1
	// the program's bookkeeping: spike counts (8), interval statistics (24) and the spike
	// monitor's room for a spike per neuron (12)
	programPerNeuron = 8 + 24 + 12
	// an @FILE setting's values: as read, in the configuration file, and decoded
	fileSettingPerNeuron = 64
	// the spike monitor's budget, rate tables, code, the Go runtime: a generous bound
	fixedBytes = 96 << 20
)

// Bytes estimates the memory (bytes) that a run of n neurons holds, saturating at
// math.MaxInt64.
func (m MemoryPlan) Bytes(n int) int64 {
	per := int64(8*(m.Vars+m.PerNeuronParams)+groupExtra+programPerNeuron) + int64(m.FileSettings)*fileSettingPerNeuron
	b := int64(math.MaxInt64)
	if nn := int64(n); nn <= (math.MaxInt64-fixedBytes)/per {
		b = nn*per + fixedBytes
	}
	if m.Record != nil {
		if r := m.Record(n); r > math.MaxInt64-b {
			b = math.MaxInt64
		} else {
			b += r
		}
	}
	return b
}

// MemoryAvailable returns the memory (bytes) that a run may take, and whether it is known: on
// Linux the smaller of /proc/meminfo's MemAvailable and the room left under the cgroup's
// memory limit, if any; elsewhere it is not known. Tests replace it.
var MemoryAvailable = memoryAvailable

// CheckMemory refuses a run of n neurons that would need more memory than MemoryAvailable says
// there is, with what it needs, what there is and the largest n that fits. flag names the size
// in the message ("-n"). It does nothing when the available memory is not known.
func (m MemoryPlan) CheckMemory(flag string, n int) error {
	avail, ok := MemoryAvailable()
	if !ok {
		return nil
	}
	need := m.Bytes(n)
	if need <= avail {
		return nil
	}
	lo, hi := 0, n // Bytes(hi) > avail; Bytes(lo) ≤ avail or lo = 0
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if m.Bytes(mid) <= avail {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return fmt.Errorf("%s %d: the run needs about %s of memory, and only %s is available: not even one neuron fits",
			flag, n, ByteSize(need), ByteSize(avail))
	}
	return fmt.Errorf("%s %d: the run needs about %s of memory, and only %s is available: at most %s %d fits",
		flag, n, ByteSize(need), ByteSize(avail), flag, lo)
}

// PlanMemory returns the memory plan of a run of cfg with the model md.
func PlanMemory(md *runtime.Model, cfg *Config) MemoryPlan {
	plan := MemoryPlan{Vars: len(md.Vars)}
	for _, p := range md.Params {
		if p.PerNeuron {
			plan.PerNeuronParams++
		}
	}
	for _, s := range cfg.Settings {
		if s.Values != nil {
			plan.FileSettings++
		}
	}
	if len(cfg.Record) > 0 {
		own := map[string]bool{InputName: true} // what is not a channel's current
		for _, v := range md.Vars {
			own[v.Name] = true
		}
		for _, p := range md.Params {
			if p.PerNeuron {
				own[p.Name] = true
			}
		}
		currents := 0
		for _, v := range cfg.Record {
			if !own[v] {
				currents = len(md.Currents)
			}
		}
		rows := int64(cfg.Steps)/int64(max(cfg.Every, 1)) + 1
		vars, neurons := len(cfg.Record), len(cfg.Neurons)
		plan.Record = func(n int) int64 {
			cols := n
			if cfg.Neurons != nil {
				cols = neurons
			}
			return runtime.MonitorBytes(vars, cols, rows, currents)
		}
	}
	return plan
}

// memoryAvailable is MemoryAvailable's default.
func memoryAvailable() (int64, bool) {
	if goruntime.GOOS != "linux" {
		return 0, false
	}
	avail, ok := memInfo("/proc/meminfo", "MemAvailable")
	if !ok {
		return 0, false
	}
	// cgroup v2, then v1: the limit less what the group uses already, not counting the page
	// cache that the kernel can drop (inactive_file), as container runtimes count it.
	for _, f := range [][3]string{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current", "inactive_file"},
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes", "total_inactive_file"},
	} {
		limit, ok1 := readInt(f[0])
		used, ok2 := readInt(f[1])
		if ok1 && ok2 && limit > 0 && limit < 1<<60 {
			if cache, ok := memStat(filepath.Join(filepath.Dir(f[0]), "memory.stat"), f[2]); ok && cache <= used {
				used -= cache
			}
			avail = min(avail, max(limit-used, 0))
			break
		}
	}
	return avail, true
}

// memStat reads a field of a cgroup's memory.stat ("inactive_file 123456"), in bytes.
func memStat(path, field string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, v, ok := strings.Cut(line, " ")
		if ok && name == field {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil && n >= 0
		}
	}
	return 0, false
}

// memInfo reads a field of /proc/meminfo ("MemAvailable:   123456 kB") in bytes.
func memInfo(path, field string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || v < 0 {
			return 0, false
		}
		if len(f) > 1 && f[1] == "kB" {
			v *= 1024
		}
		return v, true
	}
	return 0, false
}

// readInt reads a file that holds one integer ("max" or anything else: not known).
func readInt(path string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	return v, err == nil
}
