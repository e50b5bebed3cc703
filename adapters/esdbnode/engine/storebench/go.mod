module github.com/buergerbuero/buergerbuero/adapters/esdbnode/engine/storebench

go 1.26.8

require github.com/buergerbuero/buergerbuero v0.0.0

require (
	github.com/google/uuid v1.6.0 // indirect
	go.etcd.io/bbolt v1.5.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)

replace github.com/buergerbuero/buergerbuero => ../../../..
