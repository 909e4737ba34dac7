// Package httperr is the one error type and writer of Dateline's HTTP
// surfaces: the API, the alerts API and the exports. Every failure is
// written as JSON {"error": "…", "param": "…"}, where "param" names the
// request parameter at fault and is left out when there is none.
//
// Handlers return errors; the boundary turns them into a status with
// From, or writes them with Write, and logs the ones that are the
// server's fault (status 500 and above) once.
package httperr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dateline/dateline/internal/index"
)

// Error is a failure with the HTTP status it maps to.
type Error struct {
	// Status is the HTTP status code written.
	Status int
	// Param names the request parameter, path value or body field at
	// fault ("from", "name", "destinations.0.url"); "" when none is.
	Param string
	// Msg says what is wrong, for the client to read.
	Msg string
	// RetryAfter, when above 0, is sent as the Retry-After header
	// (seconds): the request was refused under load and may be retried.
	RetryAfter int
}

// Errorf returns an *Error with status and param whose message is
// formatted as fmt.Sprintf does.
func Errorf(status int, param, format string, args ...any) *Error {
	return &Error{Status: status, Param: param, Msg: fmt.Sprintf(format, args...)}
}

// Error is the message written to the client: Msg, after "Param: " when
// there is a Param that Msg does not already start with.
func (e *Error) Error() string {
	if e.Param == "" || strings.HasPrefix(e.Msg, e.Param+":") {
		return e.Msg
	}
	return e.Param + ": " + e.Msg
}

// Body is the JSON of an error response.
type Body struct {
	// Error says what is wrong.
	Error string `json:"error"`
	// Param names what is at fault, when something is.
	Param string `json:"param,omitempty"`
}

// From returns the *Error that err is, or the one it maps to: a
// *index.QueryError (a bad search parameter) is 400 naming its parameter,
// a *http.MaxBytesError 413, a context.DeadlineExceeded 503, and any
// other error 500 "internal error" (its text is for the log, not the
// client).
func From(err error) *Error {
	var he *Error
	var qe *index.QueryError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &qe):
		return &Error{Status: http.StatusBadRequest, Param: qe.Param, Msg: qe.Msg}
	case errors.As(err, &mbe):
		return Errorf(http.StatusRequestEntityTooLarge, "", "request body is over the limit of %d bytes", mbe.Limit)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Msg: "the request took too long"}
	default:
		return &Error{Status: http.StatusInternalServerError, Msg: "internal error"}
	}
}

// Write writes err, mapped by From, as a JSON Body with its status (and
// Retry-After when set), and returns what it wrote so that the caller can
// log a server-side failure. Nothing must have been written to w before.
func Write(w http.ResponseWriter, err error) *Error {
	he := From(err)
	h := w.Header()
	if he.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(he.RetryAfter))
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(he.Status)
	_ = json.NewEncoder(w).Encode(Body{Error: he.Error(), Param: he.Param})
	return he
}
