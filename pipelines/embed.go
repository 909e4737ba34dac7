// Package pipelines holds Dateline's default extraction rules as data: the
// event types (events.yaml), the language files (lang/*.yaml) and the
// gazetteers of countries, organisations and places (gazetteer/*.yaml).
// Users can copy and edit these files and point Dateline at their copy
// without rebuilding; the embedded copy is the default.
package pipelines

import "embed"

// FS is the embedded copy of every YAML rules file of this directory,
// including the lang and gazetteer subdirectories, at their paths relative
// to pipelines/ (for example "events.yaml", "gazetteer/countries.yaml").
// Pass it to rules.Load. It is read-only and safe for concurrent use.
//
//go:embed *.yaml lang/*.yaml gazetteer/*.yaml
var FS embed.FS
