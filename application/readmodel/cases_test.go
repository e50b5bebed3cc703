package readmodel_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/buergerbuero/buergerbuero/application/readmodel"
	"github.com/buergerbuero/buergerbuero/application/readside"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

func caseID() domain.CaseID { return domain.IDFrom[domain.CaseID](uuid.New()) }

func reference(t *testing.T, n int) casefile.Reference {
	t.Helper()
	r, err := casefile.NewReference("DO", 2026, n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCasesPerOfficeAndClerk(t *testing.T) {
	n := &recordingNotifier{}
	cs := readmodel.NewCases(n)
	f := newFeed(t)
	mitte, nord := officeID(), officeID()
	anna, ben := clerkID(), clerkID()
	c1, c2 := caseID(), caseID()
	req := domain.IDFrom[domain.DocumentRequestID](uuid.New())
	f.to(cs,
		casefile.CaseOpened{CaseID: c1, Reference: reference(t, 1), OfficeID: mitte, ClerkID: anna, OpenedAt: tuesday(9, 0)},
		casefile.CaseOpened{CaseID: c2, Reference: reference(t, 2), OfficeID: mitte, ClerkID: anna, OpenedAt: tuesday(9, 30)},
		casefile.CaseDocumentRequested{CaseID: c1, RequestID: req, What: "Meldebescheinigung", RequestedAt: tuesday(9, 10)},
		casefile.CaseStatusChanged{CaseID: c1, From: casefile.StatusOpen, To: casefile.StatusWaitingForCitizen, ChangedAt: tuesday(9, 11)},
		casefile.CaseHandedOver{CaseID: c2, FromOfficeID: mitte, ToOfficeID: nord, FromClerkID: anna, ToClerkID: ben, HandedOverAt: tuesday(10, 0)},
		casefile.CaseClosed{CaseID: c2, Outcome: casefile.OutcomeCompleted, Summary: "private", ClosedAt: tuesday(11, 0)},
	)
	f.replay(cs)

	got, _ := cs.Case(c1)
	if got.Status != casefile.StatusWaitingForCitizen || got.OpenDocumentRequests != 1 || !got.LastActivityAt.Equal(tuesday(9, 11)) {
		t.Errorf("c1 = %+v", got)
	}
	f.to(cs, casefile.CaseDocumentReceived{CaseID: c1, RequestID: req, FileName: "scan.pdf", ReceivedAt: tuesday(12, 0)})
	if got, _ := cs.Case(c1); got.OpenDocumentRequests != 0 {
		t.Errorf("open requests %d after receipt, want 0", got.OpenDocumentRequests)
	}
	lists := []struct {
		name string
		f    readmodel.CaseFilter
		want []domain.CaseID
	}{
		{"office mitte", readmodel.CaseFilter{OfficeID: mitte}, []domain.CaseID{c1}},
		{"office nord", readmodel.CaseFilter{OfficeID: nord}, []domain.CaseID{c2}},
		{"clerk anna", readmodel.CaseFilter{ClerkID: anna}, []domain.CaseID{c1}},
		{"clerk ben, open only", readmodel.CaseFilter{ClerkID: ben, OpenOnly: true}, nil},
		{"all, newest first", readmodel.CaseFilter{}, []domain.CaseID{c2, c1}},
	}
	for _, l := range lists {
		var ids []domain.CaseID
		for _, s := range cs.List(l.f) {
			ids = append(ids, s.CaseID)
		}
		if len(ids) != len(l.want) || (len(ids) > 0 && ids[0] != l.want[0]) {
			t.Errorf("%s: %v, want %v", l.name, ids, l.want)
		}
	}
	closed, _ := cs.Case(c2)
	if closed.Outcome != casefile.OutcomeCompleted || !closed.ClosedAt.Equal(tuesday(11, 0)) || closed.Status != casefile.StatusClosed {
		t.Errorf("c2 = %+v", closed)
	}
	handover := 0
	for _, ch := range n.got {
		if ch.Kind == readside.KindCase && ch.CaseID == c2 && (ch.ClerkID == anna || ch.ClerkID == ben) {
			handover++
		}
	}
	if handover < 2 {
		t.Errorf("the hand-over did not tell both clerks' lists: %d changes", handover)
	}
}
