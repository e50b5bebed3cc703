package hours

// Spec is the plain, JSON-stable form of a Schedule, carried in events.
// Weekdays are lower-case English names ("monday"), times "HH:MM", dates
// "YYYY-MM-DD". Build a Schedule from it with New.
type Spec struct {
	Weekly     []DaySpec       `json:"weekly"`
	Exceptions []ExceptionSpec `json:"exceptions,omitempty"`
}

// DaySpec lists the opening intervals of one weekday.
type DaySpec struct {
	Weekday   string         `json:"weekday"`
	Intervals []IntervalSpec `json:"intervals"`
}

// IntervalSpec is one opening interval, e.g. {"08:00", "12:30"}.
type IntervalSpec struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ExceptionSpec replaces the weekly hours on one date: closed all day
// (holiday, closure) or open only in the given intervals (special hours).
type ExceptionSpec struct {
	Date      string         `json:"date"`
	Closed    bool           `json:"closed,omitempty"`
	Intervals []IntervalSpec `json:"intervals,omitempty"`
	Note      string         `json:"note,omitempty"`
}
