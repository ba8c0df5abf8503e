// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests. It answers like Telegram: the same JSON envelope, the same error
// codes and descriptions ("Forbidden: bot was blocked by the user", "Bad
// Request: can't parse entities: ..."), HTML validated as the Bot API's HTML
// style documents it, the length limits, long-polled getUpdates, and flood
// control with retry_after. Tests script chats (blocked, kicked, migrated,
// failing, hanging), inject user updates, and read what the bot sent.
//
//	srv := telegramtest.New(t)
//	client, _ := telegram.New(srv.Token, telegram.Options{Endpoint: srv.Endpoint()})
//	srv.Command(42, telegramtest.Alice, "/start")
//	msgs, _ := srv.WaitSent(ctx, 42, 1)
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// BotID is the fake bot's user id; Token starts with it, as real tokens do.
const BotID = 7000000001

// Users tests can write as.
var (
	Alice = news.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "fr"}
	Bob   = news.User{ID: 1002, FirstName: "Bob", Username: "bob", LanguageCode: "en"}
	Amina = news.User{ID: 1003, FirstName: "أمينة", Username: "amina", LanguageCode: "ar"}
)

// GroupAnonymousBot is the user Telegram puts in "from" of a message an
// anonymous group administrator sent; sender_chat is then the group itself.
var GroupAnonymousBot = news.User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}

// Text limits of sendMessage and sendDocument (Bot API: "1-4096 characters
// after entities parsing", caption "0-1024 characters"). Telegram counts
// Unicode code points here (TDLib's utf8_length), unlike entity offsets,
// which are UTF-16 code units.
const (
	MaxTextLength    = 4096
	MaxCaptionLength = 1024
	// MaxRawText caps the text parameter before parsing.
	MaxRawText = 32 << 10
)

// Server is a fake Bot API server. All methods are safe for concurrent use.
type Server struct {
	// Token is the only bot token the server accepts (401 Unauthorized otherwise).
	Token string
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string

	srv  *httptest.Server
	done chan struct{}

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every state change
	now          func() time.Time
	me           User
	updates      []json.RawMessage
	updateIDs    []int
	nextUpd      int
	chats        map[int64]*chatState
	usernames    map[string]int64
	files        map[string]storedFile
	nextFile     int
	sent         []*SentMessage
	callbacks    map[string]bool // issued callback ids -> answered
	nextCB       int
	answers      []CallbackAnswer
	commands     map[string][]news.BotCommand
	webhook      Webhook
	disabled     map[string]bool
	failByMethod map[string][]int
	requests     []Request
	limits       Limits
	windows      map[string][]time.Time
	tooMany      int
	violations   int
	deliveries   []WebhookDelivery
	pushing      bool
	pushers      sync.WaitGroup
}

// Request is one call the server received.
type Request struct {
	Method string
	ChatID int64
	// Status is the HTTP status of the answer; 0 while the call is in
	// progress or hanging.
	Status int
	// Time is when the call arrived.
	Time time.Time
}

// Webhook is what setWebhook registered.
type Webhook struct {
	URL    string
	Secret string
}

// CallbackAnswer is an answerCallbackQuery the bot made.
type CallbackAnswer struct {
	ID        string
	Text      string
	ShowAlert bool
}

// SentMessage is a message the bot sent (or its latest edit).
type SentMessage struct {
	ID       int
	ChatID   int64
	ThreadID int
	// Text is the plain text after entity parsing; Raw is the text parameter as sent.
	Text      string
	Raw       string
	ParseMode string
	Buttons   [][]news.Button
	// PreviewURL and NoPreview come from link_preview_options (or the older disable_web_page_preview).
	PreviewURL string
	NoPreview  bool
	ReplyTo    int
	Document   *SentDocument
	Time       time.Time
	// Edits counts the editMessageText calls that changed this message.
	Edits int
}

// SentDocument is a file the bot sent with sendDocument.
type SentDocument struct {
	FileID  string
	Name    string
	Data    []byte
	Caption string
}

type storedFile struct {
	path string
	data []byte
}

// New starts a fake Bot API server that closes when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := newServer()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// NewInProcess returns a fake Bot API server that listens on no socket: a
// client reaches it through Client, whose transport calls the server in the
// client's own goroutine. Client and server can then run inside a
// testing/synctest bubble, where long polls, timeouts and backoffs take
// virtual time. Webhook pushes need New.
func NewInProcess(t testing.TB) *Server {
	t.Helper()
	s := newServer()
	s.URL = "http://api.telegram.test"
	t.Cleanup(s.Close)
	return s
}

// Client is an HTTP client that reaches the server: in process for a server
// of NewInProcess, over loopback for one of New.
func (s *Server) Client() *http.Client {
	if s.srv != nil {
		return s.srv.Client()
	}
	return &http.Client{Transport: inProcess{s}}
}

