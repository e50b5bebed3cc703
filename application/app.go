package application

import (
	"errors"

	"github.com/buergerbuero/buergerbuero/application/appointments"
	"github.com/buergerbuero/buergerbuero/application/audit"
	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/application/command"
	"github.com/buergerbuero/buergerbuero/application/offices"
	"github.com/buergerbuero/buergerbuero/application/policies"
	"github.com/buergerbuero/buergerbuero/application/visits"
)

// Application is all the HTTP layer sees: commands change state, queries
// read it; both take a command.Context (who acts) where authorisation
// matters.
type Application struct {
	Commands Commands
	Queries  Queries
	// Policies are the event handlers the read-side router runs
	// (readside.Handler each).
	Policies []policies.Policy
	// Timers implement readside.TimerActions for the scheduler.
	Timers TimerActions
	// Tokens derive the citizens' capability tokens (for the HTTP layer's
	// links; it never needs to store them).
	Tokens command.Tokens
}

// Commands are the write use cases.
type Commands struct {
	// Offices
	EstablishOffice      offices.EstablishOfficeHandler
	SetOpeningHours      offices.SetOpeningHoursHandler
	SetHoursException    offices.SetHoursExceptionHandler
	RemoveHoursException offices.RemoveHoursExceptionHandler
	OfferService         offices.OfferServiceHandler
	WithdrawService      offices.WithdrawServiceHandler
	SetSlotCapacity      offices.SetSlotCapacityHandler
	GoOnDuty             offices.GoOnDutyHandler
	PauseDuty            offices.PauseDutyHandler
	ResumeDuty           offices.ResumeDutyHandler
	GoOffDuty            offices.GoOffDutyHandler
	// Visits
	Knock               visits.KnockHandler
	Withdraw            visits.WithdrawHandler
	Heartbeat           visits.HeartbeatHandler
	PresenceLost        visits.PresenceLostHandler
	Expire              visits.ExpireHandler
	AdmitVisit          visits.AdmitVisitHandler
	AdmitNext           *visits.AdmitNextHandler // nil without a QueueReader
	Decline             visits.DeclineHandler
	SendMessage         visits.SendMessageHandler
	ReturnToWaitingRoom visits.ReturnToWaitingRoomHandler
	StartCall           visits.StartCallHandler
	EndVisit            visits.EndVisitHandler
	// Appointments
	BookAppointment       appointments.BookAppointmentHandler
	CancelAppointment     appointments.CancelAppointmentHandler
	RescheduleAppointment appointments.RescheduleAppointmentHandler
	RecordNoShow          appointments.RecordNoShowHandler
	CheckInAppointment    appointments.CheckInAppointmentHandler
	// Cases
	AddNote               cases.AddNoteHandler
	RequestDocument       cases.RequestDocumentHandler
	ReceiveDocument       cases.ReceiveDocumentHandler
	ChangeCaseStatus      cases.ChangeStatusHandler
	HandOverCase          cases.HandOverHandler
	ProposeFollowUp       cases.ProposeFollowUpHandler
	CloseCase             cases.CloseCaseHandler
	RecordCallParticipant cases.RecordCallParticipantHandler
}

// Queries are the read use cases answered from the event store (the read
// models of application/readmodel answer the rest).
type Queries struct {
	FreeSlots   appointments.FreeSlotsHandler
	VisitStatus visits.VisitStatusHandler
	CitizenCase cases.CitizenCaseHandler
	GetDocument cases.GetDocumentHandler
	// Audit: each call is recorded as CaseAuditAccessed.
	ReplayCase  audit.ReplayCaseHandler
	CaseStateAt audit.CaseStateAtHandler
	VerifyCase  audit.VerifyCaseHandler
	ExportCase  audit.ExportCaseHandler
	// CaseAuditLog shows the recorded audit accesses (auditors, admins).
	CaseAuditLog audit.GetCaseAuditLogHandler
}

