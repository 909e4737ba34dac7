package service

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dateline/dateline/internal/bus"
)

// collector reports the pipeline's state at scrape time: messages in each
// stream, what each consumer still has to do, events in the index and
// feeds by status. Reading it from the source spares every stage a hook.
type collector struct {
	s *Service

	streamMsgs   *prometheus.Desc
	consPending  *prometheus.Desc
	consAcking   *prometheus.Desc
	indexEvents  *prometheus.Desc
	indexCP      *prometheus.Desc
	feedsByState *prometheus.Desc
	feedArticles *prometheus.Desc
}

func newCollector(s *Service) *collector {
	return &collector{
		s:            s,
		streamMsgs:   prometheus.NewDesc("dateline_stream_messages", "Messages stored in a JetStream stream.", []string{"stream"}, nil),
		consPending:  prometheus.NewDesc("dateline_consumer_pending", "Messages a consumer has not yet been delivered.", []string{"stream", "consumer"}, nil),
		consAcking:   prometheus.NewDesc("dateline_consumer_ack_pending", "Messages delivered to a consumer and not yet acknowledged.", []string{"stream", "consumer"}, nil),
		indexEvents:  prometheus.NewDesc("dateline_index_events", "Events in this process's search index.", nil, nil),
		indexCP:      prometheus.NewDesc("dateline_index_checkpoint", "Last EVENTS stream sequence applied to the index.", nil, nil),
		feedsByState: prometheus.NewDesc("dateline_feeds", "Feeds by status.", []string{"status"}, nil),
		feedArticles: prometheus.NewDesc("dateline_feed_articles_total", "New or changed articles published, over all feeds.", nil, nil),
	}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.streamMsgs, c.consPending, c.consAcking, c.indexEvents, c.indexCP, c.feedsByState, c.feedArticles} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if b := c.s.bus; b != nil {
		for _, name := range []string{bus.ArticlesStream, bus.EventsStream, bus.DeadStream} {
			st, err := b.JS.Stream(ctx, name)
			if err != nil {
				continue
			}
			info, err := st.Info(ctx)
			if err != nil {
				continue
			}
			ch <- prometheus.MustNewConstMetric(c.streamMsgs, prometheus.GaugeValue, float64(info.State.Msgs), name)
			c.consumers(ctx, ch, st, name)
		}
	}
	if ix := c.s.ix; ix != nil {
		if n, err := ix.Count(); err == nil {
			ch <- prometheus.MustNewConstMetric(c.indexEvents, prometheus.GaugeValue, float64(n))
		}
		if cp, err := ix.Checkpoint(); err == nil {
			ch <- prometheus.MustNewConstMetric(c.indexCP, prometheus.GaugeValue, float64(cp))
		}
	}
	if p := c.s.poller; p != nil {
		counts := map[string]int{}
		articles := 0
		for _, f := range p.Status() {
			counts[f.Status]++
			articles += f.Articles
		}
		for status, n := range counts {
			ch <- prometheus.MustNewConstMetric(c.feedsByState, prometheus.GaugeValue, float64(n), status)
		}
		ch <- prometheus.MustNewConstMetric(c.feedArticles, prometheus.CounterValue, float64(articles))
	}
}

func (c *collector) consumers(ctx context.Context, ch chan<- prometheus.Metric, st jetstream.Stream, stream string) {
	lister := st.ListConsumers(ctx)
	for info := range lister.Info() {
		ch <- prometheus.MustNewConstMetric(c.consPending, prometheus.GaugeValue, float64(info.NumPending), stream, info.Name)
		ch <- prometheus.MustNewConstMetric(c.consAcking, prometheus.GaugeValue, float64(info.NumAckPending), stream, info.Name)
	}
}
