// Package configs holds Dateline's default configuration, built into the
// binary so that `dateline serve` runs with no file at hand.
package configs

import _ "embed"

// Default is the text of configs/dateline.yaml.
//
//go:embed dateline.yaml
var Default []byte
