package index

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// The generator makes realistic events for benchmarks: varied types,
// actors and places, dates from 2015 to 2026 at day, month and year
// precision with some spans, ~300-byte sentences whose words follow a
// Zipf distribution like news text.

var genTypes = []string{
	"treaty_signing", "negotiation", "meeting", "statement", "military_strike",
	"arms_transfer", "sanction", "troop_deployment", "weapons_test", "casualties",
	"ceasefire", "aid", "protest", "election",
}

var genActors = strings.Split("Russia,Ukraine,North Korea,South Korea,China,Taiwan,Japan,United States,"+
	"United Kingdom,France,Germany,Italy,Spain,Poland,Turkey,Iran,Iraq,Syria,Israel,Hamas,Hezbollah,"+
	"Lebanon,Egypt,Saudi Arabia,Qatar,United Arab Emirates,Yemen,Houthis,India,Pakistan,Afghanistan,"+
	"Taliban,Bangladesh,Myanmar,Thailand,Vietnam,Philippines,Indonesia,Malaysia,Australia,"+
	"New Zealand,Canada,Mexico,Brazil,Argentina,Venezuela,Colombia,Chile,Peru,Cuba,Nigeria,"+
	"Ethiopia,Sudan,South Sudan,Somalia,Kenya,Mali,Niger,Burkina Faso,Libya,Algeria,Morocco,"+
	"South Africa,Democratic Republic of the Congo,Rwanda,Belarus,Georgia,Armenia,Azerbaijan,"+
	"Kazakhstan,Serbia,Kosovo,Hungary,Romania,Moldova,Finland,Sweden,Norway,NATO,European Union,"+
	"United Nations,African Union,ASEAN,IAEA,World Bank,IMF,Red Cross,Wagner Group,Vladimir Putin,"+
	"Volodymyr Zelensky,Kim Jong Un,Xi Jinping,Joe Biden,Donald Trump,Emmanuel Macron,Olaf Scholz,"+
	"Recep Tayyip Erdogan,Benjamin Netanyahu,Narendra Modi,Ali Khamenei,Antonio Guterres", ",")

var genPlaces = []event.Place{
	{Name: "Kyiv", Country: "Ukraine", Lat: 50.45, Lon: 30.52},
	{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23},
	{Name: "Odesa", Country: "Ukraine", Lat: 46.48, Lon: 30.72},
	{Name: "Moscow", Country: "Russia", Lat: 55.75, Lon: 37.62},
	{Name: "Pyongyang", Country: "North Korea", Lat: 39.03, Lon: 125.75},
	{Name: "Seoul", Country: "South Korea", Lat: 37.57, Lon: 126.98},
	{Name: "Beijing", Country: "China", Lat: 39.9, Lon: 116.4},
	{Name: "Taipei", Country: "Taiwan", Lat: 25.03, Lon: 121.56},
	{Name: "Tokyo", Country: "Japan", Lat: 35.68, Lon: 139.69},
	{Name: "Washington", Country: "United States", Lat: 38.9, Lon: -77.04},
	{Name: "New York", Country: "United States", Lat: 40.71, Lon: -74.01},
	{Name: "London", Country: "United Kingdom", Lat: 51.51, Lon: -0.13},
	{Name: "Paris", Country: "France", Lat: 48.86, Lon: 2.35},
	{Name: "Berlin", Country: "Germany", Lat: 52.52, Lon: 13.4},
	{Name: "Brussels", Country: "Belgium", Lat: 50.85, Lon: 4.35},
	{Name: "Warsaw", Country: "Poland", Lat: 52.23, Lon: 21.01},
	{Name: "Ankara", Country: "Turkey", Lat: 39.93, Lon: 32.86},
	{Name: "Tehran", Country: "Iran", Lat: 35.69, Lon: 51.39},
	{Name: "Baghdad", Country: "Iraq", Lat: 33.31, Lon: 44.36},
	{Name: "Damascus", Country: "Syria", Lat: 33.51, Lon: 36.28},
	{Name: "Gaza", Country: "Palestine", Lat: 31.5, Lon: 34.47},
	{Name: "Jerusalem", Country: "Israel", Lat: 31.77, Lon: 35.21},
	{Name: "Beirut", Country: "Lebanon", Lat: 33.89, Lon: 35.5},
	{Name: "Cairo", Country: "Egypt", Lat: 30.04, Lon: 31.24},
	{Name: "Riyadh", Country: "Saudi Arabia", Lat: 24.71, Lon: 46.68},
	{Name: "Doha", Country: "Qatar", Lat: 25.29, Lon: 51.53},
	{Name: "Sanaa", Country: "Yemen", Lat: 15.37, Lon: 44.19},
	{Name: "New Delhi", Country: "India", Lat: 28.61, Lon: 77.21},
	{Name: "Islamabad", Country: "Pakistan", Lat: 33.68, Lon: 73.05},
	{Name: "Kabul", Country: "Afghanistan", Lat: 34.56, Lon: 69.21},
	{Name: "Naypyidaw", Country: "Myanmar", Lat: 19.76, Lon: 96.08},
	{Name: "Manila", Country: "Philippines", Lat: 14.6, Lon: 120.98},
	{Name: "Jakarta", Country: "Indonesia", Lat: -6.21, Lon: 106.85},
	{Name: "Canberra", Country: "Australia", Lat: -35.28, Lon: 149.13},
	{Name: "Ottawa", Country: "Canada", Lat: 45.42, Lon: -75.7},
	{Name: "Mexico City", Country: "Mexico", Lat: 19.43, Lon: -99.13},
	{Name: "Brasilia", Country: "Brazil", Lat: -15.79, Lon: -47.88},
	{Name: "Caracas", Country: "Venezuela", Lat: 10.48, Lon: -66.9},
	{Name: "Bogota", Country: "Colombia", Lat: 4.71, Lon: -74.07},
	{Name: "Abuja", Country: "Nigeria", Lat: 9.08, Lon: 7.4},
	{Name: "Addis Ababa", Country: "Ethiopia", Lat: 9.03, Lon: 38.74},
	{Name: "Khartoum", Country: "Sudan", Lat: 15.5, Lon: 32.56},
	{Name: "Mogadishu", Country: "Somalia", Lat: 2.05, Lon: 45.32},
	{Name: "Nairobi", Country: "Kenya", Lat: -1.29, Lon: 36.82},
	{Name: "Bamako", Country: "Mali", Lat: 12.64, Lon: -8.0},
	{Name: "Tripoli", Country: "Libya", Lat: 32.89, Lon: 13.19},
	{Name: "Minsk", Country: "Belarus", Lat: 53.9, Lon: 27.57},
	{Name: "Tbilisi", Country: "Georgia", Lat: 41.72, Lon: 44.79},
	{Name: "Yerevan", Country: "Armenia", Lat: 40.18, Lon: 44.51},
	{Name: "Baku", Country: "Azerbaijan", Lat: 40.41, Lon: 49.87},
	{Name: "Belgrade", Country: "Serbia", Lat: 44.79, Lon: 20.45},
	{Name: "Geneva", Country: "Switzerland", Lat: 46.2, Lon: 6.14},
	{Name: "Vienna", Country: "Austria", Lat: 48.21, Lon: 16.37},
	{Name: "Helsinki", Country: "Finland", Lat: 60.17, Lon: 24.94},
}

