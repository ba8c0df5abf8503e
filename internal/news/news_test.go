package news

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestChat_WantsLanguage(t *testing.T) {
	all := Chat{}
	if !all.WantsLanguage(Arabic) || !all.WantsLanguage("ur") {
		t.Error("a chat without a language list must accept every article")
	}
	fr := Chat{Langs: []string{French, English}}
	if fr.WantsLanguage(Arabic) || !fr.WantsLanguage(English) {
		t.Errorf("langs %v: Arabic accepted or English refused", fr.Langs)
	}
}

func TestChat_Deliverable(t *testing.T) {
	cases := []struct {
		c    Chat
		want bool
	}{
		{Chat{Status: StatusActive}, true},
		{Chat{Status: StatusActive, Paused: true}, false},
		{Chat{Status: StatusGone}, false},
	}
	for _, c := range cases {
		if got := c.c.Deliverable(); got != c.want {
			t.Errorf("%+v: Deliverable = %v, want %v", c.c, got, c.want)
		}
	}
}

func TestSenderErrors_MatchThroughWrapping(t *testing.T) {
	err := fmt.Errorf("sendMessage: %w", &RetryAfterError{After: 3 * time.Second})
	var ra *RetryAfterError
	if !errors.As(err, &ra) || ra.After != 3*time.Second {
		t.Fatalf("RetryAfterError lost in wrapping: %v", err)
	}
	err = fmt.Errorf("sendMessage: %w", &ChatMigratedError{To: -100123})
	var mig *ChatMigratedError
	if !errors.As(err, &mig) || mig.To != -100123 {
		t.Fatalf("ChatMigratedError lost in wrapping: %v", err)
	}
	if (ChatMember{Status: MemberAdministrator}).IsAdmin() == false || (ChatMember{Status: MemberMember}).IsAdmin() {
		t.Error("IsAdmin disagrees with the member status")
	}
}
