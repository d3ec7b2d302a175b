module github.com/neurogen/neurogen

go 1.26.0

require (
	github.com/Knetic/govaluate v3.0.0+incompatible
	github.com/dave/jennifer v1.7.1
	github.com/goccy/go-yaml v1.19.2
	github.com/google/go-cmp v0.7.0
	github.com/pmezard/go-difflib v1.0.0
	gonum.org/v1/gonum v0.17.0
)
