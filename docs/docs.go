// Package docs embeds the documents the web app serves itself: the API reference
// (api.md, shown at /docs/api) and its OpenAPI file (/docs/openapi.yaml).
package docs

import _ "embed"

// APIMarkdown is docs/api.md.
//
//go:embed api.md
var APIMarkdown []byte

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
