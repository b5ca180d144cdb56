module chatdojo

go 1.26.8

require (
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.6
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/jonreiter/govader v0.0.0-20250429093935-f6505c8d03cc // indirect
	gonum.org/v1/gonum v0.8.2 // indirect
)
