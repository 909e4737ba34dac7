package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/api"
)

// progress draws a rebuild's progress on w: a bar redrawn in place on a
// terminal, else a plain line every plainEvery (and at the end), for
// logs. It is used by one goroutine.
type progress struct {
	w       io.Writer
	tty     bool
	last    time.Time // when a plain line was last written
	printed string    // the last plain line written
	drew    bool      // a bar is on the current terminal line
	st      api.ReindexStatus
}

// plainEvery is how often a plain progress line is written.
const plainEvery = 5 * time.Second

// barWidth is the width of the bar, in characters.
const barWidth = 30

func newProgress(w io.Writer) *progress {
	return &progress{w: w, tty: isTerminal(w)}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update shows st.
func (p *progress) update(st api.ReindexStatus) {
	p.st = st
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", barLine(st))
		p.drew = true
		return
	}
	if time.Since(p.last) >= plainEvery {
		p.last = time.Now()
		p.printed = plainLine(st)
		fmt.Fprintln(p.w, p.printed)
	}
}

// end finishes the output: the bar's line is ended, and a plain output
// gets the last state when it has not written it.
func (p *progress) end() {
	if p.drew {
		fmt.Fprintln(p.w)
		p.drew = false
		return
	}
	if line := plainLine(p.st); !p.tty && p.st.State != "" && line != p.printed {
		p.printed = line
		fmt.Fprintln(p.w, line)
	}
}

// barLine is the terminal line of st:
//
//	reindex [###########-------------------]  37%  seq 370,112/1,000,000  5,210 events/s  ETA 2m01s
func barLine(st api.ReindexStatus) string {
	f := st.Fraction()
	n := int(f * barWidth)
	return fmt.Sprintf("reindex [%s%s] %3d%%  seq %s/%s  %s events/s%s",
		strings.Repeat("#", n), strings.Repeat("-", barWidth-n), int(f*100),
		thousands(st.Seq), thousands(st.LastSeq), thousands(uint64(st.EventsPerSecond)), eta(st))
}

// plainLine is the log line of st:
//
//	reindex: 37% (seq 370112 of 1000000), 370112 events, 5210 events/s, ETA 2m1s
func plainLine(st api.ReindexStatus) string {
	return fmt.Sprintf("reindex: %s %d%% (seq %d of %d), %d events, %.0f events/s%s",
		st.State, int(st.Fraction()*100), st.Seq, st.LastSeq, st.Events, st.EventsPerSecond, eta(st))
}

// eta estimates the time left from the sequences read so far, "" when
// it cannot yet.
func eta(st api.ReindexStatus) string {
	el := time.Since(st.Started)
	if st.State != api.ReindexRunning || st.Seq <= st.FirstSeq || st.LastSeq <= st.Seq || el <= 0 {
		return ""
	}
	perSeq := el / time.Duration(st.Seq-st.FirstSeq+1)
	return "  ETA " + (perSeq * time.Duration(st.LastSeq-st.Seq)).Round(time.Second).String()
}

// thousands writes n with commas between groups of three digits.
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
