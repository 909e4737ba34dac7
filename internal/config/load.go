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
func Parse(name string, b []byte, env Lookup) (Config, error) {
	cfg := Default()
	cfg.file = name
	expanded, err := expand(name, b, env)
	if err != nil {
		return Config{}, err
	}
	if len(bytes.TrimSpace(expanded)) == 0 {
		return cfg, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(expanded, &root); err != nil {
		return Config{}, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	cfg.lines = map[string]int{}
	collectLines(&root, "", cfg.lines)
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, decodeError(name, err)
	}
	return cfg, nil
}

var (
	varRef      = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)
	notFoundRe  = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)
	lineRe      = regexp.MustCompile(`^line (\d+): (.*)$`)
	unmarshalRe = regexp.MustCompile(`cannot unmarshal !!(\w+) ` + "`" + `([^` + "`" + `]*)` + "`" + ` into (\S+)`)
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

// decodeError rewrites yaml's messages as "file:line: …", one per problem.
func decodeError(name string, err error) error {
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
		if m := notFoundRe.FindStringSubmatch(e); m != nil {
			errs = append(errs, fmt.Errorf("%s:%s: unknown key %q", name, m[1], m[2]))
			continue
		}
		if m := lineRe.FindStringSubmatch(e); m != nil {
			msg := m[2]
			if u := unmarshalRe.FindStringSubmatch(msg); u != nil {
				msg = fmt.Sprintf("%q is a %s where a %s is expected", u[2], u[1], u[3])
			}
			errs = append(errs, fmt.Errorf("%s:%s: %s", name, m[1], msg))
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s", name, e))
	}
	return errors.Join(errs...)
}
