package staff

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/buergerbuero/buergerbuero/domain"
)

// Params are argon2id cost parameters.
//
// Defaults follow the OWASP Password Storage Cheat Sheet (2024) minimum for
// argon2id: 19 MiB of memory, 2 iterations, 1 lane; a 16-byte random salt and
// a 32-byte key. One verification costs about 30–50 ms on one core. Because
// each hash needs Memory KiB of RAM, Hasher bounds how many run at once.
// Hashes record their parameters (PHC string), so raising the defaults later
// does not break existing passwords.
type Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
	SaltLen     int
	KeyLen      uint32
}

// DefaultParams are the production parameters.
var DefaultParams = Params{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// Password length limits: at least 12 characters; at most 256 bytes so a
// huge "password" cannot be used to burn CPU.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

var (
	// ErrWeakPassword: the password is too short or too long.
	ErrWeakPassword = domain.Invalid("weak_password", fmt.Sprintf("password must be %d characters to %d bytes", MinPasswordLen, MaxPasswordLen))
	errBadHash      = errors.New("staff: malformed password hash")
)

// CheckPasswordPolicy refuses passwords outside the length limits.
func CheckPasswordPolicy(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > MaxPasswordLen || !utf8.ValidString(pw) {
		return ErrWeakPassword
	}
	return nil
}

// Hasher hashes and verifies passwords with argon2id in PHC string format:
// $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt b64>$<key b64>.
type Hasher struct {
	params Params
	slots  chan struct{}
}

// NewHasher returns a hasher running at most concurrent hashes at once
// (at least 1).
func NewHasher(p Params, concurrent int) (*Hasher, error) {
	if p.MemoryKiB < 8*uint32(p.Parallelism) || p.Iterations < 1 || p.Parallelism < 1 || p.SaltLen < 16 || p.KeyLen < 16 {
		return nil, errors.New("staff: argon2id parameters below the safe minimum (salt ≥ 16, key ≥ 16 bytes, t ≥ 1, p ≥ 1)")
	}
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{params: p, slots: make(chan struct{}, concurrent)}, nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC string of pw with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("staff: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	key := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Iterations, p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var b64 = base64.RawStdEncoding

// Verify reports whether pw matches the PHC string, comparing in constant
// time. A malformed hash or one with absurd parameters never matches.
func (h *Hasher) Verify(ctx context.Context, phc, pw string) (bool, error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Parallelism, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// parsePHC reads an argon2id PHC string, refusing parameters that would let
// a forged hash exhaust memory or CPU (m ≤ 1 GiB, t ≤ 16, p ≤ 16).
func parsePHC(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return Params{}, nil, nil, errBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return Params{}, nil, nil, errBadHash
	}
	if p.MemoryKiB < 8 || p.MemoryKiB > 1<<20 || p.Iterations < 1 || p.Iterations > 16 || p.Parallelism < 1 || p.Parallelism > 16 {
		return Params{}, nil, nil, errBadHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
		return Params{}, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
