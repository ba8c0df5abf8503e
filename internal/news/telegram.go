package news

import "errors"

// BotCommand is one entry of the bot's command menu (setMyCommands).
type BotCommand struct {
	// Command is the name without the slash: 1-32 lowercase letters, digits and underscores.
	Command string `json:"command"`
	// Description is shown next to the command, 1-256 characters.
	Description string `json:"description"`
}

// ErrFileTooLarge means a file a user sent is bigger than the caller accepts.
var ErrFileTooLarge = errors.New("file too large")
