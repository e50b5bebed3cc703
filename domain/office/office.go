package office

import (
	"fmt"
	"slices"

	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/hours"
)

// Office is the office aggregate. Create it with Establish, load it with
// FromEvents; the zero value is not usable.
type Office struct {
	domain.Base
	id           domain.OfficeID
	department   domain.DepartmentID
	name         string
	services     []Service
	schedule     hours.Schedule
	slotCapacity int
	clerks       map[domain.ClerkID]*clerk
	onDutyOrder  []domain.ClerkID
}

type clerk struct {
	paused bool
	call   domain.VisitID // zero when not in a call
}

// FromEvents rehydrates an office from its stream, oldest event first.
func FromEvents(history []domain.Event) (*Office, error) {
	if len(history) == 0 {
		return nil, ErrNotFound
	}
	if _, ok := history[0].(OfficeEstablished); !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "office stream starts with %s", history[0].EventType())
	}
	o := &Office{}
	for _, e := range history {
		if err := o.apply(e); err != nil {
			return nil, err
		}
		o.Loaded()
	}
	return o, nil
}

func (o *Office) record(e domain.Event) {
	if err := o.apply(e); err != nil {
		panic(fmt.Sprintf("office: recorded event does not apply: %v", err)) // programming error
	}
	o.Track(e)
}

func (o *Office) apply(e domain.Event) error {
	switch e := e.(type) {
	case OfficeEstablished:
		s, err := hours.New(e.Hours)
		if err != nil {
			return err
		}
		o.id, o.department, o.name, o.schedule, o.slotCapacity = e.OfficeID, e.DepartmentID, e.Name, s, e.SlotCapacity
		o.services = nil
		for _, sd := range e.Services {
			o.services = append(o.services, serviceFrom(sd))
		}
		o.clerks = map[domain.ClerkID]*clerk{}
	case OfficeServiceOffered:
		o.removeService(e.Service.ID)
		o.services = append(o.services, serviceFrom(e.Service))
	case OfficeServiceWithdrawn:
		o.removeService(e.ServiceID)
	case OfficeHoursSet:
		s, err := hours.New(e.Hours)
		if err != nil {
			return err
		}
		o.schedule = s
	case OfficeSlotCapacitySet:
		o.slotCapacity = e.SlotCapacity
	case ClerkWentOnDuty:
		o.clerks[e.ClerkID] = &clerk{}
		o.onDutyOrder = append(o.onDutyOrder, e.ClerkID)
	case ClerkPaused:
		c, err := o.clerkIn(e)
		if err != nil {
			return err
		}
		c.paused = true
	case ClerkResumed:
		c, err := o.clerkIn(e)
		if err != nil {
			return err
		}
		c.paused = false
	case ClerkWentOffDuty:
		delete(o.clerks, e.ClerkID)
		o.onDutyOrder = slices.DeleteFunc(o.onDutyOrder, func(id domain.ClerkID) bool { return id == e.ClerkID })
	case ClerkCallStarted:
		c, err := o.clerkIn(e)
		if err != nil {
			return err
		}
		c.call = e.VisitID
	case ClerkCallEnded:
		if c, ok := o.clerks[e.ClerkID]; ok {
			c.call = domain.VisitID{}
		}
	default:
		return domain.Wrapf(domain.ErrUnknownEvent, "office: %s", e.EventType())
	}
	return nil
}

// clerkIn returns the on-duty clerk an event is about; a stream where a
// clerk pauses or calls without being on duty is corrupt.
func (o *Office) clerkIn(e domain.Event) (*clerk, error) {
	var id domain.ClerkID
	switch e := e.(type) {
	case ClerkPaused:
		id = e.ClerkID
	case ClerkResumed:
		id = e.ClerkID
	case ClerkCallStarted:
		id = e.ClerkID
	}
	c, ok := o.clerks[id]
	if !ok {
		return nil, domain.Wrapf(domain.ErrUnknownEvent, "office: %s for clerk %s who is not on duty", e.EventType(), id)
	}
	return c, nil
}

func (o *Office) removeService(id domain.ServiceID) {
	o.services = slices.DeleteFunc(o.services, func(s Service) bool { return s.id == id })
}

func (o *Office) ID() domain.OfficeID             { return o.id }
func (o *Office) Department() domain.DepartmentID { return o.department }
func (o *Office) Name() string                    { return o.name }
func (o *Office) Schedule() hours.Schedule        { return o.schedule }
func (o *Office) SlotCapacity() int               { return o.slotCapacity }
func (o *Office) Services() []Service             { return slices.Clone(o.services) }

// Service returns the offered service with id.
func (o *Office) Service(id domain.ServiceID) (Service, bool) {
	i := slices.IndexFunc(o.services, func(s Service) bool { return s.id == id })
	if i < 0 {
		return Service{}, false
	}
	return o.services[i], true
}
