package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestValidateNATS(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "creds")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	tests := []struct {
		name string
		src  string
		want []string // substrings the error must hold; none: valid
		not  []string // substrings it must not hold (secrets)
	}{
		{"seed list", "nats:\n  url: nats://a:4222, nats://b:4222,tls://c:4222\n", nil, nil},
		{"bad seed is named, password hidden", "nats:\n  url: nats://a:4222,http://u:hunter2@b:4222\n",
			[]string{"t.yaml:2: nats.url", "seed 2", "redacted@b:4222"}, []string{"hunter2"}},
		{"user and password", "nats:\n  url: nats://a:4222\n  user: u\n  password: hunter2\n", nil, nil},
		{"password without user", "nats:\n  url: nats://a:4222\n  password: hunter2\n",
			[]string{"t.yaml:3: nats.password: needs nats.user"}, []string{"hunter2"}},
		{"two ways to authenticate", "nats:\n  url: nats://a:4222\n  token: s3cret\n  creds: " + file + "\n",
			[]string{"t.yaml:4: nats.creds: set only one way to authenticate, not nats.token and nats.creds"}, []string{"s3cret"}},
		{"missing nkey file", "nats:\n  url: nats://a:4222\n  nkey: " + missing + "\n",
			[]string{"t.yaml:3: nats.nkey: cannot read the file"}, nil},
		{"cert without key", "nats:\n  url: nats://a:4222\n  tls:\n    cert: " + file + "\n",
			[]string{"t.yaml:3: nats.tls: cert and key go together"}, nil},
		{"credentials for the embedded server", "nats:\n  token: s3cret\n",
			[]string{"nats.url: must be set for credentials or TLS"}, []string{"s3cret"}},
		{"limits", "nats:\n  streams:\n    events:\n      max_age: 8760h\n      max_bytes: 10737418240\n", nil, nil},
		{"limits too small", "nats:\n  streams:\n    articles:\n      max_age: 1s\n      max_bytes: 5\n",
			[]string{"t.yaml:4: nats.streams.articles.max_age: 1s is below the minimum of 1m",
				"t.yaml:5: nats.streams.articles.max_bytes: 5 is below the minimum"}, nil},
		{"bad node", "nats:\n  url: nats://a:4222\n  node: a.b\n", []string{"t.yaml:3: nats.node:"}, nil},
		{"replicas", "nats:\n  replicas: 7\n", []string{"t.yaml:2: nats.replicas: 7 is not between 1 and 5"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("t.yaml", []byte(tc.src), nil)
			if err == nil {
				err = cfg.Validate()
			}
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error holding %q, got none", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not hold %q", err, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(err.Error(), n) {
					t.Errorf("error %q shows the secret %q", err, n)
				}
			}
		})
	}
}

func TestApplyEnv(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("nats:\n  url: nats://file:4222\n  user: fromfile\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ApplyEnv(env(map[string]string{
		"DATELINE_NATS_URL":      "nats://a:4222,nats://b:4222",
		"DATELINE_NATS_PASSWORD": "hunter2",
		"DATELINE_NATS_NODE":     "api-1",
		"DATELINE_NATS_REPLICAS": "3",
	}))
	n := cfg.NATS
	if n.URL != "nats://a:4222,nats://b:4222" || n.User != "fromfile" || n.Password != "hunter2" || n.Node != "api-1" || n.Replicas != 3 {
		t.Fatalf("after ApplyEnv: %+v", n)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	cfg.ApplyEnv(env(map[string]string{"DATELINE_NATS_REPLICAS": "three", "DATELINE_NATS_TLS_CA": "/nonexistent/ca.pem"}))
	err = cfg.Validate()
	for _, w := range []string{"$DATELINE_NATS_REPLICAS: nats.replicas", "$DATELINE_NATS_TLS_CA: nats.tls.ca: cannot read the file"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate = %v, want it to hold %q", err, w)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"nats://a:4222":                        "nats://a:4222",
		"nats://u:hunter2@a:4222":              "nats://redacted@a:4222",
		"nats://tok@a:4222, nats://u:p@b:4222": "nats://redacted@a:4222,nats://redacted@b:4222",
		"nats://u:p%zz@a:4222":                 "redacted@a:4222",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultStreamLimits(t *testing.T) {
	d := Default().NATS.Streams
	if d.Articles != (Limits{}) || d.Events != (Limits{}) || d.Dead.MaxAge.D() != 30*24*time.Hour {
		t.Errorf("default limits = %+v; want none on articles and events, 30 days on dead letters", d)
	}
}
