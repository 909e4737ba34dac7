package extract

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Statements, letters and reports speak in the first person: "I have
// directed", "we condemn", "I briefed the Security Council". Who "I" is,
// the title says — "Statement from President Joe Biden on ...", "Letter
// dated 5 July 1996 from the Permanent Representative of Lebanon to the
// United Nations", "Report of the Secretary-General" — or the signature
// ("THE WHITE HOUSE,"). A hit whose clause has "I" or "we" for subject
// has that author among its actors.

// authorLead bounds, in tokens, the opening lines of the text where a
// title naming its author may stand.
const authorLead = 80

// authorTail bounds, in tokens, the closing lines where a signature may
// stand.
const authorTail = 40

// readAuthor sets d.author: from the document's title, else from the
// opening lines of the text, else from a White House signature.
func (d *reader) readAuthor() {
	d.author = d.author[:0]
	if title := d.doc.Title; title != "" && !d.sub && d.authoredTitle() {
		t := d.x.scratch.Get().(*reader)
		t.sub = true
		t.init(d.x, Document{Text: title, Published: d.doc.Published})
		t.analyse()
		for _, a := range t.authorIn(len(t.toks)) {
			d.author = append(d.author, a)
		}
		t.reset()
		d.x.scratch.Put(t)
	}
	if len(d.author) == 0 {
		d.author = append(d.author, d.authorIn(min(len(d.toks), authorLead))...)
	}
	if len(d.author) == 0 {
		for i := 0; i+3 < min(len(d.toks), authorLead); i++ {
			if d.toks[i].newline && d.lowIs(i, "office") && d.word(i+1, wOf) && d.word(i+2, wThe) && d.lowIs(i+3, "press") {
				d.author = append(d.author, "United States") // "Office of the Press Secretary" heads a White House release
				break
			}
		}
	}
	if len(d.author) == 0 {
		for i := max(0, len(d.toks)-authorTail); i+2 < len(d.toks); i++ {
			if d.toks[i].newline && d.word(i, wThe) && d.toks[i+1].allUpper && d.lowIs(i+1, "white") && d.lowIs(i+2, "house") {
				d.author = append(d.author, "United States") // "THE WHITE HOUSE," signs a President's letter
				break
			}
		}
	}
}

// authoredTitle reports whether the title has a word of an authored text
// ("Statement", "Letter", "Remarks"), so that it may name an author.
func (d *reader) authoredTitle() bool {
	for _, m := range d.tFound {
		if m.p.kind == payCue && m.p.id == cueAuthored {
			return true
		}
	}
	return false
}

// authorIn returns the author named in the sentences starting before
// token end: the person, country or organisation first named after "from",
// "by" or "of" that follows a word of an authored text.
func (d *reader) authorIn(end int) []string {
	for si := range d.sents {
		s := d.sents[si]
		if s.start >= end {
			break
		}
		seen := false
		for i := s.start; i < s.end; i++ {
			if d.hasCue(i, cueAuthored) {
				seen = true
				continue
			}
			if !seen || !d.lowIs(i, "from") && !d.lowIs(i, "by") && !d.word(i, wOf) {
				continue
			}
			e := min(s.end, i+1+maxNameTokens+4)
			for k := i + 1; k < e; k++ {
				if d.word(k, wOn) || d.lowIs(k, "about") || d.lowIs(k, "regarding") || d.lowIs(k, "concerning") {
					e = k // "Statement by the Press Secretary on Bosnia": the topic, not the author
					break
				}
			}
			if a := d.actorsFrom(i+1, e); len(a) > 0 {
				return a
			}
		}
	}
	return nil
}

