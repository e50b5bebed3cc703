package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/buergerbuero/buergerbuero/adapters/system"
	"github.com/buergerbuero/buergerbuero/application/seed"
	appstaff "github.com/buergerbuero/buergerbuero/application/staff"
	"github.com/buergerbuero/buergerbuero/domain"
)

// wireProduct builds everything above the event store client through the
// one system constructor and seeds the demo data when asked.
func wireProduct(ctx context.Context, cfg serveConfig, client *esdb.Client, log *slog.Logger) (*system.System, func() error, error) {
	key, err := loadOrCreateTokenKey(cfg)
	if err != nil {
		return nil, nil, err
	}
	keyring, err := loadSigningKeys(cfg)
	if err != nil {
		return nil, nil, err
	}
	sys, cleanup, err := system.New(ctx, system.Config{
		Signing: keyring, CheckpointInterval: cfg.checkpointInterval,
		DataDir: cfg.data, TokenKey: key, Media: cfg.media, Logger: log, SecureCookies: cfg.secureCookies,
		Ready: storeReady(cfg), // not ready while the event store cannot write (disk full)
	}, client)
	if err != nil {
		return nil, nil, err
	}
	if cfg.demo {
		if err := seedDemo(ctx, sys, cfg, log); err != nil {
			_ = cleanup()
			return nil, nil, err
		}
	}
	return sys, cleanup, nil
}

// seedDemo creates the demo offices and staff users. The password comes from
// BUERGERBUERO_DEMO_PASSWORD, else it is generated and printed once.
func seedDemo(ctx context.Context, sys *system.System, cfg serveConfig, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := seed.Run(ctx, sys.App.Commands.EstablishOffice)
	if err != nil {
		return fmt.Errorf("seed demo offices: %w", err)
	}
	var offices []domain.OfficeID
	for _, o := range seed.Offices() {
		offices = append(offices, o.OfficeID)
	}
	demo, err := sys.Staff.SeedDemo(ctx, appstaff.DemoOptions{ClerkOffices: offices, Password: cfg.demoPassword})
	if err != nil {
		return fmt.Errorf("seed demo staff: %w", err)
	}
	log.Info("demo data ready", "offices_created", res.Created, "offices_existing", res.Existing)
	if demo.Generated {
		fmt.Fprintf(cfg.stdout, "Demo-Zugänge / demo logins: %v, Passwort / password: %s (only shown now; set %s to choose one)\n",
			demo.Usernames, demo.Password, appstaff.DemoPasswordEnv)
	} else {
		fmt.Fprintf(cfg.stdout, "Demo-Zugänge / demo logins: %v, password from %s\n", demo.Usernames, appstaff.DemoPasswordEnv)
	}
	return nil
}
