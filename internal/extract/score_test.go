package extract

import (
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
)

// The labelled articles are graded by package gold, exactly as
// TestSeedArticle (cmd/dateline) grades the seed article.

func readGold(path string) (gold.Article, error) { return gold.Read(path) }

func scoreEvents(g gold.Article, evs []event.Event) gold.Grade { return gold.Score(g, evs) }