var genFeeds = []string{"Reuters World", "AP Top News", "BBC World", "Al Jazeera", "France 24",
	"Deutsche Welle", "Kyiv Independent", "Yonhap", "NHK World", "The Guardian World", "NPR World", "Times of India"}

var genVerbs = map[string][]string{
	"treaty_signing":   {"signed a treaty with", "concluded an agreement with", "ratified a pact with"},
	"negotiation":      {"held talks with", "negotiated with", "resumed negotiations with"},
	"meeting":          {"met", "hosted", "held a summit with"},
	"statement":        {"warned", "accused", "criticised"},
	"military_strike":  {"launched strikes on", "shelled", "bombed positions of"},
	"arms_transfer":    {"delivered weapons to", "shipped artillery shells to", "supplied missiles to"},
	"sanction":         {"imposed sanctions on", "froze assets of", "banned exports to"},
	"troop_deployment": {"deployed troops near", "sent soldiers to", "moved armoured units towards"},
	"weapons_test":     {"test-fired a missile near", "conducted a nuclear test watched by", "tested a drone against"},
	"casualties":       {"reported deaths among forces of", "counted civilian casualties caused by", "lost soldiers fighting"},
	"ceasefire":        {"agreed a ceasefire with", "declared a truce with", "halted fire against"},
	"aid":              {"sent humanitarian aid to", "pledged assistance to", "delivered food to"},
	"protest":          {"protested against", "rallied against", "marched against"},
	"election":         {"held elections observed by", "voted in a poll monitored by", "elected a leader backed by"},
}

// genWords is news vocabulary, most frequent first (drawn with Zipf).
var genWords = strings.Fields(`government officials said minister president forces military security
country people state war talks agreement border attack reported according ministry spokesman week
capital region army defence foreign international leaders meeting deal troops political economic
police killed statement crisis support nuclear peace conflict sanctions power energy civilians city
oil gas trade talks weapons missile drone strike shelling artillery frontline offensive counteroffensive
humanitarian refugees aid convoy hospital school village infrastructure grid port grain exports
imports tariffs inflation currency bank central budget parliament vote election opposition coalition
protesters demonstrators rally crackdown arrests court judge ruling constitution referendum campaign
candidate ballot turnout fraud observers commission envoy ambassador embassy delegation summit
ceasefire truce negotiations mediators hostages prisoners exchange release detained journalists media
internet censorship cyber hackers intelligence spy surveillance satellite launch test ballistic
hypersonic warhead enrichment uranium inspectors reactor plant facility radiation shipments
deliveries tanks jets fighter aircraft helicopters navy warships submarine fleet drills exercises
alliance partnership cooperation strategic bilateral multilateral treaty accord memorandum pact
framework roadmap initiative proposal plan resolution council assembly vote veto members allies
partners neighbours rivals adversaries tensions escalation deterrence provocation warning threat
retaliation response condemnation criticism concern appeal demand pressure isolation embargo
blockade siege occupation annexation invasion withdrawal deployment mobilisation conscription
recruitment casualties wounded dead injured missing displaced evacuated shelter camps famine
drought floods earthquake disaster relief reconstruction investment loans debt assistance funding
donors pledges conference ministers foreign affairs spokesperson press briefing interview televised
address speech remarks comments sources familiar matter anonymity confirmed denied rejected
accused blamed claimed insisted stressed noted added told reporters agency news officials local
residents witnesses footage images video social posted online report investigation probe inquiry`)

