package extract

import "strings"

// inflect returns a lemma with its regular English inflections (plural or
// third person, past, gerund; with and without a doubled final consonant)
// and the irregular forms listed for it. Over-generation is harmless: the
// forms only ever match real text.
func inflect(w string, irregular map[string][]string) []string {
	forms := []string{w}
	add := func(f string) {
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	n := len(w)
	if n == 0 {
		return forms
	}
	last := w[n-1]
	consY := last == 'y' && n > 1 && !isVowel(w[n-2])
	switch {
	case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "z") ||
		strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh"):
		add(w + "es")
	case consY:
		add(w[:n-1] + "ies")
	default:
		add(w + "s")
	}
	switch {
	case last == 'e':
		add(w + "d")
	case consY:
		add(w[:n-1] + "ied")
	default:
		add(w + "ed")
	}
	switch {
	case strings.HasSuffix(w, "ie"):
		add(w[:n-2] + "ying")
	case last == 'e' && !strings.HasSuffix(w, "ee"):
		add(w[:n-1] + "ing")
	default:
		add(w + "ing")
	}
	if n >= 3 && !isVowel(last) && last != 'w' && last != 'x' && last != 'y' && isVowel(w[n-2]) && !isVowel(w[n-3]) {
		add(w + string(last) + "ed")
		add(w + string(last) + "ing")
	}
	for _, f := range irregular[w] {
		add(strings.ToLower(f))
	}
	return forms
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}
