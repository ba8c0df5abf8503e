package news

import "errors"

// Button is one inline keyboard button: it sends Data back as a callback
// query, or opens URL.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Message is a text message to send (or, with EditID set, to edit).
type Message struct {
	ChatID   int64
	ThreadID int
	Text     string
	// HTML sends Text with parse_mode HTML; otherwise it is plain text.
	HTML bool
	// PreviewURL asks for the link preview of this URL; NoPreview turns previews off.
	PreviewURL string
	NoPreview  bool
	Buttons    [][]Button
	ReplyTo    int
	// EditID, when set, edits that earlier message instead of sending a new one.
	EditID int
}

// Document is a file to send.
type Document struct {
	ChatID   int64
	ThreadID int
	Name     string
	Data     []byte
	Caption  string
}

// ChatRef is a chat as an update or getChat describes it.
type ChatRef struct {
	ID       int64
	Kind     ChatKind
	Title    string
	Username string
	IsForum  bool
}

// User is a Telegram user.
type User struct {
	ID           int64
	IsBot        bool
	Username     string
	FirstName    string
	LanguageCode string
}

// UpdateKind says what an Update carries.
type UpdateKind string

// The kinds of update the bot acts on.
const (
	UpdateMessage     UpdateKind = "message"
	UpdateChannelPost UpdateKind = "channel_post"
	UpdateCallback    UpdateKind = "callback_query"
	UpdateMyMember    UpdateKind = "my_chat_member"
)

// FileRef is a file attached to a message.
type FileRef struct {
	FileID   string
	Name     string
	MimeType string
	Size     int64
}

// Update is one Telegram update reduced to what the bot needs.
type Update struct {
	ID   int
	Kind UpdateKind
	Chat ChatRef
	From User
	// SenderChat is set when a message is sent on behalf of a chat: an
	// anonymous group admin (SenderChat.ID == Chat.ID) or a channel.
	SenderChat *ChatRef
	MessageID  int
	ThreadID   int
	Text       string
	Document   *FileRef
	// ForwardFromChat is the channel a forwarded post came from.
	ForwardFromChat *ChatRef
	// CallbackID and CallbackData are set for callback queries; MessageID is
	// then the message that carried the button.
	CallbackID   string
	CallbackData string
	// OldStatus and NewStatus are the bot's member status for my_chat_member.
	OldStatus string
	NewStatus string
	// MigrateToChatID is set when a group was upgraded to a supergroup.
	MigrateToChatID   int64
	MigrateFromChatID int64
}

// Member statuses as Telegram names them.
const (
	MemberCreator       = "creator"
	MemberAdministrator = "administrator"
	MemberMember        = "member"
	MemberRestricted    = "restricted"
	MemberLeft          = "left"
	MemberKicked        = "kicked"
)

// ChatMember is a user's standing in a chat.
type ChatMember struct {
	UserID      int64
	Status      string
	CanPostMsgs bool
}

// IsAdmin reports whether the member may administer the chat.
func (m ChatMember) IsAdmin() bool {
	return m.Status == MemberCreator || m.Status == MemberAdministrator
}

// BotCommand is one entry of the bot's command menu (setMyCommands).
type BotCommand struct {
	// Command is the name without the slash: 1-32 lowercase letters, digits and underscores.
	Command string
	// Description is shown next to the command, 1-256 characters.
	Description string
}

// ErrFileTooLarge means a file a user sent is bigger than the caller accepts.
var ErrFileTooLarge = errors.New("file too large")
