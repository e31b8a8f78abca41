//! Word lists shared by segmentation and quote extraction.
//!
//! Every list is plain data so that a reader can audit what the rules know. Lookups are by
//! lower-cased word; the sets are built once, on first use.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

fn set(words: &'static [&'static str]) -> FxHashSet<&'static str> {
    words.iter().copied().collect()
}

/// Looks `word` up case-insensitively without allocating for ASCII words (the hot path).
fn lookup<V: Copy>(get: impl Fn(&str) -> Option<V>, word: &str) -> Option<V> {
    if word.len() > 40 {
        return None;
    }
    if !word.is_ascii() {
        return get(&word.to_lowercase());
    }
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return get(word);
    }
    let mut buf = [0u8; 40];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).ok().and_then(get)
}

macro_rules! word_set {
    ($(#[$doc:meta])* $name:ident, $words:expr) => {
        $(#[$doc])*
        pub fn $name(word: &str) -> bool {
            static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
            let set = SET.get_or_init(|| set($words));
            lookup(|w| set.contains(w).then_some(()), word).is_some()
        }
    };
}

word_set!(
    /// Abbreviations that never end a sentence: titles and words that always take a following word
    /// or number ("Dr. Smith", "No. 10", "Jan. 5", "Fig. 3").
    is_prefix_abbreviation,
    &[
        "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt",
        "cpl", "pte", "pvt", "adm", "cmdr", "cdr", "brig", "sen", "rep", "gov", "atty",
        "supt", "insp", "det", "rev", "hon", "pres", "fr", "st", "mt", "ft", "no", "nos", "vs", "v",
        "cf", "e.g", "i.e", "approx", "fig", "figs", "art", "sec", "para", "vol", "ch", "pp", "p",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
        "ave", "blvd", "rd", "ex", "op", "ca", "c", "viz", "al", "dept", "univ", "assn", "mohd",
        "mme", "mlle", "sra", "herr", "cllr", "insp", "ald", "amb",
    ]
);

word_set!(
    /// Abbreviations that may or may not end a sentence ("U.S.", "Inc.", "p.m."): a sentence ends after
    /// them only when the next word is a typical sentence opener.
    is_ambiguous_abbreviation,
    &[
        "u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "a.m", "p.m", "inc", "co", "corp", "ltd", "llc",
        "plc", "bros", "jr", "sr", "etc", "esq", "ph.d", "b.a", "m.a", "n.y", "l.a", "s.a", "ag",
        "n.z", "p.a", "s.p.a", "a.d", "b.c", "gmbh", "ala", "ariz", "ark", "calif", "colo",
        "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "md", "mass", "mich", "minn",
        "miss", "mo", "mont", "neb", "nev", "n.h", "n.j", "n.m", "n.c", "n.d", "okla", "ore",
        "pa", "r.i", "s.c", "s.d", "tenn", "tex", "vt", "va", "wash", "w.va", "wis", "wyo",
    ]
);

word_set!(
    /// Words that commonly open a sentence; used to decide whether an ambiguous abbreviation or an
    /// initial ends one.
    is_sentence_opener,
    &[
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "or", "so",
        "in", "on", "at", "for", "this", "that", "these", "those", "there", "his", "her", "their",
        "its", "our", "my", "however", "meanwhile", "still", "yet", "after", "before", "when",
        "while", "if", "as", "since", "although", "though", "despite", "officials", "police",
        "some", "many", "most", "no", "one", "two", "three", "last", "earlier", "later", "now",
        "then", "what", "who", "why", "how", "asked", "speaking", "according", "both", "each",
        "neither", "nor", "mr", "mrs", "ms", "dr", "under", "with", "without", "by", "from",
    ]
);

word_set!(
    /// Capitalised words that are never part of a person's or organisation's name.
    is_capitalised_non_name,
    &[
        "but", "and", "or", "however", "meanwhile", "still", "yet", "also", "then", "later",
        "earlier", "speaking", "in", "on", "at", "for", "to", "from", "with", "by", "of", "as",
        "asked", "when", "after", "before", "while", "despite", "though", "although", "so", "now",
        "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "this", "that", "these", "those", "it", "its", "there", "here",
        "if", "instead", "indeed", "separately", "similarly", "finally", "overall", "why", "what",
        "how", "who", "where", "we", "i", "you", "our", "my", "your", "his", "her", "their", "no",
        "yes", "not", "since", "until", "unless", "because", "during", "under", "over", "amid",
        "against", "according", "one", "two", "three", "several", "some", "many", "all", "both",
        "each", "every", "another", "other", "such", "last", "next", "first", "second", "third",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "additionally", "furthermore", "moreover", "nonetheless",
        "nevertheless", "otherwise", "recently", "previously", "currently", "throughout",
        "once", "again", "just", "even", "only", "whether", "either", "neither", "nor", "like",
        "unlike", "about", "above", "below", "between", "into", "onto", "upon", "within",
        "without", "across", "along", "around", "behind", "beyond", "near", "off", "out", "up",
        "down", "through", "toward", "towards", "via", "per", "said", "says", "told", "added",
    ]
);

word_set!(
    /// Honorifics and titles stripped from a name to give its canonical form ("Russian President
    /// Vladimir Putin" -> "Vladimir Putin"). A title also names a role ("the president").
    is_title,
    &[
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
        "president", "vice", "prime", "minister", "chancellor", "secretary", "senator", "sen",
        "rep", "representative", "congressman", "congresswoman", "gov", "governor", "gen",
        "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain", "cpt",
        "adm", "admiral", "sgt", "sergeant", "cpl", "corporal", "commander", "cmdr", "marshal",
        "brigadier", "judge", "justice", "magistrate", "inspector", "insp", "det", "detective",
        "superintendent", "supt", "commissioner", "constable", "chief", "mayor", "king", "queen",
        "prince", "princess", "pope", "father", "rev", "reverend", "bishop", "archbishop",
        "cardinal", "imam", "rabbi", "sheikh", "ambassador", "envoy", "speaker", "deputy",
        "attorney", "coach", "manager", "ceo", "cfo", "coo", "chairman", "chairwoman", "chair",
        "chairperson", "director", "executive", "officer", "spokesman", "spokeswoman",
        "spokesperson", "premier", "treasurer", "councillor", "councilor", "cllr", "leader",
        "head", "founder", "boss", "emir", "ayatollah", "chancellor", "pm", "dpm", "mp", "mep",
        "senior", "junior", "acting", "interim", "former", "shadow", "foreign", "defence",
        "defense", "finance", "health", "interior", "home", "trade", "economy", "education",
        "energy", "environment", "agriculture", "transport", "culture", "labour", "labor",
        "industry", "immigration", "climate", "treasury", "state", "striker",
        "midfielder", "defender", "goalkeeper", "captain", "skipper", "batsman", "bowler",
        "forward", "winger", "player", "driver", "rider", "researcher", "scientist", "economist",
        "analyst", "lawyer", "prosecutor", "counsel", "barrister", "solicitor", "doctor",
        "professor", "nurse", "official", "adviser", "advisor", "aide", "negotiator", "diplomat",
        "lawmaker", "legislator", "activist", "campaigner", "organiser", "organizer", "owner",
        "president-elect", "prime-minister", "commissioner", "secretary-general", "mme", "herr",
        "sra", "mlle", "emeritus", "associate", "assistant", "vice-president", "vice-chancellor",
        "editor", "correspondent", "astronaut", "commander-in-chief", "regulator", "auditor",
        "governor-general", "ombudsman", "coroner", "sheriff", "marshal", "warden",
        "rector", "provost", "principal", "headteacher", "headmaster", "headmistress",
        "paramedic", "surgeon", "epidemiologist", "virologist", "meteorologist", "forecaster",
        "climatologist", "seismologist", "geologist", "physicist", "chemist", "biologist",
        "mla", "mlc", "msp", "td", "co-founder", "cofounder", "co-chair", "chief-executive",
        "curator", "agent", "mediator", "commentator", "pundit", "opener", "spokesperson",
        // Honorifics and offices of other countries, and descriptions glued before a name.
        "undersecretary", "under-secretary", "commandant", "comrade", "sarpanch", "collector",
        "datuk", "datin", "dato", "tun", "ratu", "nana", "togbe", "oba", "u", "daw", "cr", "fr",
        "atty", "pc", "garda", "mec", "mca", "dpp", "elect", "pro", "tem", "madam",
        // Religious and customary forms of address, and offices glued before a name.
        "sister", "monsignor", "msgr", "pastor", "deacon", "vicar", "canon", "abba", "pa",
        "trustee", "clerk",
        // Local offices and clergy written before a name ("County Supervisor Dale Roe",
        // "Catholic priest Father Luke Roe").
        "supervisor", "councilwoman", "councilman", "alderman", "alderwoman", "selectman",
        "priest",
        // Police ranks written as initials ("ASP Lim", "DSP Musa"), religious forms of address
        // ("Qari", "Maulana") and court positions ("Opposite Ana Roe", "setter").
        "asp", "dsp", "acp", "dcp", "ssp", "qari", "maulana", "mullah", "mufti", "opposite",
        "setter", "libero", "sr",
        "engineer", "advocate", "devotee", "pensioner", "tenant", "resident", "hydrologist",
        "volcanologist", "ecologist", "historian", "archaeologist", "coordinator", "convenor",
        "convener", "chieftain", "vendor", "shopkeeper", "trader", "retiree", "commuter",
        "farmer", "baker", "parent", "fisherman", "grandmother", "grandfather", "widow",
    ]
);

word_set!(
    /// Rank abbreviations that are also given names ("Col" for Colin): "Sergeant Col Brennan".
    is_given_name_rank,
    &["col"]
);

word_set!(
    /// Roman-numeral grades closing a rank before a name ("ADO II Samuel Tetteh", "Officer III").
    is_grade_numeral,
    &["ii", "iii", "iv", "vi", "vii", "viii", "ix"]
);

word_set!(
    /// Party and faction labels written before a politician's name ("Progressive Conservative Wes
    /// Tollefson", "Social Democrat Anna Lindqvist"): a description, not part of the name.
    is_party_label,
    &[
        "progressive", "conservative", "conservatives", "labour", "labor", "liberal", "democrat",
        "democratic", "republican", "socialist", "social", "green", "greens", "nationalist",
        "unionist", "tory", "communist", "libertarian", "reform", "reformist", "centrist",
        "independent", "sinn", "féin", "fein", "peronist", "gaullist", "radical", "populist",
    ]
);

word_set!(
    /// Nouns that close a minister's portfolio ("Minister for Foreign Affairs", "Director General
    /// of Minerals and Coal"): the name starts after them.
    is_portfolio_noun,
    &[
        "affairs", "railways", "railway", "coal", "minerals", "mines", "mining", "fisheries",
        "water", "courts", "works", "roads", "housing", "justice", "defence", "defense", "health",
        "finance", "education", "tourism", "sport", "sports", "youth", "women", "children",
        "planning", "development", "infrastructure", "commerce", "industry", "industries",
        "trade", "labour", "labor", "employment", "communications", "information",
        "broadcasting", "agriculture", "forests", "forestry", "environment", "lands", "power",
        "petroleum", "oil", "gas", "aviation", "shipping", "ports", "security", "prisons",
        "immigration", "culture", "heritage", "science", "technology", "research", "welfare",
        "pensions", "veterans", "irrigation", "transport", "revenue", "taxation", "budget",
        "economy", "treasury", "energy", "climate", "opposition", "exchequer", "resources",
        "cooperation", "integration", "relations", "services", "telecommunications",
    ]
);

word_set!(
    /// Honorifics that tell a person's gender, used to filter pronoun antecedents.
    is_male_honorific,
    &["mr", "sir", "lord", "king", "prince", "father", "herr", "sheikh", "emir"]
);

word_set!(
    /// Honorifics that tell a person's gender, used to filter pronoun antecedents.
    is_female_honorific,
    &["mrs", "ms", "miss", "dame", "lady", "queen", "princess", "mme", "mlle", "sra"]
);

word_set!(
    /// Lowercase nouns that say what kind of body the capitalised name after them is ("carmaker
    /// Hoshida Motor", "state-owned airline Aerovias"); each is also a business, so "the company"
    /// can mean it.
    is_business_kind,
    &[
        "company", "firm", "carmaker", "automaker", "airline", "retailer", "lender", "insurer",
        "manufacturer", "broadcaster", "utility", "conglomerate", "chipmaker", "drugmaker",
        "brewer", "refiner", "tannery",
    ]
);

/// The kind of body a noun or a name's body word says ("company" and "Corp" are businesses,
/// "union" and "Federation" unions), so that "the company" is never resolved to a union; "group"
/// and "organisation" fit any kind. `None` for words of no such kind.
pub fn body_kind(word: &str) -> Option<&'static str> {
    let lower = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let kind = match lower.as_str() {
        "company" | "firm" | "corp" | "corporation" | "inc" | "ltd" | "plc" | "llc" | "co"
        | "holdings" | "industries" | "motors" | "airlines" | "airways" | "partners"
        | "capital" | "systems" | "technologies" | "pharmaceuticals" | "pharma" | "labs"
        | "gmbh" | "ag" | "nv" | "bv" | "oyj" | "asa" | "developer" | "operator" | "business"
        | "maker" | "miner" | "producer" | "breweries" | "brewery" | "securities" | "resources"
        | "mining" | "petroleum" | "steel" | "foods" | "electric" | "electronics"
        | "semiconductor" | "shipping" | "logistics" | "construction" | "developments"
        | "homes" | "aviation" | "technology" | "buses" | "paper" | "platinum" | "textiles"
        | "chemicals" | "insurance" | "telecom" | "components" | "mobility" => "business",
        "bank" | "lender" => "bank",
        "club" | "fc" | "cf" | "afc" | "united" | "rovers" | "wanderers" | "athletic" => "club",
        "union" | "federation" | "association" | "guild" | "confederation" | "local" => "union",
        "group" | "organisation" | "organization" => "any",
        "regulator" | "watchdog" | "authority" | "commission" | "agency" => "regulator",
        w if is_business_kind(w) => "business",
        _ => return None,
    };
    Some(kind)
}

word_set!(
    /// Words that mark a capitalised name as an organisation, not a person.
    is_organisation_word,
    &[
        "ministry", "department", "dept", "office", "council", "party", "police", "kremlin",
        "commission", "union", "bank", "court", "agency", "association", "group", "company",
        "corp", "corporation", "inc", "ltd", "plc", "llc", "co", "university", "club", "fc",
        "committee", "army", "navy", "forces", "force", "government", "parliament", "senate",
        "congress", "assembly", "house", "board", "authority", "service", "services", "institute",
        "foundation", "organisation", "organization", "federation", "league", "trust", "fund",
        "school", "college", "hospital", "airlines", "airways", "motors", "industries", "holdings",
        "partners", "capital", "media", "news", "times", "post", "press", "network", "centre",
        "center", "bureau", "administration", "cabinet", "secretariat", "tribunal", "coalition",
        "alliance", "movement", "front", "brigade", "brigades", "guard", "command", "pentagon",
        "whitehouse", "nato", "un", "eu", "who", "imf", "opec", "fbi", "cia", "interpol",
        "unicef", "unhcr", "hamas", "hezbollah", "taliban", "reuters", "bbc", "cnn", "nhs",
        "gmbh", "ag", "sa", "nv", "bv", "oyj", "ab", "asa", "team", "society",
        "embassy", "consulate", "mission", "directorate", "inspectorate", "regulator", "exchange",
        "ombudsman", "observatory", "laboratory", "labs", "systems", "technologies", "energy",
        "pharmaceuticals", "pharma", "airport", "port", "railway", "railways", "rail", "church",
        "diocese", "mosque", "synagogue", "temple", "olympic", "fifa", "uefa", "ioc", "wada",
        "nasa", "esa", "afp", "ap", "united", "city", "rovers", "wanderers", "athletic",
        "commonwealth", "republic", "state", "states", "kingdom", "federal", "royal",
        "secretariat", "prosecutors", "prosecution", "investigators", "officials", "authorities",
        "headquarters", "firm", "lab", "studio",
        "studios", "unit", "division", "camp", "campaign", "consortium",
    ]
);

word_set!(
    /// Plural or collective nouns that stand for a group speaker ("officials said", "police said").
    is_group_noun,
    &[
        "officials", "police", "authorities", "investigators", "prosecutors", "analysts",
        "experts", "residents", "witnesses", "organisers", "organizers", "doctors", "scientists",
        "researchers", "critics", "protesters", "protestors", "activists", "diplomats",
        "sources", "militants", "rebels", "troops", "lawmakers", "ministers", "leaders",
        "observers", "campaigners", "economists", "medics", "paramedics", "firefighters",
        "rescuers", "forecasters", "meteorologists", "unions", "workers", "farmers", "teachers",
        "nurses", "parents", "fans", "players", "villagers", "locals", "negotiators", "mediators",
        "insurgents", "opponents", "supporters", "voters", "shareholders", "investors",
        "regulators", "lawyers", "judges", "staff", "employees", "executives", "managers",
        "airlines", "companies", "firms", "banks", "agencies", "governments", "sides", "both",
        "organisations", "organizations", "groups", "charities", "families", "ngos", "owners",
        "officers", "soldiers", "commanders", "spokesmen", "spokeswomen", "spokespeople", "mps",
    ]
);

word_set!(
    /// Nouns that name a body which "the NOUN" refers back to, besides the organisation words:
    /// "the museum", "the confederation", "the chamber".
    is_body_noun,
    &[
        "museum", "confederation", "chamber", "network", "library", "station", "zoo", "park",
        "gallery", "theatre", "council", "federation", "institute", "agency", "bureau", "board",
        "railway", "department", "club", "union", "commission", "authority", "ministry",
    ]
);

word_set!(
    /// Determiners that open a noun phrase.
    is_determiner,
    &["the", "a", "an", "this", "that", "these", "those", "another", "one", "two", "three", "some", "several", "many"]
);

word_set!(
    /// Adverbs and auxiliaries that may stand between a speaker and the speech verb ("Smith
    /// later told", "he has repeatedly said", "Peskov was quick to clarify").
    is_bridge_word,
    &[
        "also", "later", "has", "have", "had", "repeatedly", "previously", "again", "then",
        "earlier", "recently", "once", "further", "publicly", "separately", "reportedly",
        "would", "will", "was", "were", "is", "are", "quick", "to", "been", "not", "never",
        "first", "last", "simply", "flatly", "angrily", "strongly", "firmly", "quickly",
        "immediately", "openly", "privately", "herself", "himself", "themselves", "itself",
        "had", "did", "does", "do", "could", "should", "may", "might", "must", "can", "subsequently",
        "already", "still", "even", "just", "only", "always", "consistently", "vehemently",
        "categorically", "emphatically", "bluntly", "calmly", "pointedly", "sharply", "tersely",
        "curtly", "cautiously", "confidently", "proudly", "hastily", "swiftly", "duly", "jointly",
        "long", "since",
    ]
);

/// A person noun in the singular or the plural ("traders", "neighbours", "families"), for
/// descriptions of unnamed speakers.
pub fn is_person_noun_any_number(word: &str) -> bool {
    let lower = word.to_lowercase();
    is_person_noun(&lower)
        || lower
            .strip_suffix("ies")
            .is_some_and(|stem| is_person_noun(&format!("{stem}y")))
        || lower.strip_suffix('s').is_some_and(is_person_noun)
        || lower.strip_suffix("es").is_some_and(is_person_noun)
}

word_set!(
    /// Pronouns that may stand for a speaker.
    is_speaker_pronoun,
    &["he", "she", "they", "it", "we", "i"]
);

word_set!(
    /// Common nouns for people and their roles that head an unnamed speaker's noun phrase ("a
    /// resident", "a senior official", "the company's lawyer").
    is_person_noun,
    &[
        "resident", "witness", "neighbour", "neighbor", "source", "official", "member", "employee",
        "worker", "farmer", "teacher", "student", "parent", "fan", "voter", "citizen", "survivor",
        "victim", "relative", "friend", "colleague", "insider", "expert", "critic", "protester",
        "protestor", "volunteer", "shopkeeper", "passenger", "mother", "father", "son", "daughter",
        "wife", "husband", "brother", "sister", "man", "woman", "boy", "girl", "people", "person",
        "representative", "delegate", "commentator", "observer", "organiser", "organizer",
        "owner", "landlord", "tenant", "patient", "customer", "shareholder", "investor", "trader",
        "banker", "pilot", "soldier", "officer", "commander", "fighter", "militant", "rebel",
        "statement", "report", "document", "memo", "letter", "filing", "ruling", "verdict",
        "judgment", "judgement", "spokesman", "spokeswoman", "spokesperson", "spokespeople",
        "leader", "head", "chief", "boss", "government", "ministry", "minister", "president",
        "manager", "coach", "captain", "player", "athlete", "runner", "striker", "referee",
        "umpire", "director", "executive", "chairman", "chairwoman", "chair", "founder",
        "scientist", "researcher", "author", "authors", "doctor", "nurse", "surgeon", "lawyer",
        "attorney", "prosecutor", "judge", "magistrate", "inspector", "detective", "constable",
        "sergeant", "analyst", "economist", "negotiator", "diplomat", "ambassador", "envoy",
        "aide", "adviser", "advisor", "secretary", "mayor", "governor", "senator", "lawmaker",
        "mp", "councillor", "councilor", "activist", "campaigner", "union", "company", "firm",
        "agency", "police", "army", "military", "court", "council", "committee", "party",
        "regulator", "authority", "department", "office", "board", "bank", "club", "team",
        "group", "airline", "operator", "spokesmen", "spokeswomen", "forecaster",
        "meteorologist", "paramedic", "firefighter", "villager", "local", "guide", "ranger",
        "dealer", "buyer", "seller", "retailer", "hotelier", "exporter", "importer", "grower",
        "producer", "maker", "miner", "merchant", "vendor", "broker", "neighbor", "commuter",
        "motorist", "traveller", "traveler", "tourist", "pensioner", "family", "household",
        "homeowner", "landowner", "fisherman", "fishermen", "herder", "rancher", "labourer",
        "laborer", "nurse", "trustee", "passenger", "resident",
    ]
);

word_set!(
    /// Adjectives that may sit inside a speaker's noun phrase ("a senior official", "a local
    /// resident", "the former minister").
    is_np_adjective,
    &[
        "senior", "junior", "top", "former", "local", "young", "elderly", "veteran", "chief",
        "deputy", "acting", "interim", "leading", "prominent", "retired", "unnamed", "anonymous",
        "foreign", "defence", "defense", "health", "finance", "interior", "justice", "trade",
        "economy", "education", "energy", "environment", "transport", "military", "police",
        "government", "state", "federal", "regional", "national", "international", "independent",
        "western", "eastern", "northern", "southern", "opposition", "ruling", "conservative",
        "liberal", "labour", "liberal", "green", "centrist", "far-right", "far-left", "hardline",
        "moderate", "longtime", "long-time", "new", "incoming", "outgoing", "second", "third",
        "company", "club", "team", "union", "party", "campaign", "court", "hospital", "school",
        "university", "city", "county", "district", "council", "ministry", "white", "house",
        "press", "communications", "media", "public", "private", "legal", "medical", "security",
        "intelligence", "diplomatic", "political", "economic", "financial", "industry",
        "other", "head", "assistant", "associate", "general", "executive", "managing",
    ]
);

word_set!(
    /// Common first names read as male, for pronoun agreement ("he"). A small, audited list: a name
    /// missing here only means the pronoun is matched without gender.
    is_male_first_name,
    &[
        "john", "james", "robert", "michael", "william", "david", "richard", "joseph", "thomas",
        "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven",
        "steve", "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy",
        "ronald", "edward", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric",
        "jonathan", "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel",
        "gregory", "frank", "alexander", "patrick", "jack", "dennis", "peter", "harry", "oliver",
        "tom", "ben", "sam", "joe", "mike", "chris", "tony", "alan", "keir", "rishi", "boris",
        "emmanuel", "olaf", "vladimir", "volodymyr", "dmitry", "sergei", "sergey", "yuri", "ivan",
        "alexei", "mikhail", "nikolai", "andriy", "oleh", "oleksandr", "viktor", "xi", "wang",
        "narendra", "rahul", "ahmed", "mohammed", "muhammad", "ali", "omar", "hassan", "hussein",
        "abdul", "ibrahim", "anwar", "recep", "benjamin", "yair", "naftali", "isaac", "moshe",
        "luiz", "carlos", "jose", "juan", "luis", "miguel", "pedro", "jorge",
        "javier", "diego", "pablo", "antonio", "francisco", "giorgio", "matteo", "marco", "luca",
        "giuseppe", "carlo", "pierre", "jean", "francois", "louis", "nicolas", "hans", "karl",
        "friedrich", "wolfgang", "jurgen", "lars", "erik", "anders", "jan", "piet", "willem",
        "cyril", "jacob", "uhuru", "william", "kwame", "olusegun", "bola", "emeka", "chidi",
        "kenji", "hiroshi", "takeshi", "shinzo", "fumio", "yoshihide", "jin", "min", "joon",
        "anthony", "scott", "kevin", "malcolm", "bill", "jim", "bob", "tim", "nick", "dan",
        "martin", "simon", "neil", "ian", "graham", "nigel", "keith", "colin", "gordon", "ed",
        "rob", "will", "greg", "jeff", "josh", "matt", "andy", "pete", "ron", "ray", "roy",
        "marcus", "victor", "dean", "luke", "adam", "aaron", "henry", "arthur", "hugh", "leo",
        "max", "felix", "hugo", "oscar", "rafael", "ricardo", "sergio", "mario", "fernando",
        "chuck", "mitch", "rand", "ted", "jd", "elon", "jensen",
        "tedros", "jens", "dmytro", "denys", "vitali", "petro",
    ]
);

word_set!(
    /// Common first names read as female, for pronoun agreement ("she").
    is_female_first_name,
    &[
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica",
        "sarah", "karen", "nancy", "lisa", "betty", "margaret", "sandra", "ashley", "kimberly",
        "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa", "deborah",
        "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "angela",
        "shirley", "anna", "brenda", "pamela", "emma", "nicole", "helen", "samantha", "katherine",
        "christine", "debra", "rachel", "carolyn", "janet", "catherine", "maria", "heather",
        "diane", "ruth", "julie", "olivia", "joyce", "virginia", "victoria", "kelly", "lauren",
        "christina", "joan", "evelyn", "judith", "megan", "andrea", "cheryl", "hannah", "jacqueline",
        "martha", "gloria", "teresa", "ann", "sara", "madison", "frances", "kathryn", "janice",
        "jean", "abigail", "alice", "judy", "sophia", "grace", "denise", "amber", "doris",
        "marilyn", "danielle", "beverly", "isabella", "theresa", "diana", "natalie", "brittany",
        "charlotte", "marie", "kayla", "lori", "ursula",
        "giorgia", "marine", "annalena", "kaja", "jacinda", "jacinta", "penny", "sussan", "tanya",
        "natalia", "olena", "yulia", "iryna", "oksana", "svetlana", "irina", "olga", "tatiana",
        "maria", "elena", "sofia", "lucia", "carmen", "isabel", "ana", "gabriela", "claudia",
        "fernanda", "juliana", "beatriz", "priya", "anjali", "sunita", "aisha", "fatima",
        "amina", "leila", "yasmin", "noura", "mariam", "zainab", "hana", "yuki", "keiko",
        "mei", "li", "ying", "jia", "ngozi", "chioma", "wanjiru", "akinyi", "lerato", "thandiwe",
        "nomvula", "fiona", "clare", "claire", "kemi", "yvette", "rachel", "liz", "kate",
        "katie", "lucy", "sophie", "chloe", "ella", "amelia", "jessica", "holly", "zoe",
        "ellie", "jane", "joanna", "louise", "nadia", "nina", "eva", "ingrid", "astrid",
        "karin", "greta", "heidi", "petra", "monika", "sabine", "ulrike", "martine", "sylvie",
        "nathalie", "isabelle", "valerie", "christine", "dana", "erin", "rosa", "alexandria",
        "nikki", "hillary", "elise", "kristi", "kristina", "gina", "kirsty",
    ]
);

word_set!(
    /// Title words that only modify another title ("former", "deputy", "foreign"): alone they do
    /// not make a role or show that a name belongs to a person.
    is_title_modifier,
    &[
        "former", "senior", "junior", "acting", "interim", "shadow", "foreign", "defence",
        "defense", "finance", "health", "interior", "home", "trade", "economy", "education",
        "energy", "environment", "agriculture", "transport", "culture", "labour", "labor",
        "industry", "immigration", "climate", "treasury", "state", "vice", "deputy", "chief",
        "head", "assistant", "associate", "emeritus", "executive",
    ]
);

/// Lower-case words that belong inside names ("Ursula von der Leyen", "Frutas del Pacífico").
pub fn is_name_connector(word: &str) -> bool {
    [
        "de", "der", "van", "von", "bin", "al", "da", "la", "del", "le", "di", "du", "dos", "das",
        "ibn", "y",
    ]
    .contains(&word)
}

/// The base forms of speech and reporting verbs. Inflected forms are generated by [`is_cue_verb`].
const CUE_VERBS: &[&str] = &[
    "say",
    "tell",
    "add",
    "warn",
    "deny",
    "insist",
    "accuse",
    "claim",
    "announce",
    "argue",
    "stress",
    "vow",
    "promise",
    "threaten",
    "urge",
    "state",
    "assert",
    "declare",
    "explain",
    "note",
    "observe",
    "remark",
    "reply",
    "respond",
    "answer",
    "ask",
    "write",
    "tweet",
    "post",
    "admit",
    "acknowledge",
    "concede",
    "confirm",
    "maintain",
    "contend",
    "allege",
    "report",
    "reveal",
    "suggest",
    "predict",
    "pledge",
    "demand",
    "call",
    "caution",
    "complain",
    "emphasise",
    "emphasize",
    "underline",
    "underscore",
    "point",
    "recall",
    "repeat",
    "reiterate",
    "counter",
    "retort",
    "quip",
    "joke",
    "concede",
    "assure",
    "reassure",
    "inform",
    "testify",
    "plead",
    "mention",
    "estimate",
    "forecast",
    "conclude",
    "clarify",
    "charge",
    "blame",
    "criticise",
    "criticize",
    "condemn",
    "dismiss",
    "reject",
    "rebuff",
    "refute",
    "dispute",
    "hint",
    "signal",
    "indicate",
    "propose",
    "offer",
    "guarantee",
    "swear",
    "boast",
    "lament",
    "concur",
    "agree",
    "disagree",
    "comment",
    "shout",
    "scream",
    "whisper",
    "cry",
    "exclaim",
    "begin",
    "continue",
    "finish",
    "tell",
    "mutter",
    "sigh",
    "laugh",
    "grumble",
    "snap",
    "thunder",
    "fume",
    "advise",
    "recommend",
    "caution",
    "appeal",
    "beg",
    "implore",
    "plead",
    "demand",
    "order",
    "instruct",
    "direct",
    "command",
    "describe",
    "characterise",
    "characterize",
    "label",
    "brand",
    "hail",
    "praise",
    "welcome",
    "thank",
    "apologise",
    "apologize",
    "regret",
    "believe",
    "think",
    "feel",
    "hope",
    "fear",
    "expect",
    "worry",
    "predict",
    "tell",
    "brief",
    "relay",
    "disclose",
    "divulge",
    "publish",
    "tell",
    "wonder",
    "muse",
    "reason",
    "posit",
    "speculate",
    "theorise",
    "theorize",
    "elaborate",
    "specify",
    "affirm",
    "reaffirm",
    "proclaim",
    "recount",
    "summarise",
    "summarize",
    "stress",
    "warn",
    "rule",
    "challenge",
    "want",
    "hit",
];

/// Irregular forms (and their lemmas) that the suffix rules in [`inflections`] do not produce.
const CUE_IRREGULAR: &[(&str, &str)] = &[
    ("said", "say"),
    ("says", "say"),
    ("saying", "say"),
    ("told", "tell"),
    ("tells", "tell"),
    ("telling", "tell"),
    ("wrote", "write"),
    ("written", "write"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("began", "begin"),
    ("begun", "begin"),
    ("quipped", "quip"),
    ("quipping", "quip"),
    ("snapped", "snap"),
    ("snapping", "snap"),
    ("admitted", "admit"),
    ("admitting", "admit"),
    ("signalled", "signal"),
    ("signalling", "signal"),
    ("labelled", "label"),
    ("labelling", "label"),
    ("thought", "think"),
    ("felt", "feel"),
];

/// Cue verbs that are too often used in a non-speech sense to govern reported speech without an
/// explicit "that" ("She maintained her lead", "He added sugar").
const NEEDS_THAT: &[&str] = &[
    "add",
    "maintain",
    "note",
    "stress",
    "acknowledge",
    "concede",
    "reveal",
    "confirm",
    "report",
    "indicate",
    "signal",
    "suggest",
    "recall",
    "repeat",
    "point",
    "observe",
    "remark",
    "mention",
    "estimate",
    "forecast",
    "conclude",
    "hint",
    "emphasise",
    "emphasize",
    "underline",
    "underscore",
    "believe",
    "think",
    "feel",
    "hope",
    "fear",
    "expect",
    "worry",
    "write",
    "post",
    "tweet",
    "publish",
    "disclose",
    "agree",
    "disagree",
    "comment",
    "continue",
    "begin",
    "finish",
    "answer",
    "respond",
    "reply",
    "counter",
    "retort",
    "explain",
    "state",
    "assert",
    "declare",
    "announce",
    "argue",
    "contend",
    "predict",
    "guarantee",
    "swear",
    "boast",
    "lament",
    "wonder",
    "reason",
    "posit",
    "speculate",
    "describe",
    "describe",
    "label",
    "brand",
    "characterise",
    "characterize",
    "hail",
    "praise",
    "welcome",
    "thank",
    "regret",
    "apologise",
    "apologize",
    "offer",
    "propose",
    "dismiss",
    "reject",
    "rebuff",
    "refute",
    "dispute",
    "complain",
    "criticise",
    "criticize",
    "condemn",
    "charge",
    "blame",
    "recommend",
    "advise",
    "order",
    "instruct",
    "direct",
    "command",
    "appeal",
    "beg",
    "implore",
    "plead",
    "testify",
    "inform",
    "brief",
    "relay",
    "assure",
    "reassure",
    "clarify",
    "call",
    "shout",
    "scream",
    "whisper",
    "cry",
    "exclaim",
    "mutter",
    "sigh",
    "laugh",
    "grumble",
    "snap",
    "thunder",
    "fume",
    "quip",
    "joke",
    "concur",
    "muse",
    "divulge",
    "theorise",
    "theorize",
    "caution",
    "elaborate",
    "specify",
    "affirm",
    "reaffirm",
    "proclaim",
    "recount",
    "summarise",
    "summarize",
    "rule",
    "challenge",
    "want",
    "hit",
];

/// Lemma (base form) of a cue verb, or `None` when `word` is not a speech or reporting verb.
pub fn cue_lemma(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<FxHashMap<String, &'static str>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for &verb in CUE_VERBS {
            for form in inflections(verb) {
                map.entry(form).or_insert(verb);
            }
        }
        for &(form, lemma) in CUE_IRREGULAR {
            map.insert(form.to_string(), lemma);
        }
        map
    });
    lookup(|w| map.get(w).copied(), word)
}