// New validates cfg and wires every handler.
func New(cfg Config) (*Application, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	env := command.Env{Store: cfg.Store, Clock: cfg.Clock, IDs: cfg.IDs}
	tokens, err := command.NewHMACTokens(cfg.TokenKey)
	if err != nil {
		return nil, err
	}
	refs, err := cases.NewReferenceAllocator(cfg.Store, cfg.ReferencePrefix)
	if err != nil {
		return nil, err
	}
	cd := cases.Deps{Env: env, Tokens: tokens, Blobs: cfg.Blobs, References: refs}
	vd := visits.Deps{Env: env, Tokens: tokens, Cases: cd, Queue: cfg.Queue, GracePeriod: cfg.GracePeriod, Pages: visits.NewPages()}
	ad := appointments.Deps{Env: env, Tokens: tokens, Window: cfg.CheckInWindow}

	var errs []error
	app := &Application{Tokens: tokens}
	c := &app.Commands
	set(&c.EstablishOffice, &errs)(offices.NewEstablishOfficeHandler(env))
	set(&c.SetOpeningHours, &errs)(offices.NewSetOpeningHoursHandler(env))
	set(&c.SetHoursException, &errs)(offices.NewSetHoursExceptionHandler(env))
	set(&c.RemoveHoursException, &errs)(offices.NewRemoveHoursExceptionHandler(env))
	set(&c.OfferService, &errs)(offices.NewOfferServiceHandler(env))
	set(&c.WithdrawService, &errs)(offices.NewWithdrawServiceHandler(env))
	set(&c.SetSlotCapacity, &errs)(offices.NewSetSlotCapacityHandler(env))
	set(&c.GoOnDuty, &errs)(offices.NewGoOnDutyHandler(env))
	set(&c.PauseDuty, &errs)(offices.NewPauseDutyHandler(env))
	set(&c.ResumeDuty, &errs)(offices.NewResumeDutyHandler(env))
	set(&c.GoOffDuty, &errs)(offices.NewGoOffDutyHandler(env))

	set(&c.Knock, &errs)(visits.NewKnockHandler(vd))
	set(&c.Withdraw, &errs)(visits.NewWithdrawHandler(vd))
	set(&c.Heartbeat, &errs)(visits.NewHeartbeatHandler(vd))
	set(&c.PresenceLost, &errs)(visits.NewPresenceLostHandler(vd))
	set(&c.Expire, &errs)(visits.NewExpireHandler(vd))
	set(&c.AdmitVisit, &errs)(visits.NewAdmitVisitHandler(vd))
	if cfg.Queue != nil {
		var next visits.AdmitNextHandler
		set(&next, &errs)(visits.NewAdmitNextHandler(vd))
		c.AdmitNext = &next
	}
	set(&c.Decline, &errs)(visits.NewDeclineHandler(vd))
	set(&c.SendMessage, &errs)(visits.NewSendMessageHandler(vd))
	set(&c.ReturnToWaitingRoom, &errs)(visits.NewReturnToWaitingRoomHandler(vd))
	set(&c.StartCall, &errs)(visits.NewStartCallHandler(vd))
	set(&c.EndVisit, &errs)(visits.NewEndVisitHandler(vd))

	set(&c.BookAppointment, &errs)(appointments.NewBookAppointmentHandler(ad))
	set(&c.CancelAppointment, &errs)(appointments.NewCancelAppointmentHandler(ad))
	set(&c.RescheduleAppointment, &errs)(appointments.NewRescheduleAppointmentHandler(ad))
	set(&c.RecordNoShow, &errs)(appointments.NewRecordNoShowHandler(ad))
	set(&c.CheckInAppointment, &errs)(appointments.NewCheckInAppointmentHandler(ad))

	set(&c.AddNote, &errs)(cases.NewAddNoteHandler(cd))
	set(&c.RequestDocument, &errs)(cases.NewRequestDocumentHandler(cd))
	set(&c.ReceiveDocument, &errs)(cases.NewReceiveDocumentHandler(cd))
	set(&c.ChangeCaseStatus, &errs)(cases.NewChangeStatusHandler(cd))
	set(&c.HandOverCase, &errs)(cases.NewHandOverHandler(cd))
	set(&c.ProposeFollowUp, &errs)(cases.NewProposeFollowUpHandler(cd))
	set(&c.CloseCase, &errs)(cases.NewCloseCaseHandler(cd))
	set(&c.RecordCallParticipant, &errs)(cases.NewRecordCallParticipantHandler(cd))

	q := &app.Queries
	set(&q.FreeSlots, &errs)(appointments.NewFreeSlotsHandler(ad))
	set(&q.VisitStatus, &errs)(visits.NewVisitStatusHandler(vd))
	set(&q.CitizenCase, &errs)(cases.NewCitizenCaseHandler(cd))
	set(&q.GetDocument, &errs)(cases.NewGetDocumentHandler(cd))
	aud := audit.Deps{Env: env, Checkpoints: cfg.Checkpoints}
	if cfg.Keyring != nil {
		aud.Keys = cfg.Keyring.Public()
	}
	set(&q.ReplayCase, &errs)(audit.NewReplayCaseHandler(aud))
	set(&q.CaseStateAt, &errs)(audit.NewCaseStateAtHandler(aud))
	set(&q.VerifyCase, &errs)(audit.NewVerifyCaseHandler(aud))
	set(&q.ExportCase, &errs)(audit.NewExportCaseHandler(aud))
	set(&q.CaseAuditLog, &errs)(audit.NewGetCaseAuditLogHandler(aud))

	set(&app.Policies, &errs)(policies.All(policies.Deps{Env: env, Cases: cd, Appointments: ad}))
	var atStart visits.LosePresenceAtStartHandler
	set(&atStart, &errs)(visits.NewLosePresenceAtStartHandler(vd))
	app.Timers = TimerActions{expire: c.Expire, noShow: c.RecordNoShow, atStart: atStart}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return app, nil
}

// set returns a function that stores a constructor's result in dst and
// its error in errs, so New reports every wiring problem at once.
func set[T any](dst *T, errs *[]error) func(T, error) {
	return func(v T, err error) {
		*dst = v
		if err != nil {
			*errs = append(*errs, err)
		}
	}
}
