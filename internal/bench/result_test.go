package bench

import (
	"strings"
	"testing"
)

func TestParseResults(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/dateline/dateline/internal/index
cpu: AMD EPYC
BenchmarkQuery/words+range/dateline/n=2000-2         	      20	    123456 ns/op	         0.6500 hits/op	         0.08000 p50-ms	         0.2800 p95-ms
time=2026-12-07T18:02:45Z level=INFO msg="a log line"
BenchmarkExtract   	    3000	    250000 ns/op	  19.20 MB/s	   36000 B/op	     179 allocs/op
BenchmarkPoll304/hosts=1/budget=off/state=kv-2   	       3	2796000000 ns/op	      1787 polls/s
PASS
ok  	github.com/dateline/dateline/internal/index	4.5s
`
	got, err := ParseResults(strings.NewReader(out), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, unit string
		n          int
		v          float64
	}{
		{"BenchmarkQuery/words+range/dateline/n=2000", "p95-ms", 20, 0.28},
		{"BenchmarkExtract", "MB/s", 3000, 19.2},
		{"BenchmarkPoll304/hosts=1/budget=off/state=kv", "polls/s", 3, 1787},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Name != w.name || got[i].N != w.n || got[i].Metrics[w.unit] != w.v {
			t.Errorf("result %d = %s N=%d %s=%v, want %s N=%d %v", i, got[i].Name, got[i].N, w.unit, got[i].Metrics[w.unit], w.name, w.n, w.v)
		}
	}
}

func TestParseResultsOneProc(t *testing.T) {
	// With -cpu 1 the testing package appends no suffix: a name that
	// ends in a dash and digits keeps them.
	got, err := ParseResults(strings.NewReader("BenchmarkX/batch-2   \t 10\t 5 ns/op\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "BenchmarkX/batch-2" {
		t.Errorf("got %+v, want the name BenchmarkX/batch-2 kept", got)
	}
}

func TestParseResultsMalformed(t *testing.T) {
	for _, line := range []string{
		"BenchmarkX-2  10  5 ns/op 7",
		"BenchmarkX-2  10  five ns/op",
	} {
		if _, err := ParseResults(strings.NewReader(line+"\n"), 2); err == nil {
			t.Errorf("%q: no error", line)
		}
	}
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.284, "0.28"}, {11.94, "11.9"}, {493.2, "493"}, {1787, "1,787"}, {1234567.4, "1,234,567"}, {-2500, "-2,500"},
	} {
		if got := num(c.v); got != c.want {
			t.Errorf("num(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