// inProcess answers a request by calling the server directly.
type inProcess struct{ s *Server }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	p.s.serve(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err // the client gave up waiting
	}
	res := rec.Result()
	res.Request = r
	return res, nil
}

func newServer() *Server {
	return &Server{
		Token:        fmt.Sprintf("%d:AAF-fake-token_0123456789abcdef", BotID),
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		now:          time.Now,
		me:           User{ID: BotID, IsBot: true, FirstName: "MigraWatch", Username: "migrawatch_test_bot"},
		nextUpd:      100000,
		chats:        map[int64]*chatState{},
		usernames:    map[string]int64{},
		files:        map[string]storedFile{},
		callbacks:    map[string]bool{},
		commands:     map[string][]news.BotCommand{},
		disabled:     map[string]bool{},
		failByMethod: map[string][]int{},
		windows:      map[string][]time.Time{},
	}
}

// Close releases every hanging request and stops the server. It is called
// by t.Cleanup; calling it twice is harmless.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return
	default:
	}
	close(s.done)
	s.mu.Unlock()
	if s.srv != nil {
		s.srv.CloseClientConnections()
		s.srv.Close()
	}
	s.pushers.Wait()
}

// Endpoint is the server's API endpoint in the library's format, with two %s
// for the token and the method.
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// FileEndpoint is the file download endpoint, with two %s for the token and the path.
func (s *Server) FileEndpoint() string { return s.URL + "/file/bot%s/%s" }

// Me is the bot's user as getMe answers it.
func (s *Server) Me() news.User {
	return news.User{ID: s.me.ID, IsBot: true, FirstName: s.me.FirstName, Username: s.me.Username}
}

// SetClock replaces the clock used for message dates and rate limits.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Disable makes method answer 404 Not Found, as a Bot API server that lacks it would.
func (s *Server) Disable(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.disabled[strings.ToLower(method)] = true
}

// FailMethod makes the next n calls of method (whatever the chat) fail with
// status: 5xx with its status text, 429 with retry_after 1.
func (s *Server) FailMethod(method string, n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := strings.ToLower(method)
	for range n {
		s.failByMethod[m] = append(s.failByMethod[m], status)
	}
}

// Requests lists the calls received so far, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts the calls of method received so far.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}

// Webhook returns what setWebhook registered (zero after deleteWebhook).
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Commands returns the command menu set for lang ("" is the default menu).
func (s *Server) Commands(lang string) []news.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]news.BotCommand(nil), s.commands[lang]...)
}

// Answers lists the callback query answers, in order.
func (s *Server) Answers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// Sent returns the messages sent to chat, in order, with their latest edits.
func (s *Server) Sent(chat int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentLocked(chat)
}

func (s *Server) sentLocked(chat int64) []SentMessage {
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chat {
			out = append(out, copyMessage(m))
		}
	}
	return out
}

// All returns every message sent, to any chat, in order.
func (s *Server) All() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, 0, len(s.sent))
	for _, m := range s.sent {
		out = append(out, copyMessage(m))
	}
	return out
}

func copyMessage(m *SentMessage) SentMessage {
	c := *m
	if m.Buttons != nil {
		c.Buttons = make([][]news.Button, len(m.Buttons))
		for i, row := range m.Buttons {
			c.Buttons[i] = append([]news.Button(nil), row...)
		}
	}
	if m.Document != nil {
		d := *m.Document
		d.Data = append([]byte(nil), m.Document.Data...)
		c.Document = &d
	}
	return c
}

// WaitSent waits until at least n messages were sent to chat and returns
// them all; it fails when ctx ends first.
func (s *Server) WaitSent(ctx context.Context, chat int64, n int) ([]SentMessage, error) {
	for {
		s.mu.Lock()
		msgs := s.sentLocked(chat)
		ch := s.changed
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-ctx.Done():
			return msgs, fmt.Errorf("telegramtest: %d of %d messages to chat %d: %w", len(msgs), n, chat, ctx.Err())
		case <-s.done:
			return msgs, fmt.Errorf("telegramtest: server closed with %d of %d messages to chat %d", len(msgs), n, chat)
		case <-ch:
		}
	}
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// apiError is an ok=false answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
}

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + desc}
}

func forbidden(desc string) *apiError {
	return &apiError{code: http.StatusForbidden, desc: "Forbidden: " + desc}
}

func tooMany(after int) *apiError {
	return &apiError{code: http.StatusTooManyRequests, desc: fmt.Sprintf("Too Many Requests: retry after %d", after), retryAfter: after}
}

func statusError(status int) *apiError {
	if status == http.StatusTooManyRequests {
		return tooMany(1)
	}
	return &apiError{code: status, desc: http.StatusText(status)}
}

var notFound = &apiError{code: http.StatusNotFound, desc: "Not Found"}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errorBody is Telegram's error envelope, fields in Telegram's order.
type errorBody struct {
	OK          bool         `json:"ok"`
	ErrorCode   int          `json:"error_code"`
	Description string       `json:"description"`
	Parameters  *errorParams `json:"parameters,omitempty"`
}

