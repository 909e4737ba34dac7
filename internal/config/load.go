package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lookup finds an environment variable; os.LookupEnv fits. Tests inject
// their own so they never touch the process environment.
type Lookup func(name string) (string, bool)

// Load reads the YAML file at path over the defaults, expanding ${VAR} and
// ${VAR:-default} from env. An unknown key, a value of the wrong type or an
// unreadable file is an error naming the file and line.
func Load(path string, env Lookup) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, b, env)
}

// Parse is Load for bytes already read; name is used in error messages.
// When the file has unknown keys or mistyped values, the error also lists
// what Validate finds in the rest, so one pass reports every problem;
// otherwise the caller validates (after applying its flags).
func Parse(name string, b []byte, env Lookup) (Config, error) {
	cfg := Default()
	cfg.file = name
	// A variable holding a line break is left out and reported with the
	// rest of the file's problems.
	expanded, expandErr := expand(name, b, env)
	if len(bytes.TrimSpace(expanded)) == 0 {
		if expandErr != nil {
			return Config{}, expandErr
		}
		return cfg, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(expanded, &root); err != nil {
		return Config{}, errors.Join(expandErr, decodeError(name, err, nil))
	}
	cfg.lines = map[string]int{}
	collectLines(&root, "", cfg.lines)
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		derr := decodeError(name, err, cfg.lines)
		var te *yaml.TypeError
		if errors.As(err, &te) {
			// The decoder went on past every unknown key and mistyped
			// value, keeping the defaults there: check the values it did
			// read too, so that one pass reports every problem.
			derr = errors.Join(derr, cfg.Validate())
		}
		return Config{}, errors.Join(expandErr, derr)
	}
	if expandErr != nil {
		return Config{}, errors.Join(expandErr, cfg.Validate())
	}
	return cfg, nil
}

var (
	varRef     = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)
	notFoundRe = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	twiceRe    = regexp.MustCompile(`^(?:field (\S+) already set in type \S+|mapping key "([^"]*)" already defined at line (\d+))$`)
	lineRe     = regexp.MustCompile(`^line (\d+): (.*)$`)
	// unmarshalRe matches yaml's "cannot unmarshal !!str `lots` into
	// int64"; sequences and mappings come without the value.
	unmarshalRe = regexp.MustCompile(`^cannot unmarshal !!(\w+)(?: ` + "`" + `([^` + "`" + `]*)` + "`" + `)? into (\S+)$`)
)

// expand replaces ${VAR} and ${VAR:-default} line by line, so line numbers
// stay true. A reference to an unset variable without a default expands to
// the empty string, as in a shell; a value with a newline is refused.
func expand(name string, b []byte, env Lookup) ([]byte, error) {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	var errs []error
	lines := bytes.Split(b, []byte("\n"))
	for i, line := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			continue
		}
		lines[i] = varRef.ReplaceAllFunc(line, func(m []byte) []byte {
			sub := varRef.FindSubmatch(m)
			v, ok := env(string(sub[1]))
			if !ok && len(sub[2]) > 0 {
				v = string(sub[3])
			}
			if strings.ContainsAny(v, "\r\n") {
				errs = append(errs, fmt.Errorf("%s:%d: ${%s} holds a line break", name, i+1, sub[1]))
				return nil
			}
			return []byte(v)
		})
	}
	return bytes.Join(lines, []byte("\n")), errors.Join(errs...)
}

// collectLines records the line of every mapping key and sequence item.
func collectLines(n *yaml.Node, path string, out map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			collectLines(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := join(path, n.Content[i].Value)
			out[p] = n.Content[i].Line
			collectLines(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := join(path, strconv.Itoa(i))
			out[p] = c.Line
			collectLines(c, p, out)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyOn returns the most specific key path on line n ("feeds.0.url"
// rather than "feeds.0"), to name the key of an error that yaml reports by
// line only; field, when not empty, must be the path's last key.
func keyOn(lines map[string]int, n int, field string) string {
	best := ""
	for path, l := range lines {
		if l != n || field != "" && path != field && !strings.HasSuffix(path, "."+field) {
			continue
		}
		if best == "" || moreSpecific(path, best) {
			best = path
		}
	}
	return best
}

// moreSpecific prefers a mapping key to a list item on the same line
// ("listen" in `listen: [a]`), then the longer path.
func moreSpecific(path, than string) bool {
	if pi, ti := isItem(path), isItem(than); pi != ti {
		return ti
	}
	if len(path) != len(than) {
		return len(path) > len(than)
	}
	return path < than
}

// isItem reports whether path ends in a list index ("feeds.0").
func isItem(path string) bool {
	_, err := strconv.Atoi(path[strings.LastIndexByte(path, '.')+1:])
	return err == nil
}

// decodeError rewrites yaml's messages as "file:line: key: problem", one
// per problem; lines (from collectLines) names the keys when known.
func decodeError(name string, err error, lines map[string]int) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%s:%s: %s", name, m[1], m[2])
		}
		return fmt.Errorf("%s: %s", name, msg)
	}
	var errs []error
	for _, e := range te.Errors {
		m := lineRe.FindStringSubmatch(e)
		if m == nil {
			errs = append(errs, fmt.Errorf("%s: %s", name, e))
			continue
		}
		line, msg := m[1], m[2]
		n, _ := strconv.Atoi(line)
		key := keyOn(lines, n, "")
		switch u, t, nf := unmarshalRe.FindStringSubmatch(msg), twiceRe.FindStringSubmatch(msg), notFoundRe.FindStringSubmatch(msg); {
		case nf != nil:
			if key = keyOn(lines, n, nf[1]); key == "" {
				key = nf[1]
			}
			msg = fmt.Sprintf("unknown key %q", key)
			key = ""
		case t != nil:
			if t[3] != "" {
				msg = fmt.Sprintf("given twice (first at line %s)", t[3])
			} else {
				msg = "given twice"
			}
		case u != nil:
			got := yamlKinds[u[1]]
			if got == "" {
				got = "a " + u[1]
			}
			if u[2] != "" && u[1] != "null" {
				got = strconv.Quote(u[2])
			}
			msg = fmt.Sprintf("want %s, got %s", goKind(u[3]), got)
		}
		if key != "" {
			msg = key + ": " + msg
		}
		errs = append(errs, fmt.Errorf("%s:%s: %s", name, line, msg))
	}
	return errors.Join(errs...)
}

// yamlKinds names yaml's tags for people.
var yamlKinds = map[string]string{
	"str": "text", "int": "a number", "float": "a number", "bool": "true or false",
	"seq": "a list", "map": "a mapping", "null": "nothing", "timestamp": "a time",
}

// goKind names the Go type a value was decoded into for people.
func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "config."):
		return "a mapping"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "text"
	}
	return t
}
