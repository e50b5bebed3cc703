package eventlog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// signatureTrailer opens the signature that closes a signed event's
// metadata: {…,"signature":{"keyId":"…","ed25519":"…"}}. Everything before
// it (plus the closing brace) is the metadata body that Hash covers; the
// signature is over that hash, so it cannot be inside it. JSON escapes
// quotes inside strings, so the trailer cannot occur inside a value.
const signatureTrailer = `,"signature":{`

// Signature is an event's signature as stored at the end of its metadata.
type Signature struct {
	KeyID   string `json:"keyId"`
	Ed25519 []byte `json:"ed25519"`
}

// SplitSignature separates stored metadata into the body that Hash covers
// and the signature. An unsigned event returns its metadata and ok false.
func SplitSignature(raw []byte) (body []byte, sig Signature, ok bool) {
	i := bytes.LastIndex(raw, []byte(signatureTrailer))
	if i < 0 || !bytes.HasSuffix(raw, []byte("}")) {
		return raw, Signature{}, false
	}
	if err := json.Unmarshal(raw[i+len(signatureTrailer)-1:len(raw)-1], &sig); err != nil || sig.KeyID == "" || len(sig.Ed25519) == 0 {
		return raw, Signature{}, false
	}
	body = append(append(make([]byte, 0, i+1), raw[:i]...), '}')
	return body, sig, true
}

// SignedMessage is what an event's signature covers: a purpose label, the
// stream (so a signed event cannot be replayed into another stream) and the
// event's chained Hash (which covers its whole history).
func SignedMessage(stream, hash string) []byte {
	return []byte("buergerbuero event v1\n" + stream + "\n" + hash)
}

// Signer signs with the current key; the store never holds it.
type Signer interface {
	KeyID() string
	Sign(msg []byte) []byte
}

// Seal computes the chained Hash of an event whose RawMetadata is its
// metadata body (a JSON object) and, with a signer, appends the signature
// of SignedMessage(stream, hash) to the metadata. Adapters call it when they
// write a chained append; it returns the metadata to store and the hash the
// next event links to.
func Seal(stream string, e RecordedEvent, s Signer) (rawMetadata []byte, hash string, err error) {
	hash = Hash(e)
	if s == nil {
		return e.RawMetadata, hash, nil
	}
	body := e.RawMetadata
	if len(body) < 3 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, "", errors.New("seal: metadata must be a non-empty JSON object")
	}
	sig, err := json.Marshal(Signature{KeyID: s.KeyID(), Ed25519: s.Sign(SignedMessage(stream, hash))})
	if err != nil {
		return nil, "", err
	}
	out := make([]byte, 0, len(body)+len(signatureTrailer)+len(sig))
	out = append(out, body[:len(body)-1]...)
	out = append(out, signatureTrailer[:len(signatureTrailer)-1]...)
	out = append(out, sig...)
	return append(out, '}'), hash, nil
}

// KeyID names an Ed25519 public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// PublicKeys are the keys a verifier trusts, by key ID.
type PublicKeys map[string]ed25519.PublicKey

// NewPublicKeys indexes keys by their KeyID.
func NewPublicKeys(keys ...ed25519.PublicKey) PublicKeys {
	p := PublicKeys{}
	for _, k := range keys {
		p[KeyID(k)] = k
	}
	return p
}

// Verify checks sig over msg with the key it names.
func (p PublicKeys) Verify(msg []byte, sig Signature) error {
	pub, ok := p[sig.KeyID]
	if !ok {
		return fmt.Errorf("signed with unknown key %s", sig.KeyID)
	}
	if !ed25519.Verify(pub, msg, sig.Ed25519) {
		return fmt.Errorf("signature by key %s does not verify", sig.KeyID)
	}
	return nil
}

// IDs lists the key IDs in order.
func (p PublicKeys) IDs() []string {
	ids := make([]string, 0, len(p))
	for id := range p {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Keyring is the current signing key plus every public key still trusted
// (the current one and those of rotated-out keys), so history signed before
// a rotation keeps verifying.
type Keyring struct {
	current ed25519.PrivateKey
	id      string
	public  PublicKeys
}

var _ Signer = (*Keyring)(nil)

// NewKeyring returns a keyring signing with current and trusting old too.
func NewKeyring(current ed25519.PrivateKey, old ...ed25519.PublicKey) (*Keyring, error) {
	if len(current) != ed25519.PrivateKeySize {
		return nil, errors.New("keyring: the current key is not an Ed25519 private key")
	}
	pub := current.Public().(ed25519.PublicKey)
	return &Keyring{current: current, id: KeyID(pub), public: NewPublicKeys(append(old, pub)...)}, nil
}

// KeyID implements Signer.
func (k *Keyring) KeyID() string { return k.id }

// Sign implements Signer.
func (k *Keyring) Sign(msg []byte) []byte { return ed25519.Sign(k.current, msg) }

// Public returns the trusted public keys.
func (k *Keyring) Public() PublicKeys { return k.public }

// EncodeKey and DecodeKey are the text form of keys in files and exports.
func EncodeKey(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// DecodeKey reverses EncodeKey.
func DecodeKey(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