// genCorpus returns n events in articles of 1 to 7 events, deterministic
// for a seed.
func genCorpus(n int, seed int64) []event.Event {
	r := rand.New(rand.NewSource(seed))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(genWords)-1))
	lo := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC).Sub(lo).Hours() / 24)

	out := make([]event.Event, 0, n)
	for art := 0; len(out) < n; art++ {
		feed := genFeeds[r.Intn(len(genFeeds))]
		published := lo.AddDate(0, 0, r.Intn(days))
		a := event.ArticleRef{
			ID:        fmt.Sprintf("art-%07d", art),
			URL:       fmt.Sprintf("https://news.example.org/%d/%07d", published.Year(), art),
			Title:     genPhrase(r, zipf, 9),
			Feed:      feed,
			Published: published,
		}
		for k := 1 + r.Intn(7); k > 0 && len(out) < n; k-- {
			out = append(out, genEvent(r, zipf, a, lo, days))
		}
	}
	return out
}

func genEvent(r *rand.Rand, zipf *rand.Zipf, a event.ArticleRef, lo time.Time, days int) event.Event {
	typ := genTypes[r.Intn(len(genTypes))]
	a1 := genActors[r.Intn(len(genActors))]
	a2 := genActors[r.Intn(len(genActors))]
	p := genPlaces[r.Intn(len(genPlaces))]
	verb := genVerbs[typ][r.Intn(len(genVerbs[typ]))]
	d := lo.AddDate(0, 0, r.Intn(days))

	e := event.Event{Type: typ, Title: fmt.Sprintf("%s %s %s in %s", a1, verb, a2, p.Name),
		Status: event.Occurred, Actors: []string{a1}, Places: []event.Place{p}, Article: a,
		Confidence: 0.5 + r.Float64()/2, Mentions: 1 + r.Intn(3)}
	if a2 != a1 {
		e.Actors = append(e.Actors, a2)
	}
	switch x := r.Intn(100); {
	case x < 75:
		e.Date, e.Precision, e.DateText = d.Format("2006-01-02"), event.Day, d.Format("January 2, 2006")
	case x < 93:
		e.Date, e.Precision, e.DateText = d.Format("2006-01"), event.Month, d.Format("January 2006")
	default:
		e.Date, e.Precision, e.DateText = d.Format("2006"), event.Year, d.Format("2006")
	}
	if r.Intn(100) < 8 {
		e.DateEnd = d.AddDate(0, 1+r.Intn(24), 0).Format("2006-01")
	}
	switch x := r.Intn(100); {
	case x < 12:
		e.Status = event.Planned
	case x < 15:
		e.Status = event.Denied
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s %s %s in %s on %s, ", a1, verb, a2, p.Name, e.DateText)
	for s.Len() < 270+r.Intn(60) {
		s.WriteString(genWords[zipf.Uint64()])
		s.WriteByte(' ')
	}
	e.Sentence = strings.TrimSpace(s.String()) + "."
	e.ID = event.ID(a.ID, typ, e.Date, e.DateEnd, e.Actors)
	return e
}

func genPhrase(r *rand.Rand, zipf *rand.Zipf, words int) string {
	w := make([]string, words)
	for i := range w {
		w[i] = genWords[zipf.Uint64()]
	}
	w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
	return strings.Join(w, " ")
}

// genEchoes returns events followed by n re-reports of randomly chosen
// ones: the same happening (type, status, dates, actors, places) read
// again from later articles of random feeds, two per article, in other
// words and with other confidences. They merge with what they echo.
func genEchoes(events []event.Event, n int, seed int64) []event.Event {
	r := rand.New(rand.NewSource(seed))
	out := slices.Clip(events)
	for i := range n {
		e := events[r.Intn(len(events))]
		art := fmt.Sprintf("echo-%07d", i/2)
		e.Article = event.ArticleRef{ID: art, URL: "https://echo.example.org/" + art, Title: "Echo " + art,
			Feed: genFeeds[r.Intn(len(genFeeds))], Published: e.Article.Published.AddDate(0, 0, 1+r.Intn(3))}
		e.Sentence = "Reported again: " + e.Sentence[:40]
		e.Confidence = 0.5 + r.Float64()/2
		e.Mentions = 1 + r.Intn(2)
		e.ID = event.ID(art, e.Type, e.Date, e.DateEnd, e.Actors)
		out = append(out, e)
	}
	return out
}
