// Package library embeds chatdojo's built-in scenarios, each with its good and poor
// reference agent scripts (<id>.good.txt, <id>.poor.txt).
package library

import (
	"embed"
	"io/fs"

	"chatdojo/scenarios"
)

//go:embed *.md *.txt
var files embed.FS

// FS returns the library's files.
func FS() fs.FS {
	return files
}

// Load parses the built-in scenarios.
func Load() (*scenarios.Catalog, error) {
	return scenarios.LoadCatalog(files)
}