/// True when `word` is any form of a speech or reporting verb.
pub fn is_cue_verb(word: &str) -> bool {
    cue_lemma(word).is_some()
}

/// True when the cue verb needs an explicit "that" before it can govern reported speech.
pub fn cue_needs_that(lemma: &str) -> bool {
    NEEDS_THAT.contains(&lemma)
}

/// Regular English inflections of a verb: base, -s, -ed, -ing.
fn inflections(verb: &str) -> Vec<String> {
    let mut forms = vec![verb.to_string()];
    let bytes = verb.as_bytes();
    let last = bytes.last().copied().unwrap_or(b' ');
    let before_last = if bytes.len() >= 2 {
        bytes[bytes.len() - 2]
    } else {
        b' '
    };
    let vowel = |c: u8| b"aeiou".contains(&c);
    if last == b'e' {
        let stem = &verb[..verb.len() - 1];
        forms.push(format!("{verb}s"));
        forms.push(format!("{verb}d"));
        forms.push(format!("{stem}ing"));
    } else if last == b'y' && !vowel(before_last) {
        let stem = &verb[..verb.len() - 1];
        forms.push(format!("{stem}ies"));
        forms.push(format!("{stem}ied"));
        forms.push(format!("{verb}ing"));
    } else if matches!(last, b's' | b'x' | b'z' | b'h') {
        forms.push(format!("{verb}es"));
        forms.push(format!("{verb}ed"));
        forms.push(format!("{verb}ing"));
    } else {
        forms.push(format!("{verb}s"));
        forms.push(format!("{verb}ed"));
        forms.push(format!("{verb}ing"));
        // Doubling of a final consonant after a single short vowel: "vet" -> "vetted".
        if verb.len() <= 4 && vowel(before_last) && !matches!(last, b'w' | b'y' | b'x') {
            forms.push(format!("{verb}{}ed", last as char));
            forms.push(format!("{verb}{}ing", last as char));
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_verbs_are_recognised_in_every_tense() {
        for word in [
            "said", "says", "saying", "warned", "warns", "denied", "denies", "told", "urged",
            "vowed", "accused", "Insisted",
        ] {
            assert!(is_cue_verb(word), "{word}");
        }
        for word in ["the", "table", "minister", "sad", "tolled"] {
            assert!(!is_cue_verb(word), "{word}");
        }
    }

    #[test]
    fn lemmas_of_irregular_forms() {
        assert_eq!(cue_lemma("said"), Some("say"));
        assert_eq!(cue_lemma("told"), Some("tell"));
        assert_eq!(cue_lemma("denied"), Some("deny"));
        assert_eq!(cue_lemma("warned"), Some("warn"));
        assert_eq!(cue_lemma("added"), Some("add"));
    }

    #[test]
    fn abbreviation_tables() {
        assert!(is_prefix_abbreviation("Dr"));
        assert!(is_ambiguous_abbreviation("U.S"));
        assert!(!is_prefix_abbreviation("cat"));
        assert!(is_title("President"));
        assert!(is_organisation_word("Kremlin"));
    }
}
