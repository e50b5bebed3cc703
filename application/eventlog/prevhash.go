package eventlog

import (
	"encoding/json"
	"fmt"
)

// PrevHashOf reads PrevHash from an event's stored metadata, the bytes its
// signature covers: a chained event's metadata is a JSON object with the
// field "prevHash" (matched case-insensitively). A verifier takes the link
// from these bytes, never from a decoded copy, so an export cannot claim a
// link the signed bytes do not hold.
func PrevHashOf(raw []byte) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	body, _, _ := SplitSignature(raw)
	var m struct {
		PrevHash string `json:"prevHash"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return "", fmt.Errorf("metadata: %w", err)
	}
	return m.PrevHash, nil
}
