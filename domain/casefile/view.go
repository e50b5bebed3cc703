package casefile

import "time"

// CitizenView is what a citizen may see of their case.
type CitizenView struct {
	Reference Reference
	Status    Status
	Notes     []CitizenNote
}

// CitizenNote is a note visible to the citizen, without its author.
type CitizenNote struct {
	Text    string
	AddedAt time.Time
}

// CitizenViewOf returns the citizen's view of c: reference, status and the
// notes marked visible; internal notes never appear.
func CitizenViewOf(c *Case) CitizenView {
	v := CitizenView{Reference: c.reference, Status: c.status}
	for _, n := range c.notes {
		if n.Visibility == VisibleCitizen {
			v.Notes = append(v.Notes, CitizenNote{Text: n.Text, AddedAt: n.AddedAt})
		}
	}
	return v
}
