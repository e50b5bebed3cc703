package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/buergerbuero/buergerbuero/application/cases"
	"github.com/buergerbuero/buergerbuero/domain"
	"github.com/buergerbuero/buergerbuero/domain/casefile"
)

type uploadInput struct {
	CaseID    string `path:"caseId" format:"uuid" maxLength:"36" doc:"Case ID"`
	RequestID string `path:"requestId" format:"uuid" maxLength:"36" doc:"The document request being answered"`
	FileName  string `query:"fileName" required:"true" minLength:"1" maxLength:"255" doc:"Original file name"`
	// ClientRequestID makes a retried upload store the document once.
	ClientRequestID string `query:"clientRequestId" format:"uuid" maxLength:"36" doc:"Client-chosen ID of this upload (optional): repeating the request with the same ID stores the document once"`
	RawBody         []byte `doc:"The document (PDF, JPEG or PNG); at most 50 MiB"`
}

// ReceivedDocument identifies a stored document by its digest.
type ReceivedDocument struct {
	SHA256    string `json:"sha256" maxLength:"64" pattern:"^[0-9a-f]{64}$"`
	SizeBytes int64  `json:"sizeBytes" minimum:"0"`
}

type uploadOutput struct{ Body ReceivedDocument }

type downloadInput struct {
	OfficeCasePath
	SHA256 string `path:"sha256" pattern:"^[0-9a-f]{64}$" maxLength:"64" doc:"Digest of the document"`
}

func registerDocumentRoutes(a *API) {
	Register(a, huma.Operation{
		OperationID: "upload-document", Method: http.MethodPost, Path: "/cases/{caseId}/document-requests/{requestId}/document", DefaultStatus: http.StatusCreated,
		Summary:      "Upload a requested document",
		Description:  "The raw file is the request body. Only PDF, PNG and JPEG are accepted, recognised by their content (magic bytes), not by the declared Content-Type or the file name: anything else (SVG, HTML, office files, …) is 422 `document_type_not_allowed`. Bodies over 50 MiB are 413.",
		MaxBodyBytes: casefile.MaxDocumentSize,
		Errors:       []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
		RequestBody: &huma.RequestBody{Required: true, Description: "The document", Content: map[string]*huma.MediaType{
			"application/pdf": {Schema: binarySchema()}, "image/jpeg": {Schema: binarySchema()}, "image/png": {Schema: binarySchema()},
			"application/octet-stream": {Schema: binarySchema()},
		}},
	}, Permission{Audience: Citizen, Subject: SubjectCase, SubjectParam: "caseId"}, a.uploadDocument)
	// Huma describes a raw body as an unbounded binary string; bound it.
	if p := a.huma.OpenAPI().Paths[BasePath+"/cases/{caseId}/document-requests/{requestId}/document"]; p != nil && p.Post != nil {
		for _, mt := range p.Post.RequestBody.Content {
			mt.Schema = binarySchema()
		}
	}
	Register(a, huma.Operation{
		OperationID: "download-document", Method: http.MethodGet, Path: "/offices/{officeId}/cases/{caseId}/documents/{sha256}",
		Summary: "Download a document of a case", Tags: []string{"clerk"}, Errors: []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The document", Content: map[string]*huma.MediaType{
			"application/octet-stream": {Schema: binarySchema()},
		}}},
	}, Permission{Audience: Clerk, OfficeParam: "officeId"}, a.downloadDocument)
}

func binarySchema() *huma.Schema {
	return &huma.Schema{Type: "string", Format: "binary", MaxLength: ptr(int(casefile.MaxDocumentSize))}
}

func (a *API) uploadDocument(ctx context.Context, in *uploadInput) (*uploadOutput, error) {
	app, _, err := a.business()
	if err != nil {
		return nil, err
	}
	id, err := idOf("path.caseId", in.CaseID, domain.ParseID[domain.CaseID])
	if err != nil {
		return nil, err
	}
	req, err := idOf("path.requestId", in.RequestID, domain.ParseID[domain.DocumentRequestID])
	if err != nil {
		return nil, err
	}
	client := domain.RequestID{}
	if in.ClientRequestID != "" {
		if client, err = idOf("query.clientRequestId", in.ClientRequestID, domain.ParseID[domain.RequestID]); err != nil {
			return nil, err
		}
	}
	doc, err := app.Commands.ReceiveDocument.Handle(ctx, CommandContext(ctx), cases.ReceiveDocument{
		CaseID: id, Token: a.citizenToken(ctx), RequestID: req, FileName: in.FileName, Content: bytes.NewReader(in.RawBody), ClientRequest: client,
	})
	if err != nil {
		return nil, err
	}
	return &uploadOutput{Body: ReceivedDocument{SHA256: doc.SHA256, SizeBytes: doc.SizeBytes}}, nil
}

func (a *API) downloadDocument(ctx context.Context, in *downloadInput) (*huma.StreamResponse, error) {
	id, _, err := a.officeCase(ctx, in.OfficeCasePath)
	if err != nil {
		return nil, err
	}
	rc, err := a.deps.App.Queries.GetDocument.Handle(ctx, CommandContext(ctx), cases.GetDocument{CaseID: id, SHA256: in.SHA256})
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		defer rc.Close()
		hctx.SetHeader("Content-Type", "application/octet-stream")
		hctx.SetHeader("Content-Disposition", `attachment; filename="`+in.SHA256+`"`)
		_, _ = io.Copy(hctx.BodyWriter(), rc)
	}}, nil
}
