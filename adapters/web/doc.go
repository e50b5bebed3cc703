// Package web is the server-rendered user interface of the Virtuelles
// Bürgerbüro: the citizen portal, the clerk workspace, the auditor's replay and
// the administration pages.
//
// Pages are Go html/template documents styled with KERN UX (the open UX
// standard of the German public administration); every text comes from the
// message catalogues in i18n/ (German first, English selectable). Everything
// that needs no live media works without JavaScript: forms post to these
// handlers, which call the ports and redirect (POST-redirect-GET). Small ES
// modules in static/js add live updates (server-sent events), the knock alert,
// the device check and the WebRTC call.
//
// The package declares the ports it needs (ports.go) with view structs that
// hold only what a page shows; the composition root adapts the application's
// queries and commands to them and hands the pages to the API, which serves
// every page route through its own pipeline (staff sessions, permissions,
// rate limits, the error mapper):
//
//	pages, err := web.New(web.Config{Ports: ports, SecureCookies: true})
//	api, err := httpapi.New(cfg, httpapi.Deps{…, Pages: pages})
//
// Package webtest holds an in-memory implementation of every port for tests
// and demos, and Serve, which puts it behind the API.
package web
