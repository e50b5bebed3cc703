package httpapi

import (
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// docs serves a self-contained reference page rendered from the OpenAPI
// document: no scripts, fonts or styles from third parties, so reading the
// docs tells no CDN who works at the city hall.
func (a *API) docs(w http.ResponseWriter, _ *http.Request) {
	type opView struct {
		Method, Path, ID, Summary, Description, Permission string
		Tags                                               []string
	}
	var ops []opView
	for path, item := range a.huma.OpenAPI().Paths {
		for method, op := range operationsOf(item) {
			perm, _ := op.Extensions["x-permission"].(string)
			ops = append(ops, opView{Method: method, Path: path, ID: op.OperationID, Summary: op.Summary,
				Description: op.Description, Permission: perm, Tags: op.Tags})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_ = docsPage.Execute(w, struct {
		Title, Description string
		Ops                []opView
	}{Title, apiDescription, ops})
}

// operationsOf lists the operations of a path item by method.
func operationsOf(p *huma.PathItem) map[string]*huma.Operation {
	m := map[string]*huma.Operation{}
	for method, op := range map[string]*huma.Operation{
		http.MethodGet: p.Get, http.MethodPost: p.Post, http.MethodPut: p.Put, http.MethodPatch: p.Patch,
		http.MethodDelete: p.Delete, http.MethodHead: p.Head, http.MethodOptions: p.Options,
	} {
		if op != nil {
			m[method] = op
		}
	}
	return m
}

var docsPage = template.Must(template.New("docs").Funcs(template.FuncMap{"join": strings.Join}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code{background:#f3f3f3;padding:0 .2rem}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font-weight:bold;display:inline-block;min-width:4.5rem}.p{color:#555}</style></head>
<body><h1>{{.Title}}</h1>
<p>Machine-readable: <a href="/openapi.json">openapi.json</a>, <a href="/openapi.yaml">openapi.yaml</a> (OpenAPI 3.1).</p>
<pre style="white-space:pre-wrap">{{.Description}}</pre>
<h2>Operations</h2>
{{range .Ops}}<section id="{{.ID}}"><div><span class="m">{{.Method}}</span> <code>{{.Path}}</code> — <strong>{{.Summary}}</strong></div>
<div class="p">Operation <code>{{.ID}}</code> · tags: {{join .Tags ", "}}</div>
<div class="p">Who may call it: {{.Permission}}</div>
{{if .Description}}<p>{{.Description}}</p>{{end}}</section>
{{end}}</body></html>
`))
