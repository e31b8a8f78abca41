//! Resolving speaker phrases to the fullest name an article gives.
//!
//! An article is read once for mentions of people and organisations: runs of capitalised words,
//! with any leading titles split off as a role ("Russian President Vladimir Putin" is the person
//! "Vladimir Putin" with the role "russian president"). Speaker phrases are then resolved against
//! them: surnames and honorific forms to the full name ("Mr Putin" -> "Vladimir Putin"), role
//! phrases to the person the article gave that role ("the Russian president"), and pronouns to the
//! subject of the nearest sentence naming a compatible person.

use std::collections::HashMap;

use crate::lexicon;
use crate::segment::Span;
use crate::tokens::Token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

#[derive(Clone, Debug)]
struct Mention {
    pos: usize,
    /// Index of the entity in `Resolver::entities`.
    entity: usize,
    sentence: usize,
}

#[derive(Clone, Debug)]
struct Entity {
    name: String,
    is_person: bool,
    /// Seen with a title, honorific, role or as a speaker: surely a person.
    confirmed: bool,
    gender: Option<Gender>,
}

/// Per-article speaker resolution.
#[derive(Debug, Default)]
pub struct Resolver {
    entities: Vec<Entity>,
    mentions: Vec<Mention>,
    /// Role phrase (lower case, without determiner) -> entity, latest wins.
    roles: HashMap<String, usize>,
    sentences: Vec<Span>,
}

/// Words that split a capitalised run but belong to names ("Ursula von der Leyen").
fn is_name_connector(word: &str) -> bool {
    ["de", "der", "van", "von", "bin", "al", "da", "la", "del", "le", "di", "du", "dos", "das", "ibn"].contains(&word)
}

fn is_name_token(t: &Token) -> bool {
    t.is_capitalised() && !lexicon::is_capitalised_non_name(t.bare())
}

fn strip_title(word: &str) -> String {
    word.trim_end_matches('.').to_lowercase()
}

impl Resolver {
    /// Reads `text` (tokenised as `tokens`) for mentions, skipping the spans in `exclude` (the
    /// inside of quotations, where names are not the speaker's).
    pub fn new(tokens: &[Token], sentences: &[Span], exclude: &[Span]) -> Self {
        let mut resolver = Resolver { sentences: sentences.to_vec(), ..Resolver::default() };
        let inside = |pos: usize| exclude.iter().any(|s| s.start <= pos && pos < s.end);
        let mut i = 0;
        while i < tokens.len() {
            if inside(tokens[i].start) || !(is_name_token(&tokens[i]) || is_role_word(&tokens[i])) {
                i += 1;
                continue;
            }
            // A run of titles, roles and names.
            let start = i;
            let mut j = i;
            while j < tokens.len() && !inside(tokens[j].start) {
                let t = &tokens[j];
                let connector = t.is_word() && is_name_connector(t.text) && j + 1 < tokens.len() && is_name_token(&tokens[j + 1]);
                if is_name_token(t) || is_role_word(t) || connector {
                    j += 1;
                    if t.is_possessive() {
                        break;
                    }
                } else {
                    break;
                }
            }
            resolver.add_run(&tokens[start..j]);
            i = j.max(i + 1);
        }
        resolver.add_appositions(tokens, &inside);
        resolver
    }

    fn sentence_of(&self, pos: usize) -> usize {
        self.sentences.partition_point(|s| s.end <= pos)
    }

