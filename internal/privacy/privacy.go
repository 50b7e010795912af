// Package privacy protects the personal data kycq must keep.
//
// The applicant's basic info is sealed with AES-256-GCM under the data key
// before it reaches the state store; the document number is kept only as a
// keyed hash (HMAC-SHA256 under the hash key) used for occupancy. Both keys
// come from the environment and are never logged.
package privacy

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
)

// KeySize is the size of each key in bytes.
const KeySize = 32

// Keys holds the secrets used to seal and hash personal data.
type Keys struct {
	aead cipher.AEAD
	hash []byte
}

// ErrOpen is returned when sealed data cannot be opened: wrong key or
// tampered ciphertext.
var ErrOpen = errors.New("privacy: cannot open sealed data")

// NewKeys builds Keys from a 32-byte data key and a 32-byte hash key.
func NewKeys(dataKey, hashKey []byte) (*Keys, error) {
	if len(dataKey) != KeySize || len(hashKey) != KeySize {
		return nil, fmt.Errorf("privacy: keys must be %d bytes (data %d, hash %d)", KeySize, len(dataKey), len(hashKey))
	}
	block, err := aes.NewCipher(dataKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keys{aead: aead, hash: append([]byte(nil), hashKey...)}, nil
}

// ParseKey decodes a key given as 64 hex digits or standard base64.
func ParseKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	return nil, fmt.Errorf("privacy: a key must be %d bytes as 64 hex digits or base64", KeySize)
}

// NewRandomKey returns a fresh random key, hex encoded.
func NewRandomKey() string {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// Seal encrypts plaintext; context binds the ciphertext to its owner (for
// example a verification ID) so that it cannot be moved to another record.
func (k *Keys) Seal(plaintext []byte, context string) []byte {
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return k.aead.Seal(nonce, nonce, plaintext, []byte(context))
}

// Open decrypts data sealed by Seal with the same context.
func (k *Keys) Open(sealed []byte, context string) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n+k.aead.Overhead() {
		return nil, ErrOpen
	}
	pt, err := k.aead.Open(nil, sealed[:n], sealed[n:], []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// Hash returns the hex HMAC-SHA256 of the parts under the hash key, with a
// domain label so that hashes of different kinds never collide.
func (k *Keys) Hash(domain string, parts ...string) string {
	m := hmac.New(sha256.New, k.hash)
	m.Write([]byte(domain))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// HashKey returns a copy of the hash key, for packages that compute keyed
// hashes with their own normalisation (such as kyc.DocumentKey).
func (k *Keys) HashKey() []byte { return append([]byte(nil), k.hash...) }

// EncodeFloats encodes a vector (a face descriptor) as little-endian
// float32s, the form it is sealed in.
func EncodeFloats(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

// DecodeFloats reverses EncodeFloats.
func DecodeFloats(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, errors.New("privacy: vector length is not a multiple of 4 bytes")
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}
