package scenarios

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// File is a named scenario file's bytes.
type File struct {
	Name string
	Data []byte
}

// IsScenarioFile reports whether a file name is a scenario file: a .md file other than a
// README, which documents a folder of scenarios.
func IsScenarioFile(name string) bool {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	return strings.HasSuffix(base, ".md") && !strings.EqualFold(base, "README.md")
}

// ParseAll parses several scenario files and checks that their ids are unique. It
// returns the scenarios without errors and every diagnostic, file by file.
func ParseAll(files []File) ([]*Scenario, Diagnostics) {
	var out []*Scenario
	var diags Diagnostics
	first := map[string]*Scenario{}
	for _, f := range files {
		sc, ds := Parse(f.Name, f.Data)
		if sc.ID != "" {
			if prev, dup := first[sc.ID]; dup {
				ds = append(ds, Diagnostic{File: f.Name, Line: idLine(f.Data), Field: "id", Message: fmt.Sprintf("duplicate id %q, first in %s, expected ids unique across scenarios", sc.ID, prev.File)})
			} else {
				first[sc.ID] = sc
			}
		}
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			out = append(out, sc)
		}
	}
	return out, diags
}

// Catalog is a set of scenarios looked up by id, in id order.
type Catalog struct {
	list []*Scenario
	byID map[string]*Scenario
}

// NewCatalog builds a catalog; ids must be unique.
func NewCatalog(list []*Scenario) (*Catalog, error) {
	c := &Catalog{byID: map[string]*Scenario{}}
	for _, sc := range list {
		if _, dup := c.byID[sc.ID]; dup {
			return nil, Errorf(ECONFLICT, "duplicate scenario id %q", sc.ID)
		}
		c.byID[sc.ID] = sc
		c.list = append(c.list, sc)
	}
	sort.Slice(c.list, func(i, j int) bool { return c.list[i].ID < c.list[j].ID })
	return c, nil
}

// LoadCatalog parses every scenario file of fsys (recursively) into a catalog; any error
// in any file fails it with the full list.
func LoadCatalog(fsys fs.FS) (*Catalog, error) {
	var files []File
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !IsScenarioFile(p) {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, File{Name: p, Data: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read scenarios: %w", err)
	}
	list, diags := ParseAll(files)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return NewCatalog(list)
}

// All returns the scenarios in id order.
func (c *Catalog) All() []*Scenario {
	return append([]*Scenario{}, c.list...)
}

// FindScenarioByID returns the scenario with the given id, or an ENOTFOUND *Error.
func (c *Catalog) FindScenarioByID(id string) (*Scenario, error) {
	if sc, ok := c.byID[id]; ok {
		return sc, nil
	}
	return nil, Errorf(ENOTFOUND, "no scenario %q, expected one of: %s", id, strings.Join(c.IDs(), ", "))
}

// IDs returns the scenario ids in order.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.list))
	for i, sc := range c.list {
		ids[i] = sc.ID
	}
	return ids
}

// idLine finds the line of the id field for a message about it; 1 when there is none.
func idLine(src []byte) int {
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "id:") {
			return i + 1
		}
	}
	return 1
}
