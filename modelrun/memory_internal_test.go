package modelrun

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMemInfo reads MemAvailable from a meminfo file, in bytes, and nothing from a file without it.
func TestMemInfo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "meminfo")
	os.WriteFile(path, []byte("MemTotal:       16318412 kB\nMemFree:         1021460 kB\nMemAvailable:    9876543 kB\nBuffers:  1 kB\n"), 0o666)
	if got, ok := memInfo(path, "MemAvailable"); !ok || got != 9876543*1024 {
		t.Errorf("memInfo MemAvailable = %d, %v; want %d", got, ok, 9876543*1024)
	}
	if _, ok := memInfo(path, "MemShared"); ok {
		t.Error("memInfo found a field that is not there")
	}
	if _, ok := memInfo(filepath.Join(dir, "none"), "MemAvailable"); ok {
		t.Error("memInfo read a missing file")
	}
	max := filepath.Join(dir, "memory.max")
	os.WriteFile(max, []byte("max\n"), 0o666)
	if _, ok := readInt(max); ok {
		t.Error(`readInt took "max" for a number`)
	}
	os.WriteFile(max, []byte("8589934592\n"), 0o666)
	if v, ok := readInt(max); !ok || v != 8589934592 {
		t.Errorf("readInt = %d, %v", v, ok)
	}
	stat := filepath.Join(dir, "memory.stat")
	os.WriteFile(stat, []byte("anon 100\nactive_file 7\ninactive_file 4096\ntotal_inactive_file 9\n"), 0o666)
	if v, ok := memStat(stat, "inactive_file"); !ok || v != 4096 {
		t.Errorf("memStat inactive_file = %d, %v; want 4096", v, ok)
	}
	if _, ok := memStat(stat, "file"); ok {
		t.Error("memStat found a field that is not there")
	}
}
