package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// file is the shape of one rules file: any mix of the top-level sections.
type file struct {
	EventTypes    []EventType    `yaml:"event_types"`
	Language      *Language      `yaml:"language"`
	Countries     []Country      `yaml:"countries"`
	Organizations []Organization `yaml:"organizations"`
	Places        []Place        `yaml:"places"`
	People        []Person       `yaml:"people"`
	Affiliations  []Affiliation  `yaml:"affiliations"`
}

// LoadDir loads every *.yaml and *.yml file under dir, recursively. See Load.
func LoadDir(dir string) (*Set, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	return Load(os.DirFS(dir))
}

// Load reads every *.yaml and *.yml file of fsys, recursively and in lexical
// order, decodes each strictly and validates the whole. Every problem found
// is reported, each naming its file, line and field; the errors are joined.
func Load(fsys fs.FS) (*Set, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := path.Ext(p)
		if !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	sort.Strings(names)
	return LoadFiles(fsys, names...)
}

// LoadFiles is Load restricted to the named files of fsys, read in the
// order given: LoadFiles(pipelines.FS, "events.yaml") reads only the
// event types. References to a gazetteer that is not loaded are not
// checked.
func LoadFiles(fsys fs.FS, names ...string) (*Set, error) {
	set := &Set{}
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("load rules: %w", err))
			continue
		}
		if err := decodeFile(set, name, data); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		errs = append(errs, validate(set)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// decodeFile decodes every YAML document of one file into set.
func decodeFile(set *Set, name string, data []byte) error {
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	loose := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var f file
		err := strict.Decode(&f)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return decodeError(name, data, err)
		}
		var doc yaml.Node
		if err := loose.Decode(&doc); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for i := range f.EventTypes {
			f.EventTypes[i].Source = Source{name, itemLine(&doc, "event_types", i)}
		}
		set.Types = append(set.Types, f.EventTypes...)
		if f.Language != nil {
			f.Language.Source = Source{name, itemLine(&doc, "language", -1)}
			set.Languages = append(set.Languages, *f.Language)
		}
		for i := range f.Countries {
			f.Countries[i].Source = Source{name, itemLine(&doc, "countries", i)}
		}
		set.Countries = append(set.Countries, f.Countries...)
		for i := range f.Organizations {
			f.Organizations[i].Source = Source{name, itemLine(&doc, "organizations", i)}
		}
		set.Organizations = append(set.Organizations, f.Organizations...)
		for i := range f.Places {
			f.Places[i].Source = Source{name, itemLine(&doc, "places", i)}
		}
		set.Places = append(set.Places, f.Places...)
		for i := range f.People {
			f.People[i].Source = Source{name, itemLine(&doc, "people", i)}
		}
		set.People = append(set.People, f.People...)
		for i := range f.Affiliations {
			f.Affiliations[i].Source = Source{name, itemLine(&doc, "affiliations", i)}
		}
		set.Affiliations = append(set.Affiliations, f.Affiliations...)
	}
}

// itemLine returns the line of the i-th item of the top-level sequence key,
// or of the key's value itself when i < 0; 0 when not found.
func itemLine(doc *yaml.Node, key string, i int) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return 0
	}
	for k := 0; k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value != key {
			continue
		}
		v := n.Content[k+1]
		if i < 0 {
			return v.Line
		}
		if v.Kind == yaml.SequenceNode && i < len(v.Content) {
			return v.Content[i].Line
		}
	}
	return 0
}

// decodeError reports a strict decoding error of file name: each problem
// as "file:line: field: message", the field being the path of the key or
// value at fault ("event_types[2].triggers[0].weight"). Syntax errors,
// which have no field, keep YAML's own message.
func decodeError(name string, data []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("%s: %s", name, strings.ReplaceAll(err.Error(), "\n ", ""))
	}
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil {
			break
		}
		docs = append(docs, &doc)
	}
	errs := make([]error, 0, len(te.Errors))
	for _, msg := range te.Errors {
		var line int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr != nil || line == 0 {
			errs = append(errs, fmt.Errorf("%s: %s", name, msg))
			continue
		}
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		var found []fieldAt
		for _, doc := range docs {
			found = fieldsAt(doc, line, "", found)
		}
		if f := pickField(found, msg); f != "" {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %s", name, line, f, msg))
		} else {
			errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, msg))
		}
	}
	return errors.Join(errs...)
}

// fieldAt is a key or sequence item that starts on a given line: its path
// ("countries[3].lat"), its key and its scalar value.
type fieldAt struct{ path, key, value string }

// fieldsAt appends to out every key and scalar item under n that starts on
// line, in document order.
func fieldsAt(n *yaml.Node, line int, path string, out []fieldAt) []fieldAt {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = fieldsAt(c, line, path, out)
		}
	case yaml.MappingNode:
		for k := 0; k+1 < len(n.Content); k += 2 {
			key, val := n.Content[k], n.Content[k+1]
			p := key.Value
			if path != "" {
				p = path + "." + key.Value
			}
			if key.Line == line {
				out = append(out, fieldAt{p, key.Value, val.Value})
			}
			out = fieldsAt(val, line, p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c.Line == line && c.Kind == yaml.ScalarNode {
				out = append(out, fieldAt{p, "", c.Value})
			}
			out = fieldsAt(c, line, p, out)
		}
	}
	return out
}

// pickField chooses the field a decoding message is about among those on
// its line: the key it names ("field windw not found"), else the one
// holding the value it quotes ("cannot unmarshal !!str `high`"), else the
// innermost.
func pickField(found []fieldAt, msg string) string {
	if len(found) == 0 {
		return ""
	}
	var key, value string
	fmt.Sscanf(msg, "field %s not found", &key)
	if i := strings.Index(msg, "`"); i >= 0 {
		if j := strings.Index(msg[i+1:], "`"); j >= 0 {
			value = msg[i+1 : i+1+j]
		}
	}
	for _, f := range found {
		if key != "" && f.key == key || value != "" && f.value == value {
			return f.path
		}
	}
	return found[len(found)-1].path
}