    /// Registers a run such as "Russian President Vladimir Putin" or "Kremlin spokesperson Dmitry
    /// Peskov" or "Smith".
    fn add_run(&mut self, run: &[Token]) {
        let last_title = run.iter().rposition(|t| lexicon::is_title(&strip_title(t.bare())));
        let (role, name) = match last_title {
            Some(k) => (&run[..=k], &run[k + 1..]),
            None => (&run[..0], run),
        };
        let name: Vec<&Token> = name.iter().filter(|t| is_name_token(t) || is_name_connector(t.text)).collect();
        if name.is_empty() {
            return;
        }
        let org = name.iter().any(|t| lexicon::is_organisation_word(t.bare()) || is_acronym(t.bare()));
        if org {
            // Organisations keep their whole run as written ("General Motors").
            let text = join(run.iter().filter(|t| !lexicon::is_capitalised_non_name(t.bare())));
            if !text.is_empty() {
                let entity = self.entity(&text, false, true);
                self.mentions.push(Mention { pos: run[0].start, entity, sentence: self.sentence_of(run[0].start) });
            }
            return;
        }
        let name_text = join(name.iter().copied());
        let honorific = role.iter().find_map(|t| {
            let w = strip_title(t.bare());
            if lexicon::is_male_honorific(&w) {
                Some(Gender::Male)
            } else if lexicon::is_female_honorific(&w) {
                Some(Gender::Female)
            } else {
                None
            }
        });
        let confirmed = !role.is_empty();
        if name.len() == 1 && !confirmed && self.find_by_part(&name_text).is_none() {
            // A lone capitalised word: a person only once we know someone of that name, or it
            // stands next to a speech verb (checked when the phrase is resolved).
            return;
        }
        let entity = if name.len() == 1 { self.find_by_part(&name_text).unwrap_or_else(|| self.entity(&name_text, true, confirmed)) } else { self.entity(&name_text, true, confirmed) };
        if let Some(g) = honorific {
            self.entities[entity].gender = Some(g);
        }
        if confirmed {
            self.entities[entity].confirmed = true;
            let role_words: Vec<String> = role
                .iter()
                .map(|t| strip_title(t.bare()))
                .filter(|w| !lexicon::is_male_honorific(w) && !lexicon::is_female_honorific(w) && w != "dr" && w != "prof")
                .collect();
            if !role_words.is_empty() {
                self.roles.insert(role_words.join(" "), entity);
            }
        }
        self.mentions.push(Mention { pos: name[0].start, entity, sentence: self.sentence_of(name[0].start) });
    }

    /// "the minister, John Howard," and "John Howard, the minister," give John Howard that role.
    fn add_appositions(&mut self, tokens: &[Token], inside: &dyn Fn(usize) -> bool) {
        for (k, comma) in tokens.iter().enumerate() {
            if comma.text != "," || inside(comma.start) {
                continue;
            }
            // role , Name
            if let Some(role) = definite_role_before(tokens, k) {
                let names: Vec<&Token> = tokens[k + 1..].iter().take_while(|t| is_name_token(t)).collect();
                if names.len() >= 2 {
                    let entity = self.entity(&join(names.iter().copied()), true, true);
                    self.roles.insert(role, entity);
                }
            }
            // Name , the role
            if k + 2 < tokens.len() && tokens[k + 1].is("the") {
                let role: Vec<&Token> = tokens[k + 2..].iter().take_while(|t| t.is_word() && !t.is_capitalised() && (is_role_word(t) || lexicon::is_np_adjective(&t.lower()))).collect();
                let names: Vec<&Token> = tokens[..k].iter().rev().take_while(|t| is_name_token(t)).collect();
                if !role.is_empty() && names.len() >= 2 {
                    let name = join(names.iter().rev().copied());
                    let entity = self.entity(&name, true, true);
                    self.roles.insert(join(role.iter().copied()).to_lowercase(), entity);
                }
            }
        }
    }

    fn entity(&mut self, name: &str, is_person: bool, confirmed: bool) -> usize {
        if let Some(k) = self.entities.iter().position(|e| e.name == name) {
            self.entities[k].confirmed |= confirmed;
            return k;
        }
        // A longer form of a name we know ("Putin" known, now "Vladimir Putin") replaces it.
        if is_person {
            if let Some(k) = self.entities.iter().position(|e| e.is_person && ends_with_words(name, &e.name)) {
                self.entities[k].name = name.to_string();
                self.entities[k].confirmed |= confirmed;
                return k;
            }
        }
        self.entities.push(Entity { name: name.to_string(), is_person, confirmed, gender: None });
        self.entities.len() - 1
    }

    /// The known person whose name contains `part` as its last (or first) word.
    fn find_by_part(&self, part: &str) -> Option<usize> {
        let by_last = self.entities.iter().rposition(|e| e.is_person && e.name.split(' ').next_back() == Some(part) && e.name != part);
        by_last
            .or_else(|| self.entities.iter().rposition(|e| e.is_person && e.name.split(' ').count() > 1 && e.name.split(' ').next() == Some(part)))
            .or_else(|| self.entities.iter().rposition(|e| e.name == part))
    }