// actorsFrom returns the actors of the first person or gazetteer actor
// named in tokens [s,e): a person with their country, else a country or
// organisation with its parent.
func (d *reader) actorsFrom(s, e int) []string {
	var out []string
	for _, p := range d.persons {
		if p.start >= s && p.start < e {
			out = append(out, p.name)
			if p.org != "" {
				out = append(out, p.org)
			}
			if p.country != "" {
				out = append(out, p.country)
			}
			return out
		}
	}
	for k := e - 2; k >= max(s, e-4); k-- {
		// "Press Gaggle by NSC Coordinator for Strategic Communications
		// John Kirby": the shortest name of two words or more ending the
		// title, after titles of office the gazetteer does not know.
		if d.toks[k].kind != tokWord || d.toks[k].end-d.toks[k].start < 2 || d.hasCue(k, cueTitle) || d.entityCovering(k) >= 0 {
			continue
		}
		if ns, ne := d.nameAt(k); ns == k && ne == e {
			return append(out, oneSpaced(d.str(ns, ne)))
		}
	}
	for _, en := range d.ents {
		if en.start < s || en.start >= e || en.actor < 0 {
			continue
		}
		g := d.x.entities[en.actor]
		if g.person != "" {
			out = append(out, g.person)
		}
		out = append(out, g.name)
		if g.parent != "" {
			out = append(out, g.parent)
		}
		if g.national && g.country != g.name {
			out = append(out, g.country)
		}
		return out
	}
	return nil
}

// firstPerson reports whether the clause of hit h has "I" or "we" (or
// "my"/"our" Government) as its subject before the trigger.
func (d *reader) firstPerson(h hit) bool {
	for i := h.start - 1; i >= 0 && i >= h.start-8 && d.clause[i] == h.clause; i-- {
		t := d.toks[i]
		if t.kind != tokWord {
			continue
		}
		switch tokKey(t, d.low) {
		case "we", "our", "my":
			return true
		case "i":
			return t.upper && t.end-t.start == 1
		}
	}
	return false
}

// maxFrontMatterTitle bounds a front matter title kept as the title.
const maxFrontMatterTitle = 300

// frontMatterTitle returns the title a YAML front matter gives the text
// ("title: Statement from President Joe Biden on ..."), or "".
func frontMatterTitle(text string) string {
	t := strings.TrimLeft(text, "\ufeff \t\r\n")
	if !strings.HasPrefix(t, "---\n") && !strings.HasPrefix(t, "---\r\n") {
		return ""
	}
	rest := dropFrontMatter(text)
	if len(rest) == len(text) {
		return ""
	}
	block := t[:len(t)-len(rest)]
	block = strings.TrimSuffix(strings.TrimRight(block, "\r\n"), "---")
	var fm struct {
		Title string `yaml:"title"`
	}
	if yaml.Unmarshal([]byte(strings.TrimPrefix(block, "---")), &fm) != nil {
		return ""
	}
	title := strings.Join(strings.Fields(fm.Title), " ")
	if len(title) > maxFrontMatterTitle {
		return ""
	}
	return title
}

// readTitle tokenizes the document's title and looks its words up, for
// titleCountry, authoredTitle and marksAnniversary.
func (d *reader) readTitle() {
	title := d.doc.Title
	if d.sub || title == "" {
		d.tLow, d.tToks, d.tFound = d.tLow[:0], d.tToks[:0], d.tFound[:0]
		return
	}
	title = title[:min(len(title), maxFrontMatterTitle)]
	d.tLow = grow(d.tLow, len(title))
	d.tToks = tokenize(title, d.tLow, d.tToks[:0])
	d.tIDs = grow(d.tIDs, len(d.tToks))
	for i, t := range d.tToks {
		d.tIDs[i] = d.x.tokenID(t, d.tLow)
	}
	d.tFound = d.x.trie.scan(d.tToks, d.tIDs, d.tFound[:0])
}

// titleCountry returns the first country the document's title names
// ("The World Factbook 1992: Andorra Government"), or "": the country the
// text is about, which weighs in choosing its main country.
func (d *reader) titleCountry() string {
	for _, m := range d.tFound {
		if m.p.kind != payEntity {
			continue
		}
		if e := d.x.entities[m.p.id]; e.kind == entCountry && e.role == roleName {
			return e.name
		}
	}
	return ""
}

// roleSubject reports whether the clause of hit h has for subject a
// title with no name after it ("The President welcomes", "the Secretary
// calls on"): in an authored text, its author.
func (d *reader) roleSubject(h hit) bool {
	for i := h.start - 1; i >= 1 && i >= h.start-4 && d.clause[i] == h.clause; i-- {
		if !d.toks[i].upper || !d.hasCue(i, cueTitle) {
			continue
		}
		if !d.word(i-1, wThe) || i+1 < len(d.toks) && d.toks[i+1].upper {
			return false
		}
		return true
	}
	return false
}
