package webbridge

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/buergerbuero/buergerbuero/adapters/web"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
	"github.com/buergerbuero/buergerbuero/domain/office"
)

type officesPort struct{ b *bridge }

// officeView combines the door and queue read models (live state) with the
// office aggregate (services and hours, which no read model lists).
func (b *bridge) officeView(ctx context.Context, id domain.OfficeID) (web.OfficeView, *office.Office, error) {
	o, err := b.office(ctx, id)
	if err != nil {
		return web.OfficeView{}, nil, err
	}
	now := b.Now()
	v := web.OfficeView{ID: id.String(), Name: o.Name(), Door: web.DoorClosed, Hours: hoursLines(o.Schedule().Spec())}
	if d, ok := b.Models.Doors.Door(id, now); ok {
		v.Door = d.State.String()
		if d.State == office.DoorClosed {
			v.NextOpening = nextOpening(o.Schedule(), d.NextOpening, now)
		}
	}
	v.Waiting = len(b.Models.Queues.Queue(id, now).Waiting)
	for _, s := range o.Services() {
		v.Services = append(v.Services, web.ServiceView{ID: s.ID().String(), Name: s.Name(), Minutes: int(s.TypicalDuration().Minutes())})
	}
	return v, o, nil
}

// nextOpening is when a closed door opens next: the next opening period
// when the office is outside its hours now, else (within hours, nobody
// serving) the door model's next period after the current one.
func nextOpening(s hours.Schedule, afterCurrent, now time.Time) time.Time {
	if !s.IsOpenAt(now) {
		if t, ok := s.NextOpening(now); ok {
			return t
		}
		return time.Time{}
	}
	return afterCurrent
}

// hoursLines turns a weekly schedule into one line per opening interval.
func hoursLines(s hours.Spec) []web.HoursLine {
	var out []web.HoursLine
	for _, d := range s.Weekly {
		day := strings.ToLower(d.Weekday)
		if len(day) > 3 {
			day = day[:3]
		}
		for _, iv := range d.Intervals {
			out = append(out, web.HoursLine{Day: day, Open: iv.From, Close: iv.To})
		}
	}
	return out
}

// officeIDs lists the offices the door model knows.
func (b *bridge) officeIDs() []domain.OfficeID {
	doors := b.Models.Doors.All(b.Now())
	ids := make([]domain.OfficeID, len(doors))
	for i, d := range doors {
		ids[i] = d.OfficeID
	}
	return ids
}

func (b *bridge) officeViews(ctx context.Context, ids []domain.OfficeID) ([]web.OfficeView, error) {
	out := make([]web.OfficeView, 0, len(ids))
	for _, id := range ids {
		v, _, err := b.officeView(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, c web.OfficeView) int { return strings.Compare(a.Name, c.Name) })
	return out, nil
}

func (o officesPort) ListOffices(ctx context.Context) ([]web.OfficeView, error) {
	return o.b.officeViews(ctx, o.b.officeIDs())
}

func (o officesPort) Office(ctx context.Context, officeID string) (web.OfficeView, error) {
	id, err := idOf(domain.ParseID[domain.OfficeID], officeID, "office")
	if err != nil {
		return web.OfficeView{}, err
	}
	v, _, err := o.b.officeView(ctx, id)
	return v, err
}

func (o officesPort) WatchDoors(ctx context.Context) (<-chan web.DoorUpdate, error) {
	b := o.b
	ch, cancel := b.Notifier.Subscribe(readside.Filter{Kinds: []readside.Kind{readside.KindDoor, readside.KindQueue}})
	out := make(chan web.DoorUpdate, 16)
	go func() {
		defer close(out)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case c, open := <-ch:
				if !open {
					return
				}
				var ids []domain.OfficeID
				if c.OfficeID.IsZero() || c.Missed > 0 {
					ids = b.officeIDs()
				} else {
					ids = []domain.OfficeID{c.OfficeID}
				}
				now := b.Now()
				for _, id := range ids {
					d, ok := b.Models.Doors.Door(id, now)
					if !ok {
						continue
					}
					u := web.DoorUpdate{OfficeID: id.String(), Door: d.State.String(), Waiting: len(b.Models.Queues.Queue(id, now).Waiting), Version: b.nextVersion()}
					select {
					case out <- u:
					default:
					}
				}
			}
		}
	}()
	return out, nil
}
