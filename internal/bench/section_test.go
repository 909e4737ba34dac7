package bench

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceSection(t *testing.T) {
	for _, c := range []struct {
		name, doc, section, want string
	}{
		{"between markers", "# B\n\nhand text\n" + BeginMarker + "\nold\ntable\n" + EndMarker + "\nafter\n", "new",
			"# B\n\nhand text\n" + BeginMarker + "\nnew\n" + EndMarker + "\nafter\n"},
		{"no markers: appended", "# B\n\nhand text\n", "new\n",
			"# B\n\nhand text\n\n" + BeginMarker + "\nnew\n" + EndMarker + "\n"},
		{"empty file", "", "new", BeginMarker + "\nnew\n" + EndMarker + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReplaceSection([]byte(c.doc), c.section)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
			again, err := ReplaceSection(got, c.section)
			if err != nil || string(again) != string(got) {
				t.Errorf("a second replace changed the document: %q, %v", again, err)
			}
		})
	}
}

func TestReplaceSectionWithoutEnd(t *testing.T) {
	if _, err := ReplaceSection([]byte("a\n"+BeginMarker+"\nb\n"), "x"); err == nil {
		t.Error("no error for a begin marker without an end")
	}
}

func TestWriteSection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := WriteSection(path, "one"); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, "two"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := BeginMarker + "\ntwo\n" + EndMarker + "\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
