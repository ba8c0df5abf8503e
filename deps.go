//go:build tools

package tools

import (
	_ "codeberg.org/readeck/go-readability/v2"
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	_ "github.com/kljensen/snowball"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "golang.org/x/net/html"
	_ "golang.org/x/text/encoding/htmlindex"
	_ "gopkg.in/yaml.v3"
)
