package export

import (
	"strings"
	"unicode"
)

// placeKinds name a place by its kind, for a redacted report: the first
// whose words appear in the place wins.
var placeKinds = []struct {
	kind  string
	words []string
}{
	{"the author's home", []string{"my home", "home", "my house", "my flat", "my street", "my gate", "my door", "front door",
		"driveway", "my garden", "outside my", "my road"}},
	{"the practice", []string{"surgery", "practice", "clinic", "health centre", "medical centre", "reception", "waiting room",
		"consulting room", "gp "}},
	{"a hospital", []string{"hospital", "ward", "a&e", "emergency department"}},
	{"a car park", []string{"car park", "parking"}},
	{"by phone, post or online", []string{"phone", "mobile", "text", "email", "e-mail", "online", "facebook", "instagram",
		"whatsapp", "twitter", "tiktok", "linkedin", "website", "voicemail", "letter", "post", "messenger"}},
	{"a school", []string{"school", "nursery", "college"}},
	{"a shop or public place", []string{"shop", "supermarket", "store", "pharmacy", "café", "cafe", "pub", "restaurant",
		"gym", "library", "church", "park"}},
	{"public transport", []string{"station", "bus", "train", "tram"}},
	{"a street", []string{"street", "road", "lane", "avenue", "close", "drive", "way", "crescent"}},
}

// placeKind names a place by its kind, without its name.
func placeKind(place string) string {
	p := " " + strings.ToLower(place) + " "
	for _, k := range placeKinds {
		for _, w := range k.words {
			if strings.Contains(p, w) {
				return k.kind
			}
		}
	}
	return "a place (name removed)"
}

// genericPlaceWords are words of place names that do not identify one.
var genericPlaceWords = map[string]bool{
	"the": true, "my": true, "our": true, "and": true, "of": true, "at": true, "on": true, "in": true, "by": true, "outside": true,
	"surgery": true, "practice": true, "clinic": true, "health": true, "medical": true, "centre": true, "center": true,
	"reception": true, "waiting": true, "room": true, "staff": true, "car": true, "park": true, "hospital": true, "ward": true,
	"home": true, "house": true, "flat": true, "street": true, "road": true, "lane": true, "avenue": true, "close": true,
	"drive": true, "way": true, "school": true, "station": true, "shop": true, "main": true, "front": true, "back": true,
	"door": true, "gate": true, "entrance": true, "office": true, "building": true, "floor": true, "mobile": true,
	"phone": true, "email": true, "online": true, "north": true, "south": true, "east": true, "west": true, "high": true,
	"new": true, "old": true, "upper": true, "lower": true, "consulting": true, "gp": true,
}

func init() {
	// The words that name a kind of place are not a place's name.
	for _, k := range placeKinds {
		for _, w := range k.words {
			for _, part := range strings.Fields(w) {
				genericPlaceWords[part] = true
			}
		}
	}
	for _, w := range []string{"letter", "message", "messages", "call", "calls", "near", "behind", "opposite", "next", "to",
		"from", "via", "account", "page", "group", "chat", "app", "road", "corner", "window", "desk", "corridor", "lift", "stairs"} {
		genericPlaceWords[w] = true
	}
}

// place remembers the words of a place's name that identify it
// ("Riverside" of "Riverside Surgery"), to replace in text.
func (r *redactor) place(place string) {
	for _, w := range strings.FieldsFunc(place, func(c rune) bool { return !unicode.IsLetter(c) && c != '\'' && c != '-' }) {
		w = strings.Trim(w, "'-")
		rs := []rune(w)
		if len(rs) < 3 || !unicode.IsUpper(rs[0]) || genericPlaceWords[strings.ToLower(w)] {
			continue
		}
		r.placeWords[w] = true
	}
}

// shortForms are the usual short forms of English first names, replaced
// in text like the name itself ("Jack" for a John).
var shortForms = map[string][]string{
	"john": {"Jack", "Johnny", "Jon"}, "william": {"Will", "Bill", "Billy", "Liam"}, "robert": {"Rob", "Bob", "Bobby", "Robbie"},
	"richard": {"Rich", "Rick", "Dick"}, "james": {"Jim", "Jimmy", "Jamie"}, "michael": {"Mike", "Mick", "Mickey"},
	"thomas": {"Tom", "Tommy"}, "christopher": {"Chris"}, "daniel": {"Dan", "Danny"}, "matthew": {"Matt"},
	"anthony": {"Tony"}, "joseph": {"Joe", "Joey"}, "david": {"Dave", "Davy"}, "edward": {"Ed", "Eddie", "Ted", "Ned"},
	"charles": {"Charlie", "Chas"}, "henry": {"Harry", "Hal"}, "peter": {"Pete"}, "stephen": {"Steve"}, "steven": {"Steve"},
	"andrew": {"Andy", "Drew"}, "benjamin": {"Ben"}, "samuel": {"Sam"}, "alexander": {"Alex", "Sandy"},
	"nicholas": {"Nick", "Nicky"}, "timothy": {"Tim"}, "kenneth": {"Ken", "Kenny"}, "patrick": {"Pat", "Paddy"},
	"margaret": {"Maggie", "Meg", "Peggy"}, "elizabeth": {"Liz", "Lizzie", "Beth", "Betty"},
	"catherine": {"Cathy", "Kate", "Katie"}, "katherine": {"Kathy", "Kate", "Katie"}, "jennifer": {"Jen", "Jenny"},
	"rebecca": {"Becky", "Becca"}, "susan": {"Sue", "Susie"}, "deborah": {"Debbie", "Deb"}, "patricia": {"Pat", "Trish"},
	"victoria": {"Vicky", "Tori"}, "jessica": {"Jess"}, "alexandra": {"Alex", "Lexi"}, "samantha": {"Sam"},
	"christine": {"Chris", "Chrissie"}, "mary": {"Molly", "Polly"}, "ann": {"Annie"}, "anne": {"Annie"},
	"jacqueline": {"Jackie"}, "amanda": {"Mandy"}, "pamela": {"Pam"}, "abigail": {"Abby"},
}
