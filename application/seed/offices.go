package seed

import (
	"time"

	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// OfficeID returns the derived ID of a demo office by its slug
// ("buergerdienste", "auslaenderbehoerde", "standesamt").
func OfficeID(slug string) domain.OfficeID {
	return domain.IDFrom[domain.OfficeID](command.DeriveID("seed-office", slug))
}

// ServiceID returns the derived ID of a demo service by office and service slug.
func ServiceID(office, service string) domain.ServiceID {
	return domain.IDFrom[domain.ServiceID](command.DeriveID("seed-service", office, service))
}

func departmentID(slug string) domain.DepartmentID {
	return domain.IDFrom[domain.DepartmentID](command.DeriveID("seed-department", slug))
}

// Hours are the demo opening hours: Monday to Friday 08:00–12:00, Tuesday
// and Thursday also 14:00–18:00 (Europe/Berlin), closed on the public
// holidays of 2026 and 2027 that fall on weekdays, with short hours on
// Christmas and New Year's Eve.
func Hours() hours.Spec {
	morning := hours.IntervalSpec{From: "08:00", To: "12:00"}
	afternoon := hours.IntervalSpec{From: "14:00", To: "18:00"}
	day := func(wd string, ivs ...hours.IntervalSpec) hours.DaySpec {
		return hours.DaySpec{Weekday: wd, Intervals: ivs}
	}
	closed := func(date, note string) hours.ExceptionSpec {
		return hours.ExceptionSpec{Date: date, Closed: true, Note: note}
	}
	short := func(date, note string) hours.ExceptionSpec {
		return hours.ExceptionSpec{Date: date, Intervals: []hours.IntervalSpec{{From: "08:00", To: "10:00"}}, Note: note}
	}
	return hours.Spec{
		Weekly: []hours.DaySpec{
			day("monday", morning), day("tuesday", morning, afternoon), day("wednesday", morning),
			day("thursday", morning, afternoon), day("friday", morning),
		},
		Exceptions: []hours.ExceptionSpec{
			closed("2026-04-03", "Karfreitag"), closed("2026-04-06", "Ostermontag"),
			closed("2026-05-01", "Tag der Arbeit"), closed("2026-05-14", "Christi Himmelfahrt"),
			closed("2026-05-25", "Pfingstmontag"), closed("2026-06-04", "Fronleichnam"),
			short("2026-12-24", "Heiligabend"), closed("2026-12-25", "1. Weihnachtstag"),
			short("2026-12-31", "Silvester"), closed("2027-01-01", "Neujahr"),
		},
	}
}

type demoService struct {
	slug, name string
	minutes    int
}

type demoOffice struct {
	slug, name string
	capacity   int
	services   []demoService
	allHours   bool // open around the clock, so a demo works at any hour
}

// AroundTheClock is open every day from 00:00 to 24:00, for the
// demonstration office: whoever tries the demo in the evening can still
// knock once the demo clerk goes on duty.
func AroundTheClock() hours.Spec {
	var week []hours.DaySpec
	for _, wd := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		week = append(week, hours.DaySpec{Weekday: wd, Intervals: []hours.IntervalSpec{{From: "00:00", To: "24:00"}}})
	}
	return hours.Spec{Weekly: week}
}

var demo = []demoOffice{
	{slug: "buergerdienste", name: "Bürgerdienste", capacity: 3, services: []demoService{
		{"personalausweis", "Personalausweis beantragen", 20},
		{"reisepass", "Reisepass beantragen", 20},
		{"wohnsitz-anmelden", "Wohnsitz anmelden", 15},
		{"fuehrungszeugnis", "Führungszeugnis beantragen", 10},
	}},
	{slug: "auslaenderbehoerde", name: "Ausländerbehörde", capacity: 2, services: []demoService{
		{"aufenthaltstitel-verlaengern", "Aufenthaltstitel verlängern", 30},
		{"verpflichtungserklaerung", "Verpflichtungserklärung abgeben", 20},
	}},
	{slug: "standesamt", name: "Standesamt", capacity: 1, services: []demoService{
		{"geburtsurkunde", "Geburtsurkunde beantragen", 10},
		{"eheschliessung-anmelden", "Eheschließung anmelden", 30},
	}},
	{slug: "demo-sprechstunde", name: "Demo-Sprechstunde (rund um die Uhr)", capacity: 2, allHours: true, services: []demoService{
		{"allgemeine-auskunft", "Allgemeine Auskunft", 10},
		{"meldebescheinigung", "Meldebescheinigung", 10},
	}},
}

// Offices returns the commands that establish the demo offices.
func Offices() []offices.EstablishOffice {
	out := make([]offices.EstablishOffice, 0, len(demo))
	for _, o := range demo {
		cmd := offices.EstablishOffice{
			OfficeID: OfficeID(o.slug), DepartmentID: departmentID(o.slug), Name: o.name,
			Hours: Hours(), SlotCapacity: o.capacity,
		}
		if o.allHours {
			cmd.Hours = AroundTheClock()
		}
		for _, s := range o.services {
			cmd.Services = append(cmd.Services, offices.ServiceSpec{
				ID: ServiceID(o.slug, s.slug), Name: s.name, TypicalDuration: time.Duration(s.minutes) * time.Minute,
			})
		}
		out = append(out, cmd)
	}
	return out
}