    /// Resolves the speaker phrase `phrase` (tokens) found at byte offset `pos`.
    pub fn resolve(&mut self, phrase: &[Token], apposition: Option<&[Token]>, pos: usize) -> String {
        if let Some(name) = apposition {
            let name_text = join(name.iter().filter(|t| is_name_token(t)));
            if !name_text.is_empty() {
                let resolved = self.resolve_name(&name_text, pos, true);
                let role = role_key(phrase);
                if !role.is_empty() {
                    if let Some(k) = self.entities.iter().position(|e| e.name == resolved) {
                        self.roles.insert(role, k);
                    }
                }
                return resolved;
            }
        }
        let Some(first) = phrase.first() else { return String::new() };
        if phrase.len() == 1 && lexicon::is_speaker_pronoun(first.text) {
            return self.resolve_pronoun(&first.lower(), pos);
        }
        let has_name = phrase.iter().any(|t| is_name_token(t) && !lexicon::is_title(&strip_title(t.bare())));
        if !has_name {
            return self.resolve_role(phrase, pos);
        }
        // Names: strip titles; organisations stay as written.
        let last_title = phrase.iter().rposition(|t| lexicon::is_title(&strip_title(t.bare())) || (!t.is_capitalised() && t.is_word()));
        let name_tokens: Vec<&Token> = match last_title {
            Some(k) => phrase[k + 1..].iter().collect(),
            None => phrase.iter().collect(),
        };
        let org = phrase.iter().any(|t| lexicon::is_organisation_word(t.bare()) || is_acronym(t.bare()))
            && !name_tokens.iter().all(|t| is_name_token(t) && !lexicon::is_organisation_word(t.bare()) && !is_acronym(t.bare()));
        if name_tokens.is_empty() {
            return self.resolve_role(phrase, pos); // "The Russian President"
        }
        if org {
            return phrase_text(phrase);
        }
        let name_text = join(name_tokens.iter().copied().filter(|t| is_name_token(t) || is_name_connector(t.text)));
        let gender = phrase.iter().find_map(|t| {
            let w = strip_title(t.bare());
            if lexicon::is_male_honorific(&w) {
                Some(Gender::Male)
            } else if lexicon::is_female_honorific(&w) {
                Some(Gender::Female)
            } else {
                None
            }
        });
        let resolved = self.resolve_name(&name_text, pos, true);
        if let (Some(g), Some(k)) = (gender, self.entities.iter().position(|e| e.name == resolved)) {
            self.entities[k].gender.get_or_insert(g);
        }
        resolved
    }

    fn resolve_name(&mut self, name: &str, pos: usize, speaker: bool) -> String {
        let entity = if name.contains(' ') {
            self.entity(name, true, speaker)
        } else {
            match self.find_by_part(name) {
                Some(k) => k,
                None => self.entity(name, true, speaker),
            }
        };
        self.entities[entity].confirmed |= speaker;
        self.mentions.push(Mention { pos, entity, sentence: self.sentence_of(pos) });
        self.entities[entity].name.clone()
    }

    fn resolve_role(&mut self, phrase: &[Token], pos: usize) -> String {
        let definite = phrase.first().is_some_and(|t| t.is("the"));
        let key = role_key(phrase);
        if definite && !key.is_empty() {
            if let Some(&k) = self.roles.get(&key) {
                return self.entities[k].name.clone();
            }
            // Head-word match: "the president" for "russian president", and "the Russian leader"
            // for "russian president" (same qualifier, generic head).
            let head = key.split(' ').next_back().unwrap_or_default().to_string();
            let qualifier = key.split(' ').next().unwrap_or_default().to_string();
            let mut best: Option<(usize, usize)> = None;
            for (role, &k) in &self.roles {
                let role_head = role.split(' ').next_back().unwrap_or_default();
                let same_head = role_head == head;
                let same_qualifier = key.contains(' ') && role.split(' ').next() == Some(qualifier.as_str()) && ["leader", "official", "head", "chief"].contains(&head.as_str());
                if same_head || same_qualifier {
                    let last = self.mentions.iter().filter(|m| m.entity == k && m.pos < pos).map(|m| m.pos).max().unwrap_or(0);
                    if best.is_none_or(|(p, _)| last > p) {
                        best = Some((last, k));
                    }
                }
            }
            if let Some((_, k)) = best {
                return self.entities[k].name.clone();
            }
        }
        phrase_text(phrase)
    }

    fn resolve_pronoun(&mut self, pronoun: &str, pos: usize) -> String {
        let want_person = matches!(pronoun, "he" | "she");
        let gender = match pronoun {
            "he" => Some(Gender::Male),
            "she" => Some(Gender::Female),
            _ => None,
        };
        if !want_person && pronoun != "they" && pronoun != "it" {
            return String::new(); // "we", "I": the speaker is inside the quote, not named here
        }
        let here = self.sentence_of(pos);
        for strict in [true, false] {
            for sentence in (here.saturating_sub(6)..=here).rev() {
                let found = self.mentions.iter().filter(|m| m.sentence == sentence && m.pos < pos).find(|m| {
                    let e = &self.entities[m.entity];
                    if want_person {
                        e.is_person && (e.confirmed || !strict) && (gender.is_none() || e.gender.is_none() || e.gender == gender)
                    } else {
                        !e.is_person
                    }
                });
                if let Some(m) = found {
                    let k = m.entity;
                    if let Some(g) = gender {
                        self.entities[k].gender.get_or_insert(g);
                    }
                    return self.entities[k].name.clone();
                }
            }
        }
        String::new()
    }

