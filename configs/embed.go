// Package configs holds Dateline's default configuration, built into the
// binary so that `dateline serve` runs with no file at hand, and examples
// that are not built in: feeds.opml (the default feeds as an OPML list for
// `dateline feeds import`) and alerts.example.yaml (alert rules to copy
// into a config). Tests here check that the examples load and validate.
package configs

import _ "embed"

// Default is the text of configs/dateline.yaml.
//
//go:embed dateline.yaml
var Default []byte