type errorParams struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := errorBody{ErrorCode: e.code, Description: e.desc}
	if e.retryAfter > 0 || e.migrateTo != 0 {
		body.Parameters = &errorParams{MigrateToChatID: e.migrateTo, RetryAfter: e.retryAfter}
	}
	writeJSON(w, e.code, body)
}

// okBody is the success envelope.
type okBody struct {
	OK     bool `json:"ok"`
	Result any  `json:"result"`
}

// upload is a file part of a multipart request.
type upload struct {
	name string
	data []byte
}

// request is a parsed Bot API call.
type request struct {
	r      *http.Request
	params map[string]string
	files  map[string]upload
}

func (q *request) get(k string) string { return q.params[k] }

func (q *request) int(k string) int {
	n, _ := strconv.Atoi(q.params[k])
	return n
}

func (q *request) int64(k string) int64 {
	n, _ := strconv.ParseInt(q.params[k], 10, 64)
	return n
}

// parseRequest reads the parameters the Bot API accepts: query string,
// application/x-www-form-urlencoded, application/json or multipart/form-data.
func parseRequest(r *http.Request) (*request, error) {
	q := &request{r: r, params: map[string]string{}, files: map[string]upload{}}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		if err := r.ParseMultipartForm(64 << 20); err != nil {
			return nil, err
		}
		for k, vs := range r.MultipartForm.File {
			if len(vs) == 0 {
				continue
			}
			data, err := readPart(vs[0])
			if err != nil {
				return nil, err
			}
			q.files[k] = upload{name: vs[0].Filename, data: data}
		}
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, err
		}
		for k, v := range m {
			if str, ok := v.(string); ok {
				q.params[k] = str
				continue
			}
			b, _ := json.Marshal(v)
			q.params[k] = string(b)
		}
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k, vs := range r.Form {
		if len(vs) > 0 {
			q.params[k] = vs[0]
		}
	}
	return q, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

type handlerFunc func(s *Server, q *request) (any, *apiError)

var methods = map[string]handlerFunc{
	"getme":                 (*Server).getMe,
	"getupdates":            (*Server).getUpdates,
	"sendmessage":           (*Server).sendMessage,
	"editmessagetext":       (*Server).editMessageText,
	"senddocument":          (*Server).sendDocument,
	"answercallbackquery":   (*Server).answerCallbackQuery,
	"getchat":               (*Server).getChat,
	"getchatmember":         (*Server).getChatMember,
	"getchatadministrators": (*Server).getChatAdministrators,
	"getfile":               (*Server).getFile,
	"setmycommands":         (*Server).setMyCommands,
	"setwebhook":            (*Server).setWebhook,
	"deletewebhook":         (*Server).deleteWebhook,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeError(w, notFound)
		return
	}
	if token != s.Token {
		writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	key := strings.ToLower(method)
	h := methods[key]
	s.mu.Lock()
	disabled := s.disabled[key]
	s.mu.Unlock()
	if h == nil || disabled {
		s.record(method, 0, http.StatusNotFound)
		writeError(w, notFound)
		return
	}
	q, err := parseRequest(r)
	if err != nil {
		s.record(method, 0, http.StatusBadRequest)
		writeError(w, badRequest("invalid request: "+err.Error()))
		return
	}
	chatID, _ := strconv.ParseInt(q.get("chat_id"), 10, 64)
	// The call is listed on arrival, so a test sees a long poll or a hanging
	// call in progress; its status is filled in when it is answered.
	idx := s.record(method, chatID, 0)
	if e := s.scriptedMethodFailure(key); e != nil {
		s.finish(idx, e.code)
		writeError(w, e)
		return
	}
	result, e := h(s, q)
	if e == errHang {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if e != nil {
		s.finish(idx, e.code)
		writeError(w, e)
		return
	}
	s.finish(idx, http.StatusOK)
	writeJSON(w, http.StatusOK, okBody{OK: true, Result: result})
}

// errHang tells serve to answer nothing until the client gives up.
var errHang = &apiError{code: 0, desc: "hang"}

func (s *Server) scriptedMethodFailure(key string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failByMethod[key]
	if len(q) == 0 {
		return nil
	}
	s.failByMethod[key] = q[1:]
	if q[0] == http.StatusTooManyRequests {
		s.tooMany++
	}
	return statusError(q[0])
}

func (s *Server) record(method string, chat int64, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: method, ChatID: chat, Status: status, Time: s.now()})
	s.notifyLocked()
	return len(s.requests) - 1
}

func (s *Server) finish(idx, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[idx].Status = status
	s.notifyLocked()
}

func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		writeError(w, notFound)
		return
	}
	s.mu.Lock()
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path == path {
			data, found = f.data, true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, notFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