    /// Notes that `name` spoke at `pos`, so later pronouns can find it.
    pub fn note_speaker(&mut self, name: &str, pos: usize) {
        if name.is_empty() {
            return;
        }
        let is_person = name.split(' ').all(|w| w.chars().next().is_some_and(char::is_uppercase)) && !name.split(' ').any(|w| lexicon::is_organisation_word(w) || is_acronym(w));
        let entity = match self.entities.iter().position(|e| e.name == name) {
            Some(k) => k,
            None => {
                self.entities.push(Entity { name: name.to_string(), is_person, confirmed: true, gender: None });
                self.entities.len() - 1
            }
        };
        self.mentions.push(Mention { pos, entity, sentence: self.sentence_of(pos) });
        self.mentions.sort_by_key(|m| m.pos);
    }

    /// The subject of the nearest sentence before `pos` that names a person, for quotes with no
    /// attribution of their own.
    pub fn nearest_person(&self, pos: usize) -> Option<String> {
        let here = self.sentence_of(pos);
        for sentence in (here.saturating_sub(2)..=here).rev() {
            if let Some(m) = self.mentions.iter().find(|m| m.sentence == sentence && m.pos < pos && self.entities[m.entity].is_person && self.entities[m.entity].confirmed) {
                return Some(self.entities[m.entity].name.clone());
            }
        }
        None
    }

    /// The first person or organisation named in the sentence holding `pos`, before `pos`; failing
    /// that, a leading "he"/"she"/"they" resolved. Used for "…, saying that …" and for quotes
    /// introduced by a colon.
    pub fn subject_at(&mut self, tokens: &[Token], pos: usize) -> String {
        let here = self.sentence_of(pos);
        if let Some(m) = self.mentions.iter().find(|m| m.sentence == here && m.pos < pos) {
            return self.entities[m.entity].name.clone();
        }
        let start = self.sentences.get(here).map_or(0, |s| s.start);
        let pronoun = tokens.iter().filter(|t| t.start >= start && t.start < pos).find(|t| t.is_word() && ["he", "she", "they"].contains(&t.lower().as_str()));
        match pronoun {
            Some(t) => {
                let (word, at) = (t.lower(), t.start);
                self.resolve_pronoun(&word, at)
            }
            None => String::new(),
        }
    }

    /// Sorts mentions by position; call once after construction and after adding speakers.
    pub fn finish(&mut self) {
        self.mentions.sort_by_key(|m| m.pos);
    }
}

/// Lower-case role words of a phrase, without determiners or possessives' owners.
fn role_key(phrase: &[Token]) -> String {
    phrase
        .iter()
        .filter(|t| t.is_word() && !lexicon::is_determiner(t.text))
        .map(|t| strip_title(t.bare()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn definite_role_before(tokens: &[Token], comma: usize) -> Option<String> {
    let mut i = comma;
    while i > 0 && tokens[i - 1].is_word() && !tokens[i - 1].is_capitalised() && (is_role_word(&tokens[i - 1]) || lexicon::is_np_adjective(&tokens[i - 1].lower())) {
        i -= 1;
    }
    (i < comma && i > 0 && tokens[i - 1].is("the")).then(|| join(tokens[i..comma].iter()).to_lowercase())
}

fn is_role_word(t: &Token) -> bool {
    t.is_word() && lexicon::is_title(&strip_title(t.bare()))
}

fn is_acronym(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase() || c == '.') && word.chars().filter(char::is_ascii_uppercase).count() >= 2
}

fn ends_with_words(long: &str, short: &str) -> bool {
    long.len() > short.len() && long.ends_with(short) && long[..long.len() - short.len()].ends_with(' ')
}

fn join<'a, 'b: 'a>(tokens: impl Iterator<Item = &'a Token<'b>>) -> String {
    tokens.map(|t| t.bare()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A phrase as written, tokens joined with single spaces (possessive "'s" kept attached).
pub fn phrase_text(phrase: &[Token]) -> String {
    let mut out = String::new();
    for t in phrase {
        if !out.is_empty() && t.is_word() {
            out.push(' ');
        }
        out.push_str(t.text);
    }
    out
}
