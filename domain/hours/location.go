package hours

import (
	"time"
	_ "time/tzdata" // embedded zone database: minimal machines lack zoneinfo
)

var berlin = mustLoadBerlin()

func mustLoadBerlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic("hours: Europe/Berlin not available: " + err.Error())
	}
	return loc
}

// Location returns Europe/Berlin, the zone all opening hours are given in.
func Location() *time.Location { return berlin }
