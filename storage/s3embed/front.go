package s3embed

import (
	"bytes"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// serveFront serves the public listener with a reverse proxy to the
// gateway at backend, and makes the server's endpoint the public address.
//
// The front passes requests through unchanged, Host header included (SigV4
// signs it), and changes one thing in the answers: versitygw's 403
// SignatureDoesNotMatch carries hex dumps of the string to sign and of the
// canonical request, unreadable for the app developer whose presigned
// upload was refused. The front answers the same error code with a short
// message saying what to check.
func (s *Server) serveFront(ln net.Listener, backend string) {
	target, _ := url.Parse(backend)
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
		},
		ModifyResponse: shortenSignatureError,
		FlushInterval:  -1,
	}
	s.front = &http.Server{Handler: proxy, ReadHeaderTimeout: 30 * time.Second}
	go s.front.Serve(ln)
	s.endpoint = "http://" + dialable(ln.Addr().String())
}

// s3Error is the part of an S3 XML error the front reads.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
	Dumps     string   `xml:"StringToSignBytes"`
	Canonical string   `xml:"CanonicalRequestBytes"`
}

// signatureMessage replaces versitygw's SignatureDoesNotMatch message.
const signatureMessage = "The request does not match what was signed: for a presigned upload, PUT to the URL exactly as given, " +
	"with the Content-Type header it names and a body of the declared size, before the URL expires."

// shortenSignatureError rewrites a 403 SignatureDoesNotMatch answer that
// carries hex dumps into a short one with the same code.
func shortenSignatureError(resp *http.Response) error {
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		return nil
	}
	const max = 64 << 10
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	resp.Body.Close()
	if err != nil {
		return err
	}
	short, ok := shortError(body)
	if !ok || len(body) > max {
		short = body
	}
	resp.Body = io.NopCloser(bytes.NewReader(short))
	resp.ContentLength = int64(len(short))
	resp.Header.Set("Content-Length", strconv.Itoa(len(short)))
	return nil
}

// shortError returns the short form of an S3 error body with hex dumps,
// and false for any other body.
func shortError(body []byte) ([]byte, bool) {
	var e s3Error
	if err := xml.Unmarshal(body, &e); err != nil || e.Code != "SignatureDoesNotMatch" || e.Dumps == "" && e.Canonical == "" {
		return nil, false
	}
	out, err := xml.Marshal(struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
		RequestID string   `xml:"RequestId,omitempty"`
	}{Code: e.Code, Message: signatureMessage, RequestID: e.RequestID})
	if err != nil {
		return nil, false
	}
	return append([]byte(xml.Header), out...), true
}
