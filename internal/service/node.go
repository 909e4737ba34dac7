package service

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dateline/dateline/internal/config"
)

// NodeIDFile is the file in the data directory that keeps this replica's
// generated node id, so that it keeps its own durable consumers across
// restarts and never shares them with another replica by accident.
const NodeIDFile = "node-id"

// maxNodeLen bounds a generated node id: it is part of consumer names.
const maxNodeLen = 48

// NodeID returns the name of this process's own durable consumers and
// leases (the indexer's consumer "indexer-<id>", the poller's feed leases,
// the alerter's delivery leases):
//
//   - cfg.NATS.Node when set (nats.node, --node, DATELINE_NATS_NODE);
//   - "embedded" on the embedded server, which nobody else shares;
//   - else the id kept in <data_dir>/node-id, which is generated at random
//     (host name and 10 hex digits) on first use and written there.
//
// Two processes on one host with separate data directories therefore get
// different ids, and a restarted process gets its old one back.
func NodeID(cfg config.Config) (string, error) {
	if cfg.NATS.Node != "" {
		return cfg.NATS.Node, nil
	}
	if cfg.NATS.URL == "" {
		return "embedded", nil
	}
	path := filepath.Join(cfg.DataDir, NodeIDFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		id := strings.TrimSpace(string(b))
		if err := config.CheckNode(id); err != nil {
			return "", fmt.Errorf("node id in %s: %w (delete the file to generate a new one, or set nats.node)", path, err)
		}
		return id, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("read node id: %w", err)
	}
	id, err := newNodeID()
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(path, []byte(id+"\n")); err != nil {
		return "", fmt.Errorf("keep node id: %w", err)
	}
	return id, nil
}

// newNodeID returns the host name, cut to fit, and 10 random hex digits.
func newNodeID() (string, error) {
	var r [5]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("generate node id: %w", err)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	host = sanitize(host)
	if len(host) > maxNodeLen-11 {
		host = host[:maxNodeLen-11]
	}
	return host + "-" + hex.EncodeToString(r[:]), nil
}

// writeFileAtomic writes b to path through a temporary file renamed into
// place, so a crash leaves either no file or the whole of it.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
