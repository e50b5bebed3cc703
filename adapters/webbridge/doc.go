// Package webbridge implements the ports of the web pages (adapters/web)
// over the application: commands go to application.Commands, pages read the
// read models (application/readmodel) and, where a page shows what the read
// models leave out on purpose (names, messages, notes), the aggregate's own
// stream; live views follow the read side's ChangeNotifier.
//
// After a command the bridge waits, briefly, until the read side has applied
// the command's position (read-your-writes), so the page a form redirects
// to shows the new state.
//
// The composition root builds it next to the JSON API:
//
//	codes := webbridge.NewCodeIndex() // a read-side handler: add it to the bus
//	ports, err := webbridge.New(webbridge.Deps{App: app, Models: models, Notifier: fanout,
//		Staff: staffSvc, Store: store, Progress: bus, Codes: codes, Calls: bridge.Calls})
//
// Nothing here logs personal data.
package webbridge
